import { useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { ticketKeys } from './keys'

/** useUnreadTickets counts tickets with a staff reply the customer has not read (the nav badge). */
export function useUnreadTickets() {
  return useQuery({
    queryKey: ticketKeys.unread,
    queryFn: () => api.get<{ count: number }>('/api/tickets/unread'),
    refetchInterval: 60_000,
  })
}
