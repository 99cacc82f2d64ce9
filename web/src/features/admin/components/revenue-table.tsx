import { DownloadIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { ErrorAlert } from '@/components/error-alert'
import { Skeleton } from '@/components/ui/skeleton'
import { formatMoney } from '@/lib/format'
import { revenueCsvUrl, useRevenue } from '../api/payments'

/** RevenueTable is revenue by month from the ledger's month totals, with a CSV export. */
export function RevenueTable() {
  const q = useRevenue()
  if (q.isPending) return <Skeleton className="h-40 w-full" />
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load revenue" onRetry={() => q.refetch()} />
  const cur = q.data.currency
  return (
    <div className="grid gap-3">
      <Button asChild variant="outline" className="min-h-10 w-fit">
        <a href={revenueCsvUrl} download>
          <DownloadIcon aria-hidden="true" /> Export CSV
        </a>
      </Button>
      <div className="overflow-x-auto">
        <Table aria-label="Revenue by month">
          <TableHeader>
            <TableRow>
              <TableHead>Month</TableHead>
              <TableHead>Top-ups</TableHead>
              <TableHead>Charges</TableHead>
              <TableHead>Refunds</TableHead>
              <TableHead>Adjustments</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {[...q.data.months].reverse().map((m) => (
              <TableRow key={m.month}>
                <TableCell>{m.month}</TableCell>
                <TableCell>{formatMoney(m.topupsMinor, cur)}</TableCell>
                <TableCell>{formatMoney(m.chargesMinor, cur)}</TableCell>
                <TableCell>{formatMoney(m.refundsMinor + m.reversalsMinor, cur)}</TableCell>
                <TableCell>{formatMoney(m.adjustmentsMinor, cur)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  )
}
