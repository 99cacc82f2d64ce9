import { useState, type FormEvent } from 'react'
import { BellRingIcon, LoaderCircleIcon, Trash2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { errorMessage } from '@/lib/api-client'
import { formatDate } from '@/lib/format'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import type { ServerAlert, ServerDetail } from '@/types/api'
import { alertSchema, toRequest, useAlerts, useCreateAlert, useDeleteAlert, useToggleAlert, type AlertForm } from '../api/alerts'

/** describe says in words what an alert watches. */
export function describe(a: Pick<ServerAlert, 'kind' | 'cpuPercent' | 'minutes' | 'trafficPercent'>) {
  switch (a.kind) {
    case 'cpu':
      return `CPU above ${a.cpuPercent} % for ${a.minutes} minutes`
    case 'traffic':
      return `Traffic at ${a.trafficPercent} % of the limit`
    default:
      return 'Server stopped unexpectedly'
  }
}

const empty: AlertForm = { kind: 'cpu', cpuPercent: 90, minutes: 10, trafficPercent: 80, cooldownMinutes: 60, email: true, webhookUrl: '' }

function AlertRow({ serverId, alert }: { serverId: number; alert: ServerAlert }) {
  const toggle = useToggleAlert(serverId)
  const del = useDeleteAlert(serverId)
  const channels = [alert.email && 'email', alert.webhookHost].filter(Boolean).join(' + ')
  return (
    <li className="flex flex-wrap items-center gap-2 rounded-lg border p-3" data-testid="alert-row">
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium">
          {describe(alert)}{' '}
          {alert.firing && <Badge variant="destructive">Firing</Badge>}
          {!alert.enabled && <Badge variant="outline">Off</Badge>}
        </p>
        <p className="text-xs text-muted-foreground">
          To {channels} · at most every {alert.cooldownMinutes} min
          {alert.lastFiredAt && ` · last sent ${formatDate(alert.lastFiredAt)}`}
        </p>
      </div>
      <Button
        variant="outline"
        className="min-h-10"
        disabled={toggle.isPending}
        onClick={() => toggle.mutate(alert, { onError: (e) => toast.error(errorMessage(e)) })}
      >
        {alert.enabled ? 'Turn off' : 'Turn on'}
      </Button>
      <Button
        variant="ghost"
        size="icon"
        className="size-10"
        aria-label={`Delete alert: ${describe(alert)}`}
        disabled={del.isPending}
        onClick={() => del.mutate(alert.id, { onError: (e) => toast.error(errorMessage(e)) })}
      >
        <Trash2Icon aria-hidden="true" />
      </Button>
    </li>
  )
}

/** AlertsCard lists the server's alerts and adds new ones (CPU, traffic, stopped) by email and/or the customer's own webhook. */
export function AlertsCard({ server }: { server: ServerDetail }) {
  const alerts = useAlerts(server.id)
  const create = useCreateAlert(server.id)
  const [form, setForm] = useState<AlertForm>(empty)
  const [errors, setErrors] = useState<FieldErrors>({})
  const set = (patch: Partial<AlertForm>) => setForm((f) => ({ ...f, ...patch }))

  function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = alertSchema.safeParse(form)
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error))
    setErrors({})
    create.mutate(toRequest(parsed.data), {
      onSuccess: () => {
        toast.success('Alert added')
        setForm(empty)
      },
      onError: (err) => {
        const fields = apiFieldErrors(err)
        setErrors(Object.keys(fields).length ? fields : { form: errorMessage(err) })
      },
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <BellRingIcon className="size-4 text-primary" aria-hidden="true" /> Alerts
        </CardTitle>
        <CardDescription>Get an email, or a message in your own Discord or Slack channel, when something needs a look.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {alerts.isPending ? (
          <Skeleton className="h-12 w-full" />
        ) : alerts.isError ? (
          <ErrorAlert error={alerts.error} title="Couldn't load alerts" onRetry={() => alerts.refetch()} />
        ) : alerts.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No alerts yet.</p>
        ) : (
          <ul className="grid gap-2" aria-label="Alerts">
            {alerts.data.items.map((a) => (
              <AlertRow key={a.id} serverId={server.id} alert={a} />
            ))}
          </ul>
        )}

        <form className="grid gap-3 sm:grid-cols-2" onSubmit={submit} noValidate aria-label="Add an alert">
          <Field label="Alert when" error={errors.kind}>
            {(p) => (
              <NativeSelect {...p} value={form.kind} onChange={(e) => set({ kind: e.target.value as AlertForm['kind'] })}>
                <option value="cpu">CPU is high</option>
                <option value="traffic">Traffic nears the limit</option>
                <option value="stopped">The server stops unexpectedly</option>
              </NativeSelect>
            )}
          </Field>
          {form.kind === 'cpu' && (
            <div className="grid grid-cols-2 gap-3">
              <Field label="Above (%)" error={errors.cpuPercent}>
                {(p) => <Input {...p} type="number" inputMode="numeric" min={1} max={100} value={String(form.cpuPercent)} onChange={(e) => set({ cpuPercent: e.target.value })} />}
              </Field>
              <Field label="For (minutes)" error={errors.minutes}>
                {(p) => <Input {...p} type="number" inputMode="numeric" min={5} max={1440} value={String(form.minutes)} onChange={(e) => set({ minutes: e.target.value })} />}
              </Field>
            </div>
          )}
          {form.kind === 'traffic' && (
            <Field label="At" error={errors.trafficPercent}>
              {(p) => (
                <NativeSelect {...p} value={String(form.trafficPercent)} onChange={(e) => set({ trafficPercent: Number(e.target.value) })}>
                  <option value="80">80 % of the limit</option>
                  <option value="100">100 % of the limit</option>
                </NativeSelect>
              )}
            </Field>
          )}
          <Field label="Repeat at most every (minutes)" error={errors.cooldownMinutes}>
            {(p) => <Input {...p} type="number" inputMode="numeric" min={5} value={String(form.cooldownMinutes)} onChange={(e) => set({ cooldownMinutes: e.target.value })} />}
          </Field>
          <Field label="Discord or Slack webhook URL (optional)" hint="Only its host is shown afterwards." error={errors.webhookUrl}>
            {(p) => <Input {...p} type="url" placeholder="https://discord.com/api/webhooks/…" value={form.webhookUrl} onChange={(e) => set({ webhookUrl: e.target.value })} />}
          </Field>
          <label className="flex min-h-10 items-center gap-2 text-sm">
            <input type="checkbox" className="size-4" checked={form.email} onChange={(e) => set({ email: e.target.checked })} />
            Email me
          </label>
          {errors.email && <p className="text-xs font-medium text-destructive sm:col-span-2">{errors.email}</p>}
          {errors.form && <p className="text-xs font-medium text-destructive sm:col-span-2">{errors.form}</p>}
          <Button type="submit" className="min-h-10 justify-self-start" disabled={create.isPending}>
            {create.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
            Add alert
          </Button>
        </form>
      </CardContent>
    </Card>
  )
}
