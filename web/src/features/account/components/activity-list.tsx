import { HistoryIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { describeActivity } from '@/lib/activity'
import { formatDateTime } from '@/lib/format'
import { useActivity } from '../api/get-activity'

/** ActivityList is the account's audit trail; serverId narrows it to one server (filtered by the API). */
export function ActivityList({ serverId }: { serverId?: number }) {
  const q = useActivity(serverId)
  const items = q.data?.pages.flatMap((p) => p.items) ?? []

  if (q.isPending)
    return (
      <div className="grid gap-2" aria-busy="true" aria-label="Loading activity">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-14" />
        ))}
      </div>
    )
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load activity" onRetry={() => q.refetch()} />
  return (
    <div className="grid gap-3">
      {items.length === 0 ? (
        <EmptyState icon={HistoryIcon} title="No activity yet" description={q.hasNextPage ? 'Nothing in the latest entries. Load older ones below.' : undefined} />
      ) : (
        <ol className="grid grid-cols-[minmax(0,1fr)] gap-2" aria-label="Activity">
          {items.map((i) => {
            const d = describeActivity(i)
            const failed = i.outcome !== 'ok'
            const meta = [formatDateTime(i.at), i.ip, serverId === undefined ? i.target : ''].filter(Boolean).join(' · ')
            return (
              <li key={i.id} className="flex items-start gap-3 rounded-lg border bg-background/30 p-3">
                <d.icon className={`mt-0.5 size-4 shrink-0 ${failed ? 'text-destructive' : 'text-muted-foreground'}`} aria-hidden="true" />
                <div className="min-w-0 flex-1">
                  <p className="font-medium [overflow-wrap:anywhere]">
                    {d.label}
                    {failed && <span className="text-destructive"> (failed)</span>}
                    {d.detail && <span className="font-normal text-muted-foreground"> · {d.detail}</span>}
                  </p>
                  <p className="text-xs text-muted-foreground [overflow-wrap:anywhere]">{meta}</p>
                </div>
              </li>
            )
          })}
        </ol>
      )}
      {q.hasNextPage && (
        <Button variant="outline" className="justify-self-center" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
          {q.isFetchingNextPage ? 'Loading…' : 'Load older activity'}
        </Button>
      )}
    </div>
  )
}
