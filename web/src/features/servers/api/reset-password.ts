import { useMutation } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Task } from '@/types/api'

export function resetRootPassword(id: number) {
  return api.post<{ password: string; task: Task }>(`/api/servers/${id}/reset-password`)
}

export function useResetRootPassword(id: number) {
  return useMutation({ mutationFn: () => resetRootPassword(id) })
}
