import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Balance } from '@/types/api'

export const billingKeys = {
  all: ['billing'] as const,
  balance: ['billing', 'balance'] as const,
  transactions: (f: object) => ['billing', 'transactions', f] as const,
  invoices: ['billing', 'invoices'] as const,
}

export const getBalance = () => api.get<Balance>('/api/billing/balance')

export const balanceQueryOptions = () => queryOptions({ queryKey: billingKeys.balance, queryFn: getBalance, staleTime: 30_000 })

export function useBalance() {
  return useQuery(balanceQueryOptions())
}
