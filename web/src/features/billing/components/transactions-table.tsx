import { useState } from 'react'
import { ReceiptTextIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { formatDate, formatDateTime, formatMoney } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { TransactionType } from '@/types/api'
import { useTransactions, type TransactionFilter } from '../api/get-transactions'

const typeLabels: Record<TransactionType, string> = {
  topup: 'Top-up',
  charge: 'Charge',
  refund: 'Refund',
  reversal: 'Reversal',
  adjustment: 'Adjustment',
  promo: 'Promotion',
}
/** A day's hourly charges of one server are one row (id "day:…"): it shows the day, not a time. */
export const whenOf = (t: { id: string; createdAt: string }) => (t.id.startsWith('day:') ? formatDate(t.createdAt) : formatDateTime(t.createdAt))

const typeVariant: Record<TransactionType, 'success' | 'secondary' | 'default' | 'destructive' | 'warning'> = {
  topup: 'success',
  charge: 'secondary',
  refund: 'default',
  reversal: 'destructive',
  adjustment: 'warning',
  promo: 'success',
}

/** TransactionsTable lists ledger entries with type/date filters and cursor paging. */
export function TransactionsTable({ currency = 'USD' }: { currency?: string }) {
  const [filter, setFilter] = useState<TransactionFilter>({ type: '', from: '', to: '' })
  const q = useTransactions(filter)
  const items = q.data?.pages.flatMap((p) => p.items) ?? []
  const set = (patch: Partial<TransactionFilter>) => setFilter((f) => ({ ...f, ...patch }))
  const filtered = Boolean(filter.type || filter.from || filter.to)

  return (
    <div className="grid gap-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end" role="group" aria-label="Filter transactions">
        <div className="grid gap-2">
          <Label htmlFor="tx-type">Type</Label>
          <NativeSelect id="tx-type" value={filter.type} onChange={(e) => set({ type: e.target.value as TransactionType | '' })}>
            <option value="">All types</option>
            {Object.entries(typeLabels).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="tx-from">From</Label>
          <Input id="tx-from" type="date" value={filter.from} max={filter.to || undefined} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="tx-to">To</Label>
          <Input id="tx-to" type="date" value={filter.to} min={filter.from || undefined} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <Button variant="ghost" disabled={!filtered} onClick={() => setFilter({ type: '', from: '', to: '' })}>
          Clear filters
        </Button>
      </div>

      {q.isPending ? (
        <div className="grid gap-2" aria-busy="true" aria-label="Loading transactions">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-11 w-full" />
          ))}
        </div>
      ) : q.isError ? (
        <ErrorAlert error={q.error} title="Couldn't load transactions" onRetry={() => q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={ReceiptTextIcon}
          title={filtered ? 'No transactions match these filters' : 'No transactions yet'}
          description={filtered ? 'Try another type or date range.' : 'Top-ups and hourly charges will show up here.'}
        />
      ) : (
        <>
          <Table aria-label="Transactions" aria-busy={q.isFetching}>
            <TableHeader>
              <TableRow>
                {/* Phones: description (with date and type under it) and amount only, so nothing scrolls sideways. */}
                <TableHead className="hidden sm:table-cell">Date</TableHead>
                <TableHead className="hidden sm:table-cell">Type</TableHead>
                <TableHead className="w-full">Description</TableHead>
                <TableHead className="text-right">Amount</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Balance</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((t) => (
                <TableRow key={t.id}>
                  <TableCell className="hidden text-muted-foreground sm:table-cell">{whenOf(t)}</TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <Badge variant={typeVariant[t.type] ?? 'secondary'}>{typeLabels[t.type] ?? t.type}</Badge>
                  </TableCell>
                  <TableCell>
                    {/* Table cells ignore max-width in auto layout: the ellipsis needs a block inside. */}
                    <span className="block max-w-[10rem] truncate sm:max-w-[22rem]" title={t.description}>
                      {t.description}
                    </span>
                    <span className="mt-1 flex max-w-[10rem] flex-wrap items-center gap-x-2 gap-y-1 text-xs whitespace-normal text-muted-foreground sm:hidden">
                      <Badge variant={typeVariant[t.type] ?? 'secondary'}>{typeLabels[t.type] ?? t.type}</Badge>
                      {whenOf(t)}
                    </span>
                  </TableCell>
                  <TableCell className={cn('text-right font-mono tabular-nums', t.amountMinor > 0 && 'text-success')}>
                    {formatMoney(t.amountMinor, currency, { signed: true })}
                  </TableCell>
                  <TableCell className="hidden text-right font-mono text-muted-foreground tabular-nums sm:table-cell">
                    {formatMoney(t.balanceAfterMinor, currency)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {q.hasNextPage && (
            <Button variant="outline" className="justify-self-center" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
              {q.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </Button>
          )}
        </>
      )}
    </div>
  )
}
