import { useMutation } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { CouponPreview } from '@/types/api'

/** validateCoupon previews what a promo code gives on a top-up of amount (nothing is redeemed). */
export function validateCoupon(input: { code: string; amount: string }) {
  return api.post<CouponPreview>('/api/billing/coupons/validate', { code: input.code.trim(), on: 'topup', amount: Number(input.amount).toFixed(2) })
}

export function useValidateCoupon() {
  return useMutation({ mutationFn: validateCoupon })
}
