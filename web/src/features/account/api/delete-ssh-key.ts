import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { accountKeys } from './keys'

export function deleteSshKey(id: string) {
  return api.delete<void>(`/api/account/ssh-keys/${encodeURIComponent(id)}`)
}

export function useDeleteSshKey() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: deleteSshKey, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.sshKeys }) })
}
