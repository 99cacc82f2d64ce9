import { Badge } from '@/components/ui/badge'
import type { Ticket } from '@/types/api'

export const categories = ['billing', 'technical', 'sales', 'abuse'] as const
export const priorities = ['low', 'normal', 'high', 'urgent'] as const
export const statuses = ['open', 'pending', 'closed'] as const

export const label = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** StatusBadge shows a ticket's status. */
export function StatusBadge({ status }: { status: Ticket['status'] }) {
  const variant = status === 'closed' ? 'secondary' : status === 'pending' ? 'outline' : 'default'
  return <Badge variant={variant}>{label(status)}</Badge>
}
