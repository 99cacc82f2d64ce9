import { GlobeIcon, LoaderCircleIcon, PlusIcon, Trash2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { formatMoney } from '@/lib/format'
import type { ServerDetail } from '@/types/api'
import { useAddIpv4, useAddons, useRemoveIpv4 } from '../api/addons'

/** Ipv4Card lists the server's public IPv4 addresses and adds or removes extra ones (an hourly add-on each). */
export function Ipv4Card({ server }: { server: ServerDetail }) {
  const q = useAddons(server.id)
  const add = useAddIpv4(server.id)
  const remove = useRemoveIpv4(server.id)
  const busy = add.isPending || remove.isPending
  return (
    <Card>
      <CardHeader>
        <CardTitle>IPv4 addresses</CardTitle>
        <CardDescription>
          {q.data && q.data.ipv4Price.maxPerServer > 0
            ? `Extra addresses cost ${formatMoney(q.data.ipv4Price.hourlyMinor, q.data.currency)}/h each, up to ${q.data.ipv4Price.maxPerServer}.`
            : 'The public addresses of this server.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {q.isPending ? (
          <Skeleton className="h-20" aria-label="Loading addresses" />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load addresses" onRetry={() => q.refetch()} />
        ) : (
          <>
            <ul className="grid gap-2" aria-label="IPv4 addresses">
              {q.data.ipv4.map((ip, i) => {
                const extra = q.data.extraIpv4.includes(ip)
                return (
                  <li key={ip} className="flex min-h-10 flex-wrap items-center justify-between gap-2 rounded-lg border bg-background/30 px-3 py-1">
                    <span className="flex items-center gap-2 font-mono text-sm">
                      <GlobeIcon className="size-4 text-primary" aria-hidden="true" />
                      {ip}
                      {i === 0 && <Badge variant="secondary">Primary</Badge>}
                    </span>
                    {extra && (
                      <ConfirmDialog
                        trigger={
                          <Button variant="ghost" size="icon" className="size-10" disabled={busy} aria-label={`Remove ${ip}`}>
                            <Trash2Icon aria-hidden="true" />
                          </Button>
                        }
                        title={`Remove ${ip}?`}
                        description="The address is taken off the server at once and its charge stops from the next hour."
                        confirmLabel="Remove address"
                        destructive
                        onConfirm={() => remove.mutate(ip, { onSuccess: () => toast.success(`${ip} removed`) })}
                      />
                    )}
                  </li>
                )
              })}
            </ul>
            {q.data.pendingIpv4 > 0 && <p className="text-sm text-muted-foreground">{q.data.pendingIpv4} address(es) being assigned…</p>}
            {(add.isError || remove.isError) && <ErrorAlert error={add.error ?? remove.error} title="The addresses were not changed" />}
            {q.data.ipv4Price.maxPerServer > 0 && (
              <Button
                variant="outline"
                className="justify-self-start"
                disabled={busy || q.data.extraIpv4.length + q.data.pendingIpv4 >= q.data.ipv4Price.maxPerServer}
                onClick={() => add.mutate(undefined, { onSuccess: (d) => toast.success(`Added ${d.extraIpv4.at(-1) ?? 'an address'}`) })}
              >
                {add.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <PlusIcon aria-hidden="true" />}
                Add IPv4 address
              </Button>
            )}
          </>
        )}
      </CardContent>
    </Card>
  )
}
