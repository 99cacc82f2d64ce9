import { useUnreadTickets } from '../api/get-unread'

/** UnreadBadge counts tickets with an unread staff reply, for the shell's nav. */
export function UnreadBadge() {
  const unread = useUnreadTickets()
  const n = unread.data?.count ?? 0
  if (n === 0) return null
  return (
    <span className="ml-auto grid h-5 min-w-5 place-items-center rounded-full bg-primary px-1.5 text-xs font-semibold text-primary-foreground">
      {n}
      <span className="sr-only"> unread</span>
    </span>
  )
}
