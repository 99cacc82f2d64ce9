import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Task } from '@/types/api'
import { serverKeys } from './keys'

export interface ReinstallInput {
  templateId: number
  hostname: string
  sshKeyIds: number[]
  confirm: string
}

export function reinstallServer(id: number, input: ReinstallInput) {
  return api.post<{ task: Task; rootPassword: string }>(`/api/servers/${id}/reinstall`, input)
}

export function useReinstallServer(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: ReinstallInput) => reinstallServer(id, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: serverKeys.detail(id), exact: true }),
  })
}
