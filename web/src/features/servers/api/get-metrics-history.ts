import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { MetricsHistory, MetricsRange } from '@/types/api'
import { serverKeys } from './keys'

export const getMetricsHistory = (id: number, range: MetricsRange) =>
  api.get<MetricsHistory>(`/api/servers/${id}/metrics/history?range=${range}`)

/** useMetricsHistory reads the sampler's history (a sample every 5 minutes), refreshed as new samples land. */
export function useMetricsHistory(id: number, range: MetricsRange) {
  return useQuery({
    queryKey: serverKeys.metricsHistory(id, range),
    queryFn: () => getMetricsHistory(id, range),
    refetchInterval: 5 * 60_000,
    placeholderData: keepPreviousData,
  })
}
