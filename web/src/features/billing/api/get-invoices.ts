import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Invoice } from '@/types/api'
import { billingKeys } from './get-balance'

export const getInvoices = () => api.get<{ invoices: Invoice[] }>('/api/billing/invoices')

export const invoicesQueryOptions = () => queryOptions({ queryKey: billingKeys.invoices, queryFn: getInvoices })

export function useInvoices() {
  return useQuery(invoicesQueryOptions())
}

export const invoicePdfUrl = (id: string) => `/api/billing/invoices/${encodeURIComponent(id)}/pdf`
