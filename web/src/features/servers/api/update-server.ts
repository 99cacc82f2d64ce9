import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { ServerSummary } from '@/types/api'
import { serverKeys } from './keys'

export const serverNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(64, 'Use at most 64 characters.')

export function updateServer(id: number, input: { name: string }) {
  return api.patch<{ server: ServerSummary }>(`/api/servers/${id}`, input)
}

export function useUpdateServer(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: { name: string }) => updateServer(id, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: serverKeys.all }),
  })
}
