import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { OrderCreated, OrderRequest } from '@/types/api'
import { serverKeys } from './keys'

export const hostnameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a hostname.')
  .max(253, 'Use at most 253 characters.')
  .regex(
    /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    'Use letters, digits, hyphens and dots, like web-1.example.com.',
  )

export type CreateServerInput = OrderRequest

/** createServer orders a server; the idempotency key makes a retried request create it only once. */
export function createServer(input: CreateServerInput, idempotencyKey: string) {
  return api.post<OrderCreated>('/api/servers', input, {
    headers: { 'Idempotency-Key': idempotencyKey },
  })
}

export function useCreateServer() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: CreateServerInput; idempotencyKey: string }) => createServer(input, idempotencyKey),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: serverKeys.all })
      qc.invalidateQueries({ queryKey: ['billing'] })
    },
  })
}
