import { LockIcon } from 'lucide-react'
import { formatDateTime } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { TicketMessage } from '@/types/api'
import { Markdown } from './markdown'

/** Thread lists a ticket's messages, oldest first; staff notes are marked internal. */
export function Thread({ messages, viewer }: { messages: TicketMessage[]; viewer: 'customer' | 'staff' }) {
  return (
    <ol className="grid gap-3" aria-label="Messages">
      {messages.map((m) => {
        const mine = viewer === 'staff' ? m.staff : !m.staff
        return (
          <li
            key={m.id}
            className={cn(
              'grid gap-2 rounded-xl border p-4 backdrop-blur',
              m.internal ? 'border-warning/40 bg-warning/10' : mine ? 'bg-primary/10' : 'bg-card/60',
            )}
          >
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
              <span className="font-medium text-foreground">{m.authorName || (m.staff ? 'Support' : 'Customer')}</span>
              {m.staff && !m.internal && <span>Staff</span>}
              {m.internal && (
                <span className="inline-flex items-center gap-1 text-warning">
                  <LockIcon className="size-3" aria-hidden="true" /> Internal note
                </span>
              )}
              <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
            </div>
            <Markdown text={m.body} />
          </li>
        )
      })}
    </ol>
  )
}
