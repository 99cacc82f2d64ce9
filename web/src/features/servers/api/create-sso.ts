import { useMutation } from '@tanstack/react-query'
import { api } from '@/lib/api-client'

export function createSso(id: number) {
  return api.post<{ url: string; expiresAt: string }>(`/api/servers/${id}/sso`)
}

export function useCreateSso(id: number) {
  return useMutation({ mutationFn: () => createSso(id) })
}
