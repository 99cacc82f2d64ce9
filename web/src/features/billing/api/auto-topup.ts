import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AutoTopup, VaultStarted } from '@/types/api'
import { billingKeys } from './get-balance'

const key = ['billing', 'auto-topup'] as const

export const autoTopupQueryOptions = () => queryOptions({ queryKey: key, queryFn: () => api.get<AutoTopup>('/api/billing/auto-topup') })

export function useAutoTopup() {
  return useQuery(autoTopupQueryOptions())
}

/** useStartVault opens PayPal's approval of saving the account; the caller sends the browser to approveUrl. */
export function useStartVault() {
  return useMutation({ mutationFn: () => api.post<VaultStarted>('/api/billing/auto-topup/setup', undefined) })
}

function useSetter<T>(fn: (input: T) => Promise<AutoTopup>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: (v) => {
      qc.setQueryData(key, v)
      void qc.invalidateQueries({ queryKey: billingKeys.balance })
    },
  })
}

/** useConfirmVault saves the PayPal account approved under setup token `token`. */
export function useConfirmVault() {
  return useSetter((token: string) => api.post<AutoTopup>(`/api/billing/auto-topup/setup/${encodeURIComponent(token)}/confirm`, undefined))
}

export function useSaveAutoTopup() {
  return useSetter((input: { enabled: boolean; thresholdMinor: number; amountMinor: number }) => api.put<AutoTopup>('/api/billing/auto-topup', input))
}

export function useRemoveAutoTopup() {
  return useSetter(() => api.delete<AutoTopup>('/api/billing/auto-topup'))
}
