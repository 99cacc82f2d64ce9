import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { BillingRun, Page, RerunResult } from '@/types/api'

const runsKey = ['admin', 'billing-runs'] as const

export const getBillingRuns = (cursor?: string) => api.get<Page<BillingRun>>('/api/admin/billing/runs', { params: { cursor, limit: '10' } })

export const billingRunsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: runsKey,
    queryFn: ({ pageParam }) => getBillingRuns(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

/** useBillingRuns pages through the billing runs' summaries, newest first, server-side. */
export function useBillingRuns() {
  return useInfiniteQuery(billingRunsQueryOptions())
}

export const rerunHour = (hour: string) => api.post<RerunResult>('/api/admin/billing/runs', { hour })

/** useRerunHour charges every unbilled hour up to the one chosen; hours charged before are never charged again. */
export function useRerunHour() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: rerunHour, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }) })
}
