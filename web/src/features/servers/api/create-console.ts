import { useMutation } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { ConsoleAccess } from '@/types/api'

export function createConsole(id: number) {
  return api.post<ConsoleAccess>(`/api/servers/${id}/console`)
}

export function useCreateConsole(id: number) {
  return useMutation({ mutationFn: () => createConsole(id) })
}
