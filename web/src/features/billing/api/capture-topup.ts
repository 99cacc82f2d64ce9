import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { billingKeys } from './get-balance'
import type { CaptureResult } from '@/types/api'

export type { CaptureResult }

export function captureTopup(orderId: string) {
  return api.post<CaptureResult>(`/api/billing/topups/${encodeURIComponent(orderId)}/capture`)
}

/** useCaptureTopup finishes a PayPal top-up after the buyer returns, then refreshes billing. */
export function useCaptureTopup() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: captureTopup,
    onSettled: () => qc.invalidateQueries({ queryKey: billingKeys.all }),
  })
}
