import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { ErrorAlert } from '@/components/error-alert'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDateTime, formatMoney } from '@/lib/format'
import type { BillingRun } from '@/types/api'
import { useBillingRuns } from '../api/billing-runs'

function Failures({ run }: { run: BillingRun }) {
  if (run.failures.length === 0) return <span className="text-muted-foreground">None</span>
  return (
    <ul className="grid gap-1 text-xs">
      {run.failures.map((f, i) => (
        <li key={i} className="break-words">
          <Badge variant="destructive" className="mr-1">
            {f.code}
          </Badge>
          {f.users.length > 0 && <span className="font-mono">{f.users.join(', ')}: </span>}
          {f.message}
        </li>
      ))}
    </ul>
  )
}

/** BillingRunsTable pages through the billing runs (server-side) with their counts and failures. */
export function BillingRunsTable({ currency }: { currency?: string }) {
  const q = useBillingRuns()
  const rows = q.data?.pages.flatMap((p) => p.items) ?? []
  if (q.isPending) return <Skeleton className="h-40 w-full" />
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load billing runs" onRetry={() => q.refetch()} />
  return (
    <div className="grid gap-3">
      <div className="overflow-x-auto">
        <Table aria-label="Billing runs">
          <TableHeader>
            <TableRow>
              <TableHead>Started</TableHead>
              <TableHead>Charged through</TableHead>
              <TableHead>Servers</TableHead>
              <TableHead>Charged</TableHead>
              <TableHead>Skipped</TableHead>
              <TableHead>Failed</TableHead>
              <TableHead>Amount</TableHead>
              <TableHead>Failures</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={8} className="text-muted-foreground">
                  No billing runs recorded yet.
                </TableCell>
              </TableRow>
            )}
            {rows.map((r) => (
              <TableRow key={r.id}>
                <TableCell>
                  {formatDateTime(r.startedAt)}
                  <span className="block text-xs text-muted-foreground">{r.trigger === 'rerun' ? `re-run by ${r.by || 'an admin'}` : 'scheduled'}</span>
                </TableCell>
                <TableCell>{formatDateTime(r.chargedThrough)}</TableCell>
                <TableCell>{r.servers}</TableCell>
                <TableCell>
                  {r.serversCharged}
                  <span className="block text-xs text-muted-foreground">{r.hoursCharged} h</span>
                </TableCell>
                <TableCell>
                  {r.skipped}
                  {r.stopped > 0 && <span className="block text-xs text-muted-foreground">{r.stopped} gone</span>}
                </TableCell>
                <TableCell>{r.serversFailed}</TableCell>
                <TableCell>{formatMoney(r.chargedMinor, currency)}</TableCell>
                <TableCell className="max-w-80 min-w-48 whitespace-normal">
                  <Failures run={r} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {q.hasNextPage && (
        <Button variant="outline" className="min-h-10 w-fit" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          More runs
        </Button>
      )}
    </div>
  )
}
