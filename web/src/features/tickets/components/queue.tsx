import { useState } from 'react'
import { InboxIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { useTicketQueue, type QueueFilters } from '../api/staff'
import { categories, label, priorities, statuses } from './labels'
import { TicketList } from './ticket-list'

const filterOptions: { key: keyof QueueFilters; label: string; options: [string, string][] }[] = [
  { key: 'status', label: 'Status', options: statuses.map((s) => [s, label(s)]) },
  { key: 'category', label: 'Category', options: [['', 'Any'], ...categories.map((c): [string, string] => [c, label(c)])] },
  { key: 'priority', label: 'Priority', options: [['', 'Any'], ...priorities.map((p): [string, string] => [p, label(p)])] },
  { key: 'assignee', label: 'Assigned', options: [['', 'Anyone'], ['me', 'Me'], ['none', 'Nobody']] },
  { key: 'waitingOn', label: 'Waiting on', options: [['', 'Either'], ['staff', 'Staff'], ['customer', 'Customer']] },
]

/** Queue is the staff's ticket queue with its filters. */
export function Queue({ href }: { href: (id: string) => string }) {
  const [filters, setFilters] = useState<QueueFilters>({ status: 'open', category: '', priority: '', assignee: '', waitingOn: '' })
  const queue = useTicketQueue(filters)
  const tickets = queue.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <div className="grid gap-4">
      <fieldset className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <legend className="sr-only">Filters</legend>
        {filterOptions.map((f) => (
          <div key={f.key} className="grid gap-1">
            <Label htmlFor={`queue-${f.key}`}>{f.label}</Label>
            <NativeSelect id={`queue-${f.key}`} value={filters[f.key]} onChange={(e) => setFilters((s) => ({ ...s, [f.key]: e.target.value }))}>
              {f.options.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </NativeSelect>
          </div>
        ))}
      </fieldset>
      {queue.isPending && <Skeleton className="h-40 w-full" />}
      {queue.isError && <ErrorAlert error={queue.error} title="Couldn't load the queue" onRetry={() => queue.refetch()} />}
      {queue.isSuccess && tickets.length === 0 && <EmptyState icon={InboxIcon} title="No tickets here" description="Nothing matches these filters." />}
      {tickets.length > 0 && <TicketList tickets={tickets} href={href} staff />}
      {queue.hasNextPage && (
        <Button variant="outline" className="min-h-10 justify-self-center" onClick={() => queue.fetchNextPage()} disabled={queue.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </div>
  )
}
