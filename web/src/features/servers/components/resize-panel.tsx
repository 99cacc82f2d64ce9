import { useState } from 'react'
import { LoaderCircleIcon, TriangleAlertIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { RadioCard, RadioGroup } from '@/components/ui/radio-group'
import { Skeleton } from '@/components/ui/skeleton'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { formatGb, formatMemory, formatMoney } from '@/lib/format'
import type { Package, ServerDetail } from '@/types/api'
import { useResizePreview, useResizeServer, type ResizePreview } from '../api/resize'

const perHour = (minor: number, currency: string, signed?: boolean) => `${formatMoney(minor, currency, { signed })}/h`

function PreviewDetails({ pv }: { pv: ResizePreview }) {
  const c = pv.currency
  const time = new Date(pv.effectiveFrom).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  const cap = (m: number) => (m > 0 ? `${formatMoney(m, c)}/month` : 'no cap')
  return (
    <dl className="grid gap-2 text-sm sm:grid-cols-2" aria-label="Plan change preview">
      <div className="grid">
        <dt className="text-muted-foreground">New price</dt>
        <dd className="font-mono">
          {perHour(pv.hourlyMinor, c)} <span className="text-muted-foreground">({perHour(pv.hourlyDiffMinor, c, true)}) from {time}</span>
        </dd>
      </div>
      <div className="grid">
        <dt className="text-muted-foreground">Monthly cap</dt>
        <dd className="font-mono">
          {cap(pv.fromMonthlyCapMinor)} → {cap(pv.monthlyCapMinor)}
        </dd>
      </div>
      <div className="grid">
        <dt className="text-muted-foreground">Charged now</dt>
        <dd className="font-mono">{pv.chargeNowMinor > 0 ? `${formatMoney(pv.chargeNowMinor, c)} (rest of this hour)` : 'nothing'}</dd>
      </div>
      <div className="grid">
        <dt className="text-muted-foreground">Disk</dt>
        <dd>{pv.diskResize ? `grows from ${formatGb(pv.diskFromGb)} to ${formatGb(pv.diskToGb)}` : `stays ${formatGb(pv.diskFromGb)}`}</dd>
      </div>
      {(pv.rebootRequired || pv.diskResize) && (
        <p className="flex items-start gap-2 text-warning sm:col-span-2">
          <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {pv.rebootRequired ? 'CPU and memory change at the next restart. ' : ''}
          {pv.diskResize ? 'Grow the partition inside the server to use the new disk space.' : ''}
        </p>
      )}
    </dl>
  )
}

/**
 * ResizePanel moves a server to another plan: plan cards with the price
 * difference, a preview of what the change costs and does, then a confirm.
 * Plans with a smaller disk are shown but cannot be chosen (disks never shrink).
 */
export function ResizePanel({ server, packages }: { server: ServerDetail; packages: Package[] }) {
  const [choice, setChoice] = useState(0)
  const [key, setKey] = useState(() => crypto.randomUUID())
  const preview = useResizePreview(server.id, choice)
  const resize = useResizeServer(server.id)
  const current = packages.find((p) => p.id === server.package?.id)
  const others = packages.filter((p) => p.price && p.id !== server.package?.id)

  function confirm() {
    resize.mutate(
      { packageId: choice, idempotencyKey: key },
      {
        onSuccess: (res) => {
          toast.success(res.status === 'done' ? `Plan changed to ${res.preview.toPackageName}` : 'Plan change is being confirmed')
          setChoice(0)
          setKey(crypto.randomUUID())
        },
      },
    )
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Resize</CardTitle>
        <CardDescription>
          Now on {current?.name ?? server.package?.name ?? 'an unknown plan'}
          {current?.price && ` at ${perHour(current.price.hourlyMinor, current.price.currency)}`}. The new price starts at the next full hour.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {others.length === 0 ? (
          <p className="text-sm text-muted-foreground">No other plan is for sale right now.</p>
        ) : (
          <RadioGroup
            aria-label="New plan"
            value={choice ? String(choice) : ''}
            onValueChange={(v) => {
              setChoice(Number(v))
              resize.reset()
            }}
            className="sm:grid-cols-2 lg:grid-cols-3"
          >
            {others.map((p) => {
              const shrinks = p.storageGb < server.resources.storageGb
              const diff = p.price!.hourlyMinor - (current?.price?.hourlyMinor ?? 0)
              return (
                <RadioCard key={p.id} value={String(p.id)} disabled={shrinks} aria-label={p.name} className="gap-2">
                  <span className="font-display text-lg font-semibold">{p.name}</span>
                  <span className="text-sm text-muted-foreground">
                    {p.cpuCores} vCPU · {formatMemory(p.memoryMb)} · {p.storageGb} GB
                  </span>
                  <span>
                    <span className="font-mono font-semibold">{perHour(p.price!.hourlyMinor, p.price!.currency)}</span>{' '}
                    {current?.price && (
                      <Badge variant={diff > 0 ? 'warning' : 'success'}>{perHour(diff, p.price!.currency, true)}</Badge>
                    )}
                  </span>
                  {shrinks && <span className="text-xs text-muted-foreground">Disk smaller than this server's {formatGb(server.resources.storageGb)}</span>}
                </RadioCard>
              )
            })}
          </RadioGroup>
        )}
        {choice > 0 &&
          (preview.isPending ? (
            <Skeleton className="h-24" aria-label="Loading preview" />
          ) : preview.isError ? (
            <ErrorAlert error={preview.error} title="This plan can't be chosen" />
          ) : (
            <div className="grid gap-4 rounded-lg border bg-background/30 p-4">
              <PreviewDetails pv={preview.data} />
              {resize.isError && <ErrorAlert error={resize.error} title="The plan was not changed" />}
              <ConfirmDialog
                trigger={
                  <Button className="justify-self-start" disabled={resize.isPending}>
                    {resize.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
                    Change to {preview.data.toPackageName}
                  </Button>
                }
                title={`Change to ${preview.data.toPackageName}?`}
                description={
                  preview.data.chargeNowMinor > 0
                    ? `${formatMoney(preview.data.chargeNowMinor, preview.data.currency)} is charged now; ${perHour(preview.data.hourlyMinor, preview.data.currency)} from the next hour.`
                    : `${perHour(preview.data.hourlyMinor, preview.data.currency)} from the next hour.`
                }
                confirmLabel="Change plan"
                onConfirm={confirm}
              />
            </div>
          ))}
      </CardContent>
    </Card>
  )
}
