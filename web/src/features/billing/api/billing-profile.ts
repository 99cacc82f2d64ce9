import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { BillingProfile } from '@/types/api'

const key = ['billing', 'profile'] as const

export const billingProfileQueryOptions = () =>
  queryOptions({ queryKey: key, queryFn: () => api.get<{ profile: BillingProfile }>('/api/billing/profile') })

/** useBillingProfile reads who the customer's invoices are made out to. */
export function useBillingProfile() {
  return useQuery(billingProfileQueryOptions())
}

/** useSaveBillingProfile saves it; the next invoice PDF shows it. */
export function useSaveBillingProfile() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (profile: BillingProfile) => api.put<{ profile: BillingProfile }>('/api/billing/profile', profile),
    onSuccess: (res) => qc.setQueryData(key, res),
  })
}
