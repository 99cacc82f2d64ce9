import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { accountKeys } from './keys'

export function deleteSshKey(id: number) {
  return api.delete<void>(`/api/account/ssh-keys/${id}`)
}

export function useDeleteSshKey() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: deleteSshKey, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.sshKeys }) })
}
