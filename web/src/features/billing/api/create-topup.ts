import { useMutation } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { TopupOrder } from '@/types/api'

export const MIN_TOPUP = 5
export const MAX_TOPUP = 1000

export const topupSchema = z.object({
  amount: z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,2})?$/, 'Enter an amount like 25 or 25.50.')
    .refine((v) => Number(v) >= MIN_TOPUP, `The smallest top-up is $${MIN_TOPUP}.`)
    .refine((v) => Number(v) <= MAX_TOPUP, `The largest top-up is $${MAX_TOPUP}.`),
})

export type { TopupOrder }

/** createTopup opens a PayPal order; the caller then sends the browser to approveUrl. */
export function createTopup(input: { amount: string }) {
  return api.post<TopupOrder>('/api/billing/topups', { amount: Number(input.amount).toFixed(2) })
}

export function useCreateTopup() {
  return useMutation({ mutationFn: createTopup })
}
