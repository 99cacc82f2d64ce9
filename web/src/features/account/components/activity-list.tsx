import { CircleCheckIcon, CircleXIcon, HistoryIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { formatDateTime } from '@/lib/format'
import { useActivity } from '../api/get-activity'

const actionLabels: Record<string, string> = {
  'server.power': 'Power action',
  'server.create': 'Server deployed',
  'server.delete': 'Server deleted',
  'server.reinstall': 'Reinstall',
  'server.rename': 'Renamed',
  'server.reset-password': 'Root password reset',
  'server.console': 'Console opened',
  'server.sso': 'Opened in VirtFusion',
  'auth.login': 'Signed in',
  'auth.logout': 'Signed out',
  'account.ssh-key.add': 'SSH key added',
  'account.ssh-key.delete': 'SSH key deleted',
  'billing.topup': 'Top-up',
}

/** ActivityList is the account's audit trail; target narrows it to one thing, e.g. "server:123". */
export function ActivityList({ target }: { target?: string }) {
  const q = useActivity()
  const all = q.data?.pages.flatMap((p) => p.items) ?? []
  const items = target ? all.filter((i) => i.target === target) : all

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
          {items.map((i) => (
            <li key={i.id} className="flex items-start gap-3 rounded-lg border bg-background/30 p-3">
              {i.outcome === 'ok' ? (
                <CircleCheckIcon className="mt-0.5 size-4 shrink-0 text-success" aria-label="Succeeded" />
              ) : (
                <CircleXIcon className="mt-0.5 size-4 shrink-0 text-destructive" aria-label="Failed" />
              )}
              <div className="min-w-0 flex-1">
                <p className="font-medium [overflow-wrap:anywhere]">
                  {actionLabels[i.action] ?? i.action}
                  {i.detail && <span className="font-normal text-muted-foreground"> · {i.detail}</span>}
                </p>
                <p className="truncate text-xs text-muted-foreground">
                  {formatDateTime(i.at)} · {i.ip}
                  {!target && i.target && <> · {i.target}</>}
                </p>
              </div>
            </li>
          ))}
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
