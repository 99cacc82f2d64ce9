import { useState } from 'react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { NativeSelect } from '@/components/ui/native-select'
import { Label } from '@/components/ui/label'
import { TableCell, TableRow } from '@/components/ui/table'
import { AdminTable } from './admin-table'
import { formatDateTime } from '@/lib/format'
import { errorMessage } from '@/lib/api-client'
import type { WebhookDelivery } from '@/types/api'
import { useReprocessWebhook, useWebhooks, type WebhookFilters } from '../api/webhooks'

function ReprocessButton({ d }: { d: WebhookDelivery }) {
  const m = useReprocessWebhook()
  return (
    <Button
      variant="outline"
      size="sm"
      className="min-h-10"
      disabled={m.isPending}
      aria-label={`Re-process ${d.source} event ${d.id}`}
      onClick={() =>
        m.mutate(d, {
          onSuccess: (r) => toast.success(`Re-processed ${d.id}: ${r.delivery.state}.`),
          onError: (err) => toast.error(errorMessage(err)),
        })
      }
    >
      Re-process
    </Button>
  )
}

const stateVariant = (s: string) => (s === 'failed' ? 'destructive' : 'outline')

/** WebhooksTable pages through PayPal and VirtFusion deliveries (server-side) with filters, payloads and re-processing. */
export function WebhooksTable() {
  const [f, setF] = useState<WebhookFilters>({ source: '', state: '' })
  const q = useWebhooks(f)
  const rows = q.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <div className="flex items-center gap-2">
          <Label htmlFor="webhook-source">Source</Label>
          <NativeSelect id="webhook-source" className="w-36" value={f.source} onChange={(e) => setF({ ...f, source: e.target.value as WebhookFilters['source'] })}>
            <option value="">All</option>
            <option value="paypal">PayPal</option>
            <option value="virtfusion">VirtFusion</option>
          </NativeSelect>
        </div>
        <div className="flex items-center gap-2">
          <Label htmlFor="webhook-state">State</Label>
          <NativeSelect id="webhook-state" className="w-36" value={f.state} onChange={(e) => setF({ ...f, state: e.target.value as WebhookFilters['state'] })}>
            <option value="">All</option>
            <option value="processed">Processed</option>
            <option value="failed">Failed</option>
            <option value="ignored">Ignored</option>
          </NativeSelect>
        </div>
      </div>
      <AdminTable q={q} what="webhook deliveries" label="Webhook deliveries" columns={['Received', 'Event', 'State', 'Payload', '']} empty="No webhook deliveries." rowCount={rows.length}>
        {rows.map((d) => (
          <TableRow key={`${d.source}:${d.id}`}>
            <TableCell>
              {formatDateTime(d.receivedAt)}
              <span className="block text-xs text-muted-foreground">
                {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                {d.reprocessedBy ? `, re-processed by ${d.reprocessedBy}` : ''}
              </span>
            </TableCell>
            <TableCell>
              <span className="block">{d.eventType}</span>
              <span className="font-mono text-xs break-all text-muted-foreground">
                {d.source} {d.id}
              </span>
            </TableCell>
            <TableCell className="max-w-64 min-w-32 whitespace-normal">
              <Badge variant={stateVariant(d.state)}>{d.state}</Badge>
              {d.error && <span className="mt-1 block text-xs break-words text-muted-foreground">{d.error}</span>}
            </TableCell>
            <TableCell className="max-w-96 min-w-48">
              <details>
                <summary className="flex min-h-10 cursor-pointer items-center text-sm">Show payload</summary>
                <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-muted/40 p-2 text-xs whitespace-pre-wrap break-all">{d.payload || '(not JSON; not stored)'}</pre>
              </details>
            </TableCell>
            <TableCell>
              <ReprocessButton d={d} />
            </TableCell>
          </TableRow>
        ))}
      </AdminTable>
      {q.hasNextPage && (
        <Button variant="outline" className="min-h-10 w-fit" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          More deliveries
        </Button>
      )}
    </div>
  )
}
