import { MailIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { formatDateTime } from '@/lib/format'
import { useMailHistory } from '../api/get-mail-history'
import { kindLabel } from '../lib/kinds'
import type { MailItem } from '../types'
import { DeliveryStateBadge } from './delivery-state-badge'

function MailRow({ m }: { m: MailItem }) {
  // The subject is known once the message is rendered for sending; until then its kind says what it is.
  const subject = m.subject || kindLabel(m.kind)
  const at = m.sentAt ?? m.createdAt
  return (
    <li className="flex items-start gap-3 rounded-lg border bg-background/30 p-3">
      <MailIcon className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden="true" />
      <div className="grid min-w-0 flex-1 gap-1">
        <p className="line-clamp-2 font-medium wrap-anywhere">
          {subject}
        </p>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          <DeliveryStateBadge state={m.state} />
          <time dateTime={at}>{formatDateTime(at)}</time>
        </p>
      </div>
    </li>
  )
}

/** MailHistory lists the mail sent to the signed-in customer, newest first, an older page at a time. */
export function MailHistory() {
  const q = useMailHistory()
  const items = q.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Card>
      <CardHeader>
        <CardTitle>Mail history</CardTitle>
        <CardDescription>Every email we sent you or are about to send, newest first.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {q.isPending ? (
          <div className="grid gap-2" aria-busy="true" aria-label="Loading mail history">
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className="h-14" />
            ))}
          </div>
        ) : !q.data ? (
          <ErrorAlert error={q.error} title="Couldn't load your mail history" onRetry={() => q.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState icon={MailIcon} title="No mail yet" />
        ) : (
          <ol className="grid gap-2" aria-label="Mail history">
            {items.map((m) => (
              <MailRow key={m.id} m={m} />
            ))}
          </ol>
        )}
        {q.isFetchNextPageError && <ErrorAlert error={q.error} title="Couldn't load older mail" />}
        {q.hasNextPage && (
          <Button variant="outline" className="justify-self-center" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
            {q.isFetchingNextPage ? 'Loading…' : 'Load older mail'}
          </Button>
        )}
      </CardContent>
    </Card>
  )
}
