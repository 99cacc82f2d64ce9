import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminTopup, Page, RefundResult, RevenueReport } from '@/types/api'

const topupsKey = (status: string) => ['admin', 'topups', status] as const

export const getTopups = (status: string, cursor?: string) =>
  api.get<Page<AdminTopup>>('/api/admin/topups', { params: { status: status || undefined, cursor } })

export const topupsQueryOptions = (status: string) =>
  infiniteQueryOptions({
    queryKey: topupsKey(status),
    queryFn: ({ pageParam }) => getTopups(status, pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

/** useTopups pages through PayPal top-ups, newest first, server-side. */
export function useTopups(status: string) {
  return useInfiniteQuery(topupsQueryOptions(status))
}

export const getRevenue = () => api.get<RevenueReport>('/api/admin/revenue', { params: { months: '12' } })

/** useRevenue is the last 12 months of the ledger's totals. */
export function useRevenue() {
  return useQuery(queryOptions({ queryKey: ['admin', 'revenue'], queryFn: getRevenue }))
}

export const revenueCsvUrl = '/api/admin/revenue/csv?months=12'

export interface RefundInput {
  id: string
  amountMinor: number
  reason: string
  key: string
}

export const refundTopup = ({ id, amountMinor, reason, key }: RefundInput) =>
  api.post<RefundResult>(`/api/admin/topups/${encodeURIComponent(id)}/refunds`, { amountMinor, reason }, { headers: { 'Idempotency-Key': key } })

/** useRefundTopup refunds through PayPal; the wallet is debited once. */
export function useRefundTopup() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: refundTopup, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }) })
}
