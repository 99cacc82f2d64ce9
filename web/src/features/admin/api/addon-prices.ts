import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { components } from '@/types/openapi'

export type AddonPrices = components['schemas']['AddonPrices']

const addonPricesKey = ['admin', 'addon-prices'] as const

export const addonPricesQueryOptions = () =>
  queryOptions({ queryKey: addonPricesKey, queryFn: () => api.get<AddonPrices>('/api/admin/addon-prices') })

/** useAddonPrices is the price book of backup plans and extra IPv4. */
export function useAddonPrices() {
  return useQuery(addonPricesQueryOptions())
}

function usePriceMutation<V>(fn: (v: V) => Promise<AddonPrices>) {
  const qc = useQueryClient()
  return useMutation({ mutationFn: fn, onSuccess: (data) => qc.setQueryData(addonPricesKey, data) })
}

export function useSetBackupPlanPrice() {
  return usePriceMutation(({ planId, name, hourlyMinor }: { planId: number; name: string; hourlyMinor: number }) =>
    api.put<AddonPrices>(`/api/admin/backup-plans/${planId}/price`, { name, hourlyMinor }),
  )
}

export function useDeleteBackupPlanPrice() {
  return usePriceMutation((planId: number) => api.delete<AddonPrices>(`/api/admin/backup-plans/${planId}/price`))
}

export function useSetIpv4Price() {
  return usePriceMutation((input: { hourlyMinor: number; maxPerServer: number }) => api.put<AddonPrices>('/api/admin/ipv4-price', input))
}
