import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { Page, Ticket, TicketThread } from '@/types/api'
import { ticketKeys } from './keys'

export const getMyTickets = (status: string, cursor?: string) =>
  api.get<Page<Ticket>>('/api/tickets', { params: { status: status || undefined, cursor } })

/** useMyTickets pages the customer's tickets, latest activity first, optionally of one status. */
export function useMyTickets(status: string) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: ticketKeys.mine(status),
      queryFn: ({ pageParam }) => getMyTickets(status, pageParam || undefined),
      initialPageParam: '',
      getNextPageParam: (last) => last.nextCursor || undefined,
    }),
  )
}

/** useTicket reads one of the customer's tickets; reading marks it read. */
export function useTicket(id: string) {
  const qc = useQueryClient()
  return useQuery({
    queryKey: ticketKeys.thread(id),
    queryFn: async () => {
      const t = await api.get<TicketThread>(`/api/tickets/${encodeURIComponent(id)}`)
      if (t.ticket?.unread) void qc.invalidateQueries({ queryKey: ticketKeys.unread })
      return t
    },
  })
}

export const newTicketSchema = z.object({
  subject: z.string().trim().min(1, 'Say what it is about.').max(200, 'Keep it to 200 characters.'),
  category: z.enum(['billing', 'technical', 'sales', 'abuse']),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  serverId: z.number().int().nonnegative(),
  body: z.string().trim().min(1, 'Describe the problem.').max(20000, 'Keep it to 20,000 characters.'),
})
export type NewTicketInput = z.infer<typeof newTicketSchema>

/** useCreateTicket opens a ticket. */
export function useCreateTicket() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: NewTicketInput) =>
      api.post<TicketThread>('/api/tickets', { ...input, serverId: input.serverId || undefined }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.all }),
  })
}

/** useTicketAction writes in, closes or reopens one of the customer's tickets. */
export function useTicketAction(id: string) {
  const qc = useQueryClient()
  const base = `/api/tickets/${encodeURIComponent(id)}`
  return useMutation({
    mutationFn: async (a: { kind: 'reply'; body: string } | { kind: 'close' | 'reopen' }): Promise<unknown> =>
      a.kind === 'reply' ? api.post<TicketThread>(`${base}/messages`, { body: a.body }) : api.post<Ticket>(`${base}/${a.kind}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.all }),
  })
}
