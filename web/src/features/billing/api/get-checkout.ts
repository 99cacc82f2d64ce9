import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { billingKeys } from './get-balance'
import type { Checkout } from '@/types/api'

/**
 * Checkout says how the browser pays: "sdk" renders PayPal's own buttons (production),
 * "redirect" sends the buyer to the order's approval page (the simulator locally).
 * The client id is public by design; the secret never leaves the server.
 */
export type { Checkout }

export const getCheckout = () => api.get<Checkout>('/api/billing/checkout')

export const checkoutQueryOptions = () =>
  queryOptions({ queryKey: [...billingKeys.all, 'checkout'] as const, queryFn: getCheckout, staleTime: Infinity, retry: 1 })

/** useCheckout reads the checkout mode; enabled only while the top-up dialog is open. */
export function useCheckout(enabled: boolean) {
  return useQuery({ ...checkoutQueryOptions(), enabled })
}
