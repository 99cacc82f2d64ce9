import { useRef } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { Adjusted } from '@/types/api'
import { adminKeys } from './get-users'

export const adjustmentSchema = z.object({
  amount: z
    .string()
    .trim()
    .regex(/^[+-]?\d+(\.\d{1,2})?$/, 'Enter an amount like 10, -5 or 12.50.')
    .refine((v) => Number(v) !== 0, 'The amount can’t be zero.'),
  reason: z.string().trim().min(3, 'Say why, for the ledger (at least 3 characters).').max(200, 'Use at most 200 characters.'),
})

export function toMinor(amount: string) {
  return Math.round(Number(amount) * 100)
}

/** createAdjustment credits or debits a customer; the key makes a retried request apply once. */
export function createAdjustment(userId: string, input: { amountMinor: number; reason: string }, idempotencyKey: string) {
  return api.post<Adjusted>(`/api/admin/users/${encodeURIComponent(userId)}/adjustments`, input, {
    headers: { 'Idempotency-Key': idempotencyKey },
  })
}

export function useCreateAdjustment(userId: string) {
  const qc = useQueryClient()
  // One key per adjustment: a retry after a failure reuses it, a success starts a new one.
  const key = useRef(crypto.randomUUID())
  return useMutation({
    mutationFn: (input: { amountMinor: number; reason: string }) => createAdjustment(userId, input, key.current),
    onSuccess: () => {
      key.current = crypto.randomUUID()
      return qc.invalidateQueries({ queryKey: adminKeys.users })
    },
  })
}
