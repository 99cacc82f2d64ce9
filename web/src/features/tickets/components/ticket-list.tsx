import { Link } from 'wouter'
import { formatRelative } from '@/lib/format'
import type { Ticket } from '@/types/api'
import { label, StatusBadge } from './labels'

/** TicketList links each ticket, newest activity first, marking unread ones. */
export function TicketList({ tickets, href, staff = false }: { tickets: Ticket[]; href: (id: string) => string; staff?: boolean }) {
  return (
    <ul className="grid gap-2" aria-label="Tickets">
      {tickets.map((t) => (
        <li key={t.id}>
          <Link
            href={href(t.id)}
            className="grid min-h-10 gap-1 rounded-xl border bg-card/60 p-3 backdrop-blur transition-colors outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <span className="flex items-center gap-2">
              {t.unread && (
                <span className="size-2 shrink-0 rounded-full bg-primary" aria-hidden="true" />
              )}
              <span className={t.unread ? 'min-w-0 truncate font-semibold' : 'min-w-0 truncate font-medium'}>{t.subject}</span>
              {t.unread && <span className="sr-only">(unread)</span>}
              <span className="ml-auto shrink-0">
                <StatusBadge status={t.status} />
              </span>
            </span>
            <span className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
              <span>{label(t.category)}</span>
              <span>{label(t.priority)} priority</span>
              {t.serverName && <span>Server {t.serverName}</span>}
              {staff && <span>{t.email}</span>}
              {staff && <span>{t.assigneeName ? `Assigned to ${t.assigneeName}` : 'Unassigned'}</span>}
              <span>Waiting on {t.waitingOn === 'staff' ? (staff ? 'us' : 'support') : staff ? 'customer' : 'you'}</span>
              <span>{formatRelative(t.lastActivityAt)}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  )
}
