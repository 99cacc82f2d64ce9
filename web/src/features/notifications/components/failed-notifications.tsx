import { useState } from 'react'
import { Link } from 'wouter'
import { CircleCheckIcon, LoaderCircleIcon, RotateCwIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { paths } from '@/config/paths'
import { isApiError } from '@/lib/api-client'
import { formatDateTime } from '@/lib/format'
import { useFailedNotifications } from '../api/get-failed-notifications'
import { useRetryNotification } from '../api/retry-notification'
import { kindLabel } from '../lib/kinds'
import type { FailedNotification } from '../types'

function recipient(n: FailedNotification) {
  if (n.email) return n.email
  return n.kind.startsWith('staff-') ? 'Staff channel' : (n.userId ?? 'Unknown recipient')
}

function FailedRow({ n, retrying, onRetry }: { n: FailedNotification; retrying: boolean; onRetry: () => void }) {
  const label = kindLabel(n.kind)
  const to = recipient(n)
  return (
    <li className="grid grid-cols-1 gap-2 rounded-lg border bg-background/30 p-3">
      <div className="flex items-start justify-between gap-3">
        <div className="grid min-w-0 gap-1">
          <p className="font-medium">{label}</p>
          <p className="truncate text-xs text-muted-foreground">
            {n.userId ? (
              <Link href={paths.adminUser(n.userId)} className="text-primary underline-offset-4 hover:underline">
                {to}
              </Link>
            ) : (
              to
            )}
          </p>
          <p className="text-xs text-muted-foreground">
            <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
          </p>
        </div>
        <Badge variant="destructive">
          {n.attempts} {n.attempts === 1 ? 'attempt' : 'attempts'}
        </Badge>
      </div>
      <p className="rounded-md bg-destructive/10 px-2 py-1 font-mono text-xs wrap-anywhere text-destructive">{n.lastError || 'No error recorded.'}</p>
      <div className="flex items-center gap-3">
        <p className="min-w-0 flex-1 truncate font-mono text-xs text-muted-foreground" title={n.id}>
          {n.id}
        </p>
        <Button variant="outline" size="sm" disabled={retrying} onClick={onRetry} aria-label={`Retry ${label} to ${to}`}>
          {retrying ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <RotateCwIcon aria-hidden="true" />}
          Retry
        </Button>
      </div>
    </li>
  )
}

/**
 * FailedNotifications lists notifications that gave up after their last attempt, each with a retry.
 * Outcomes are said inline (a live region) rather than by toast: this page then needs no toast code,
 * which keeps the shared chunks of the sign-in page as they were.
 */
export function FailedNotifications() {
  const q = useFailedNotifications()
  const retry = useRetryNotification()
  const [notice, setNotice] = useState('')
  const items = q.data?.pages.flatMap((p) => p.items) ?? []

  function retryOne(n: FailedNotification) {
    const what = `${kindLabel(n.kind)} to ${recipient(n)}`
    setNotice('')
    retry.mutate(n.id, {
      onSuccess: () => setNotice(`${what} is queued again.`),
      onError: (e) => {
        // Someone else retried it first: the list refreshes and it simply leaves.
        if (isApiError(e) && e.code === 'conflict') {
          setNotice(`${what} was already queued again.`)
          void q.refetch()
        }
      },
    })
  }

  if (q.isPending)
    return (
      <div className="grid gap-2" aria-busy="true" aria-label="Loading failed notifications">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    )
  if (!q.data) return <ErrorAlert error={q.error} title="Couldn't load failed notifications" onRetry={() => q.refetch()} />
  const retryFailed = retry.isError && !(isApiError(retry.error) && retry.error.code === 'conflict')
  return (
    <div className="grid grid-cols-1 gap-3">
      <p role="status" aria-live="polite" className="text-sm text-success empty:hidden">
        {notice}
      </p>
      {retryFailed && <ErrorAlert error={retry.error} title="Couldn't retry" />}
      {items.length === 0 ? (
        <EmptyState icon={CircleCheckIcon} title="No failed notifications" description="Every email and staff alert went out, or is still being retried." />
      ) : (
        <ul className="grid grid-cols-1 gap-2" aria-label="Failed notifications">
          {items.map((n) => (
            <FailedRow key={n.id} n={n} retrying={retry.isPending && retry.variables === n.id} onRetry={() => retryOne(n)} />
          ))}
        </ul>
      )}
      {q.isFetchNextPageError && <ErrorAlert error={q.error} title="Couldn't load more" />}
      {q.hasNextPage && (
        <Button variant="outline" className="justify-self-center" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
          {q.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </Button>
      )}
    </div>
  )
}
