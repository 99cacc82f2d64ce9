import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AiDraft, CannedReply, CustomerContext, Page, Ticket, TicketThread } from '@/types/api'
import { ticketKeys } from './keys'

export type QueueFilters = Record<'status' | 'category' | 'priority' | 'assignee' | 'waitingOn', string>

const clean = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v || undefined]))

/** useTicketQueue pages the staff queue with its filters. */
export function useTicketQueue(filters: QueueFilters) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: ticketKeys.queue(filters),
      queryFn: ({ pageParam }) =>
        api.get<Page<Ticket>>('/api/admin/tickets', { params: { ...clean(filters), cursor: pageParam || undefined } }),
      initialPageParam: '',
      getNextPageParam: (last) => last.nextCursor || undefined,
    }),
  )
}

const staffBase = (id: string) => `/api/admin/tickets/${encodeURIComponent(id)}`

/** useStaffTicket reads a ticket with its internal notes. */
export function useStaffTicket(id: string) {
  return useQuery({ queryKey: ticketKeys.staffThread(id), queryFn: () => api.get<TicketThread>(staffBase(id)) })
}

/** useCustomerContext reads the ticket's customer: balance, servers, activity, payments. */
export function useCustomerContext(id: string) {
  return useQuery({ queryKey: ticketKeys.context(id), queryFn: () => api.get<CustomerContext>(`${staffBase(id)}/context`) })
}

/** useStaffReply sends a reply, or adds an internal note. */
export function useStaffReply(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (m: { body: string; internal: boolean }) => api.post<TicketThread>(`${staffBase(id)}/messages`, m),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.all }),
  })
}

/** useChangeTicket changes status, priority or assignee ("me" or "" to unassign). */
export function useChangeTicket(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (c: { status?: string; priority?: string; assignee?: string }) => api.patch<Ticket>(staffBase(id), c),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.all }),
  })
}

/** useDraftReply asks the AI for a draft; it is only ever put in the editor. */
export function useDraftReply(id: string) {
  return useMutation({ mutationFn: () => api.post<AiDraft>(`${staffBase(id)}/draft`) })
}

/** useCannedReplies lists the canned replies. */
export function useCannedReplies() {
  return useQuery({ queryKey: ticketKeys.canned, queryFn: () => api.get<{ items: CannedReply[] }>('/api/admin/canned-replies') })
}

/** useSaveCanned creates (no id) or changes a canned reply. */
export function useSaveCanned() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (c: { id?: string; title: string; body: string }) =>
      c.id
        ? api.put<CannedReply>(`/api/admin/canned-replies/${encodeURIComponent(c.id)}`, { title: c.title, body: c.body })
        : api.post<CannedReply>('/api/admin/canned-replies', { title: c.title, body: c.body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.canned }),
  })
}

/** useDeleteCanned deletes a canned reply. */
export function useDeleteCanned() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/admin/canned-replies/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.canned }),
  })
}
