import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { components } from '@/types/openapi'
import { serverKeys } from './keys'

export type ServerAddons = components['schemas']['ServerAddons']

const addonsKey = (id: number) => [...serverKeys.detail(id), 'addons'] as const

export const getAddons = (id: number) => api.get<ServerAddons>(`/api/servers/${id}/addons`)

export const addonsQueryOptions = (id: number) => queryOptions({ queryKey: addonsKey(id), queryFn: () => getAddons(id) })

/** useAddons is the server's backup plan and extra IPv4 addresses, with what can be added. */
export function useAddons(id: number) {
  return useQuery(addonsQueryOptions(id))
}

function useAddonMutation<V>(id: number, fn: (v: V) => Promise<ServerAddons>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => {
      qc.setQueryData(addonsKey(id), data)
      qc.invalidateQueries({ queryKey: serverKeys.detail(id) })
      qc.invalidateQueries({ queryKey: ['billing'] })
    },
  })
}

export function useSetBackupPlan(id: number) {
  return useAddonMutation(id, (planId: number) => api.put<ServerAddons>(`/api/servers/${id}/backup-plan`, { planId }))
}

export function useAddIpv4(id: number) {
  return useAddonMutation(id, () => api.post<ServerAddons>(`/api/servers/${id}/ipv4`))
}

export function useRemoveIpv4(id: number) {
  return useAddonMutation(id, (ip: string) => api.delete<ServerAddons>(`/api/servers/${id}/ipv4/${encodeURIComponent(ip)}`))
}
