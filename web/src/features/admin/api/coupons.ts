import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Coupon, CouponRedemption } from '@/types/api'

const key = ['admin', 'coupons'] as const

export function useCoupons() {
  return useQuery(queryOptions({ queryKey: key, queryFn: () => api.get<{ items: Coupon[] }>('/api/admin/coupons') }))
}

export function useRedemptions(code?: string) {
  return useQuery({
    queryKey: [...key, code, 'redemptions'],
    queryFn: () =>
      api.get<{ items: CouponRedemption[]; totalMinor: number; redemptions: number }>(`/api/admin/coupons/${encodeURIComponent(code ?? '')}/redemptions`),
    enabled: !!code,
  })
}

/** NewCoupon is the body of POST /api/admin/coupons. */
export interface NewCoupon {
  code: string
  kind: Coupon['kind']
  percent?: number
  amountMinor?: number
  hours?: number
  packageId?: number
  minAmountMinor?: number
  validUntil: string
  maxRedemptions?: number
  perCustomer: number
}

export function useCreateCoupon() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (c: NewCoupon) => api.post<{ coupon: Coupon }>('/api/admin/coupons', c),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  })
}

export function useSetCouponDisabled() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ code, disabled }: { code: string; disabled: boolean }) =>
      api.patch<{ coupon: Coupon }>(`/api/admin/coupons/${encodeURIComponent(code)}`, { disabled }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  })
}
