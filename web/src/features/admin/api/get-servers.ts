import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { ConsoleServerList, Transferred } from '@/types/api'
import { adminKeys } from './get-users'

/** ServerFilters are the server list's server-side filters, sort and page. */
export interface ServerFilters {
  state?: '' | 'complete' | 'building' | 'gone'
  suspended?: '' | 'true' | 'false'
  unbilled?: '' | 'true' | 'false'
  owner?: string
  package?: string
  location?: string
  sort?: string
  cursor?: string
}

export const getServers = (f: ServerFilters) =>
  api.get<ConsoleServerList>('/api/admin/servers', {
    params: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v === '' ? undefined : v])),
  })

export function useAdminServers(f: ServerFilters) {
  return useQuery({ queryKey: [...adminKeys.servers, f], queryFn: () => getServers(f), placeholderData: keepPreviousData })
}

const serverPath = (id: number) => `/api/admin/servers/${id}`

/** useServerAction runs one console action on a server and refreshes the lists. */
function useServerAction<In, Out>(run: (input: In) => Promise<Out>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: run,
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: adminKeys.servers }), qc.invalidateQueries({ queryKey: adminKeys.users })]),
  })
}

export function usePowerServer() {
  return useServerAction((v: { id: number; action: 'boot' | 'shutdown' | 'restart' | 'poweroff' }) => api.post<{ ok: boolean }>(`${serverPath(v.id)}/power`, { action: v.action }))
}

export function useSuspendServer() {
  return useServerAction((v: { id: number; suspended: boolean }) => api.put<{ ok: boolean }>(`${serverPath(v.id)}/suspension`, { suspended: v.suspended }))
}

export function useDeleteServer() {
  return useServerAction((v: { id: number; confirm: string }) => api.delete<void>(serverPath(v.id), { confirm: v.confirm }))
}

export function useTransferServer() {
  return useServerAction((v: { id: number; userId: string }) => api.post<Transferred>(`${serverPath(v.id)}/transfer`, { userId: v.userId }))
}
