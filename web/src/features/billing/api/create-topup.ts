import { useMutation } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { TopupOrder } from '@/types/api'

/** TopupLimits are the bounds the API enforces (TOPUP_MIN, TOPUP_MAX), served by GET /api/billing/checkout. */
export interface TopupLimits {
  minMinor: number
  maxMinor: number
}

/** dollars shows minor units as "5" or "7.50". */
export const dollars = (minor: number) => (minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2))

/** topupSchema checks an amount against the API's limits; without them (still loading) only its shape, and the API decides. */
export const topupSchema = (limits?: TopupLimits) =>
  z.object({
    amount: z
      .string()
      .trim()
      .regex(/^\d+(\.\d{1,2})?$/, 'Enter an amount like 25 or 25.50.')
      .refine((v) => !limits || Math.round(Number(v) * 100) >= limits.minMinor, `The smallest top-up is $${limits ? dollars(limits.minMinor) : ''}.`)
      .refine((v) => !limits || Math.round(Number(v) * 100) <= limits.maxMinor, `The largest top-up is $${limits ? dollars(limits.maxMinor) : ''}.`),
  })

export type { TopupOrder }

/**
 * createTopup opens a PayPal order (with an optional promo code); the caller then sends the browser to approveUrl.
 * returnTo is the panel page PayPal sends the buyer back to (default /billing).
 */
export function createTopup(input: { amount: string; coupon?: string; returnTo?: string }) {
  const coupon = input.coupon?.trim()
  return api.post<TopupOrder>('/api/billing/topups', { amount: Number(input.amount).toFixed(2), returnTo: input.returnTo, ...(coupon ? { coupon } : {}) })
}

export function useCreateTopup() {
  return useMutation({ mutationFn: createTopup })
}
