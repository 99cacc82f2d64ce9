import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { accountKeys } from './keys'

export function revokeSession(id: string) {
  return api.delete<void>(`/api/account/sessions/${encodeURIComponent(id)}`)
}

export function useRevokeSession() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: revokeSession, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.sessions }) })
}
