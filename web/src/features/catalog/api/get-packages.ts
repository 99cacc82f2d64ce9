import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Package } from '@/types/api'
import { catalogKeys } from './get-locations'

export const getPackages = () => api.get<{ packages: Package[] }>('/api/catalog/packages')

export const packagesQueryOptions = () =>
  queryOptions({ queryKey: catalogKeys.packages, queryFn: getPackages, select: (r) => r.packages, staleTime: 60_000 })

export function usePackages() {
  return useQuery(packagesQueryOptions())
}
