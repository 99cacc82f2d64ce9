import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { StatusMessage } from '@/types/api'

export const statusMessageSchema = z.object({
  kind: z.enum(['maintenance', 'incident']),
  text: z.string().trim().min(1, 'Write the message.').max(500, 'Keep it to 500 characters.'),
})

export type StatusMessageInput = z.infer<typeof statusMessageSchema>

export const setStatusMessage = (input: StatusMessageInput) => api.put<{ message: StatusMessage }>('/api/admin/status-message', input)
export const clearStatusMessage = () => api.delete<void>('/api/admin/status-message')

// The public status query of the status feature; features share only the key.
const statusKey = ['status']

/** useSetStatusMessage posts the maintenance or incident notice everyone sees. */
export function useSetStatusMessage() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: setStatusMessage, onSuccess: () => qc.invalidateQueries({ queryKey: statusKey }) })
}

/** useClearStatusMessage takes the notice down. */
export function useClearStatusMessage() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: clearStatusMessage, onSuccess: () => qc.invalidateQueries({ queryKey: statusKey }) })
}
