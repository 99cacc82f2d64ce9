import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Location } from '@/types/api'

export const catalogKeys = {
  all: ['catalog'] as const,
  locations: ['catalog', 'locations'] as const,
  packages: ['catalog', 'packages'] as const,
  templates: (packageId: number) => ['catalog', 'packages', packageId, 'templates'] as const,
}

export const getLocations = () => api.get<{ locations: Location[] }>('/api/catalog/locations')

export const locationsQueryOptions = () =>
  queryOptions({ queryKey: catalogKeys.locations, queryFn: getLocations, select: (r) => r.locations, staleTime: 60_000 })

export function useLocations() {
  return useQuery(locationsQueryOptions())
}
