import { useQuery } from '@tanstack/react-query'
import { timing } from '@/config/timing'
import { api } from '@/lib/api-client'
import type { Metrics } from '@/types/api'
import { serverKeys } from './keys'

export const getMetrics = (id: number) => api.get<Metrics>(`/api/servers/${id}/metrics`)

/** useMetrics polls live usage every few seconds while the page is visible. */
export function useMetrics(id: number) {
  return useQuery({
    queryKey: serverKeys.metrics(id),
    queryFn: () => getMetrics(id),
    refetchInterval: timing.metricsPollMs,
    staleTime: 0,
  })
}
