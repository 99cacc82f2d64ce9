import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { Badge } from '@/components/ui/badge'
import { NativeSelect } from '@/components/ui/native-select'
import { Label } from '@/components/ui/label'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { ErrorAlert } from '@/components/error-alert'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDateTime, formatMoney } from '@/lib/format'
import { useTopups } from '../api/payments'
import { RefundDialog } from './refund-dialog'

/** TopupsTable pages through PayPal top-ups (server-side), filtered by state, each refundable. */
export function TopupsTable() {
  const [status, setStatus] = useState('')
  const q = useTopups(status)
  const rows = q.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <div className="grid gap-3">
      <div className="flex items-center gap-2">
        <Label htmlFor="topup-status">State</Label>
        <NativeSelect id="topup-status" value={status} onChange={(e) => setStatus(e.target.value)} className="w-40">
          <option value="">All</option>
          <option value="credited">Credited</option>
          <option value="pending">Pending</option>
          <option value="created">Created</option>
          <option value="denied">Denied</option>
        </NativeSelect>
      </div>
      {q.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : q.isError ? (
        <ErrorAlert error={q.error} title="Couldn't load top-ups" onRetry={() => q.refetch()} />
      ) : (
        <div className="overflow-x-auto">
          <Table aria-label="Top-ups">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Customer</TableHead>
                <TableHead>Amount</TableHead>
                <TableHead>State</TableHead>
                <TableHead>PayPal</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6} className="text-muted-foreground">
                    No top-ups.
                  </TableCell>
                </TableRow>
              )}
              {rows.map((t) => (
                <TableRow key={t.id}>
                  <TableCell>{formatDateTime(t.createdAt)}</TableCell>
                  <TableCell className="font-mono text-xs">{t.userId}</TableCell>
                  <TableCell>
                    {formatMoney(t.amountMinor, t.currency)}
                    {t.debitedMinor > 0 && <span className="block text-xs text-muted-foreground">refunded {formatMoney(t.debitedMinor, t.currency)}</span>}
                  </TableCell>
                  <TableCell>
                    <Badge variant="outline">{t.status}</Badge>
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    <span className="block">order {t.paypalOrderId || '–'}</span>
                    <span className="block">capture {t.paypalCaptureId || '–'}</span>
                  </TableCell>
                  <TableCell>
                    <RefundDialog topup={t} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {q.hasNextPage && (
        <Button variant="outline" className="min-h-10 w-fit" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          More top-ups
        </Button>
      )}
    </div>
  )
}
