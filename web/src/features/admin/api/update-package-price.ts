import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Price } from '@/types/api'

export function updatePackagePrice(packageId: number, input: { hourlyMinor: number; monthlyCapMinor: number }) {
  return api.put<{ price: Price }>(`/api/admin/packages/${packageId}/price`, input)
}

/** useUpdatePackagePrice saves a plan's price and refreshes the public catalog. */
export function useUpdatePackagePrice() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ packageId, ...input }: { packageId: number; hourlyMinor: number; monthlyCapMinor: number }) =>
      updatePackagePrice(packageId, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['catalog', 'packages'] }),
  })
}
