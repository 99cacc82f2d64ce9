import { queryOptions, useQuery } from '@tanstack/react-query'
import { timing } from '@/config/timing'
import { api } from '@/lib/api-client'
import type { ServerSummary } from '@/types/api'
import { serverKeys } from './keys'

export const getServers = () => api.get<{ servers: ServerSummary[] }>('/api/servers')

export const serversQueryOptions = () => queryOptions({ queryKey: serverKeys.list(), queryFn: getServers })

/** useServers lists the servers; with live=true it polls while the tab is visible. */
export function useServers({ live = false }: { live?: boolean } = {}) {
  return useQuery({ ...serversQueryOptions(), refetchInterval: live ? timing.serversPollMs : false })
}
