import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { Badge } from '@/components/ui/badge'
import { NativeSelect } from '@/components/ui/native-select'
import { Label } from '@/components/ui/label'
import { TableCell, TableRow } from '@/components/ui/table'
import { AdminTable } from './admin-table'
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
      <AdminTable q={q} what="top-ups" label="Top-ups" columns={['When', 'Customer', 'Amount', 'State', 'PayPal', '']} empty="No top-ups." rowCount={rows.length}>
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
      </AdminTable>
      {q.hasNextPage && (
        <Button variant="outline" className="min-h-10 w-fit" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          More top-ups
        </Button>
      )}
    </div>
  )
}
