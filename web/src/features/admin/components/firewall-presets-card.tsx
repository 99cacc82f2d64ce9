import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon, Trash2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { errorMessage } from '@/lib/api-client'
import { parsePreset, useFirewallPresets, useSaveFirewallPresets, type FirewallPresets } from '../api/firewall-presets'

const blank = { id: '', name: '', description: '', rulesets: '' }

function PresetsEditor({ data }: { data: FirewallPresets }) {
  const save = useSaveFirewallPresets()
  const [form, setForm] = useState(blank)
  const [error, setError] = useState<string>()
  const put = (presets: FirewallPresets['presets'], done: string, after?: () => void) =>
    save.mutate(
      { presets, version: data.version },
      {
        onSuccess: () => {
          setError(undefined)
          toast.success(done)
          after?.()
        },
        onError: (err) => setError(errorMessage(err)),
      },
    )
  function submit(e: FormEvent) {
    e.preventDefault()
    const p = parsePreset(form, data.presets.map((x) => x.id))
    if (typeof p === 'string') return setError(p)
    put([...data.presets, p], `Preset ${p.name} saved`, () => setForm(blank))
  }
  const field = (k: keyof typeof blank) => ({ value: form[k], onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value })) })
  return (
    <div className="grid gap-3">
      <ul className="grid gap-2" aria-label="Firewall presets">
        {data.presets.length === 0 && <li className="text-sm text-muted-foreground">No presets: customers cannot change their firewall.</li>}
        {data.presets.map((p) => (
          <li key={p.id} className="flex min-h-10 items-center justify-between gap-2 rounded-lg border bg-background/30 px-4 py-1">
            <span className="min-w-0 break-words">
              <span className="font-medium">{p.name}</span>{' '}
              <span className="text-sm text-muted-foreground">
                {p.id} · rulesets {p.rulesetIds.join(', ')}
              </span>
            </span>
            <Button
              variant="ghost"
              size="icon"
              className="size-10 shrink-0"
              aria-label={`Remove preset ${p.name}`}
              disabled={save.isPending}
              onClick={() => put(data.presets.filter((x) => x.id !== p.id), `Preset ${p.name} removed`)}
            >
              <Trash2Icon aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate aria-label="Add a firewall preset" className="grid gap-3 rounded-lg border bg-background/30 p-4 md:grid-cols-2">
        <div className="grid gap-1.5">
          <Label htmlFor="fwp-id">Id</Label>
          <Input id="fwp-id" placeholder="web" {...field('id')} maxLength={32} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="fwp-name">Name customers see</Label>
          <Input id="fwp-name" placeholder="Web" {...field('name')} maxLength={40} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="fwp-desc">What it allows</Label>
          <Input id="fwp-desc" placeholder="HTTP (80) and HTTPS (443) in" {...field('description')} maxLength={200} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="fwp-rulesets">VirtFusion ruleset ids</Label>
          <Input id="fwp-rulesets" inputMode="numeric" placeholder="1, 2" {...field('rulesets')} />
        </div>
        {error && (
          <p className="text-xs font-medium text-destructive md:col-span-2" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" variant="outline" className="justify-self-start" disabled={save.isPending}>
          {save.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
          Add preset
        </Button>
      </form>
    </div>
  )
}

/** FirewallPresetsCard names VirtFusion firewall rulesets as presets customers choose from. */
export function FirewallPresetsCard() {
  const q = useFirewallPresets()
  return (
    <Card>
      <CardHeader>
        <CardTitle>Firewall presets</CardTitle>
        <CardDescription>
          VirtFusion applies firewall rulesets you define in VirtFusion. Name them here; customers pick presets for their server and see the rules in effect.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {q.isPending ? (
          <Skeleton className="h-20" aria-label="Loading firewall presets" />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load firewall presets" onRetry={() => q.refetch()} />
        ) : (
          <PresetsEditor data={q.data} />
        )}
      </CardContent>
    </Card>
  )
}
