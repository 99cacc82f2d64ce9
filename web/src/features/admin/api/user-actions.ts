import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { BlockedUser, ConsoleUserBody } from '@/types/api'
import { adminKeys } from './get-users'

const userPath = (id: string) => `/api/admin/users/${encodeURIComponent(id)}`

/** useUserAction runs one console action on a user and refreshes the user views. */
function useUserAction<In, Out>(run: (input: In) => Promise<Out>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: run,
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.users }),
  })
}

export function useBlockUser(id: string) {
  return useUserAction((input: { blocked: boolean; suspendServers: boolean }) => api.post<BlockedUser>(`${userPath(id)}/block`, input))
}

export function useSetRole(id: string) {
  return useUserAction((role: 'customer' | 'admin') => api.put<ConsoleUserBody>(`${userPath(id)}/role`, { role }))
}

export function useLinkVirtFusion(id: string) {
  return useUserAction((vfUserId: number) => api.post<ConsoleUserBody>(`${userPath(id)}/virtfusion-link`, { vfUserId }))
}

export function useSendPasswordReset(id: string) {
  return useUserAction(() => api.post<{ ok: boolean }>(`${userPath(id)}/password-reset`))
}

export function useDeleteUser(id: string) {
  return useUserAction((confirm: string) => api.delete<void>(userPath(id), { confirm }))
}
