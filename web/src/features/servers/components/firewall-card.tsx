import { useState, type FormEvent } from 'react'
import { CheckCircle2Icon, CircleAlertIcon, LoaderCircleIcon, ShieldIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { formatDateTime } from '@/lib/format'
import type { ServerDetail } from '@/types/api'
import { useFirewall, useSetFirewall, validateFirewall, type FirewallView } from '../api/firewall'

/** ApplyState says in one line whether the last change is pending, applied or failed. */
function ApplyState({ change }: { change: NonNullable<FirewallView['change']> }) {
  const when = formatDateTime(change.updatedAt)
  if (change.status === 'pending')
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
        <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" /> Applying your change…
      </p>
    )
  if (change.status === 'failed')
    return (
      <p role="alert" className="flex items-start gap-2 text-sm text-destructive">
        <CircleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span>
          Your last change was not applied ({when}): {change.error}
        </span>
      </p>
    )
  return (
    <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
      <CheckCircle2Icon className="size-4 text-primary" aria-hidden="true" /> Applied {when}
    </p>
  )
}

/** FirewallForm switches the firewall and picks presets, starting from the last change asked for. */
function FirewallForm({ serverId, data }: { serverId: number; data: FirewallView }) {
  const set = useSetFirewall(serverId)
  const [enabled, setEnabled] = useState(data.enabled)
  const [chosen, setChosen] = useState<string[]>(data.change?.presets ?? [])
  const [problem, setProblem] = useState<string | null>(null)

  function toggle(id: string, on: boolean) {
    setProblem(null)
    setChosen((c) => (on ? [...c, id] : c.filter((x) => x !== id)))
  }
  function submit(e: FormEvent) {
    e.preventDefault()
    const body = { enabled, presets: data.presets.map((p) => p.id).filter((id) => chosen.includes(id)) }
    const bad = validateFirewall(body)
    setProblem(bad)
    if (!bad) set.mutate(body)
  }

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <div className="flex min-h-10 items-center gap-3">
        <Checkbox
          id="fw-enabled"
          checked={enabled}
          onCheckedChange={(v) => {
            setProblem(null)
            setEnabled(v === true)
          }}
        />
        <Label htmlFor="fw-enabled">Firewall on</Label>
      </div>
      <fieldset className="grid gap-2" aria-describedby={problem ? 'fw-problem' : undefined}>
        <legend className="mb-1 text-sm font-medium">Allow</legend>
        {data.presets.map((p) => (
          <div key={p.id} className="flex items-start gap-3 rounded-lg border bg-background/30 px-3 py-2">
            <Checkbox id={`fw-${p.id}`} className="mt-1" checked={chosen.includes(p.id)} onCheckedChange={(v) => toggle(p.id, v === true)} />
            <Label htmlFor={`fw-${p.id}`} className="grid min-h-6 min-w-0 flex-1 gap-0.5 font-normal">
              <span className="font-medium">{p.name}</span>
              {p.description && <span className="text-xs break-words text-muted-foreground">{p.description}</span>}
            </Label>
          </div>
        ))}
      </fieldset>
      {problem && (
        <p id="fw-problem" role="alert" className="text-sm text-destructive">
          {problem}
        </p>
      )}
      {set.isError && <ErrorAlert error={set.error} title="The firewall was not changed" />}
      <Button type="submit" className="min-h-10 justify-self-start" disabled={set.isPending}>
        {set.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Apply firewall
      </Button>
    </form>
  )
}

/** RulesInEffect lists what VirtFusion reports as applied on the interface. */
function RulesInEffect({ data }: { data: FirewallView }) {
  if (!data.enabled) return <p className="text-sm text-muted-foreground">The firewall is off: all traffic reaches the server.</p>
  if (data.rules.length === 0) return <p className="text-sm text-muted-foreground">The firewall is on with no rules.</p>
  return (
    <ul className="grid gap-1" aria-label="Rules in effect">
      {data.rules.map((r, i) => (
        <li key={i} className="flex flex-wrap items-center gap-x-2 gap-y-1 rounded-md border bg-background/30 px-3 py-1.5 text-sm">
          <Badge variant={r.action === 'drop' || r.action === 'reject' ? 'destructive' : 'secondary'}>{r.action || 'rule'}</Badge>
          <span className="font-mono text-xs break-all">
            {[r.direction, r.protocol, r.port && `port ${r.port}`, r.source && `from ${r.source}`].filter(Boolean).join(' ')}
          </span>
          {(r.description || r.ruleset) && <span className="text-xs text-muted-foreground">{r.description || r.ruleset}</span>}
        </li>
      ))}
    </ul>
  )
}

/** FirewallCard is the primary interface's firewall: presets the operator offers, the rules in effect and the apply state. */
export function FirewallCard({ server }: { server: ServerDetail }) {
  const q = useFirewall(server.id)
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ShieldIcon className="size-4 text-primary" aria-hidden="true" /> Firewall
        </CardTitle>
        <CardDescription>Choose what may reach the server's public interface. Rules come from presets your provider maintains.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {q.isPending ? (
          <Skeleton className="h-32" aria-label="Loading the firewall" />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load the firewall" onRetry={() => q.refetch()} />
        ) : (
          <>
            {q.data.change && <ApplyState change={q.data.change} />}
            {q.data.presets.length === 0 ? (
              <p className="text-sm text-muted-foreground">Your provider has not set up firewall presets yet.</p>
            ) : (
              // A new change (or the switch changing) starts the form afresh from it.
              <FirewallForm key={`${q.data.enabled}-${q.data.change?.updatedAt ?? ''}`} serverId={server.id} data={q.data} />
            )}
            <div className="grid gap-2">
              <h3 className="text-sm font-medium">Rules in effect</h3>
              <RulesInEffect data={q.data} />
            </div>
          </>
        )}
      </CardContent>
    </Card>
  )
}
