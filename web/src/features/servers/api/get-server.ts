import { queryOptions, useQuery } from '@tanstack/react-query'
import { timing } from '@/config/timing'
import { api } from '@/lib/api-client'
import type { ServerDetail } from '@/types/api'
import { serverKeys } from './keys'

export const getServer = (id: number) => api.get<{ server: ServerDetail }>(`/api/servers/${id}`)

export const serverQueryOptions = (id: number) =>
  queryOptions({ queryKey: serverKeys.detail(id), queryFn: () => getServer(id), select: (r) => r.server })

/** useServer loads one server; it polls faster while the server is still being built. */
export function useServer(id: number) {
  return useQuery({
    ...serverQueryOptions(id),
    refetchInterval: (q) => {
      const s = q.state.data?.server
      if (!s) return false
      return s.provisioning === 'building' || s.provisioning === 'allocated' ? timing.buildPollMs : timing.serversPollMs
    },
  })
}
