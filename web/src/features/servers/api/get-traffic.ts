import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { TrafficPeriod } from '@/types/api'
import { serverKeys } from './keys'

export const getTraffic = (id: number) => api.get<{ periods: TrafficPeriod[] }>(`/api/servers/${id}/traffic`)

export const trafficQueryOptions = (id: number) =>
  queryOptions({ queryKey: serverKeys.traffic(id), queryFn: () => getTraffic(id), staleTime: 60_000 })

export function useTraffic(id: number) {
  return useQuery(trafficQueryOptions(id))
}
