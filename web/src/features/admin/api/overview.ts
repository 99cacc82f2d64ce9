import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminOverview } from '@/types/api'

export const overviewQueryOptions = () =>
  queryOptions({ queryKey: ['admin', 'overview'], queryFn: () => api.get<AdminOverview>('/api/admin/overview'), staleTime: 60_000 })

/** useAdminOverview reads the console's front-page figures (the server counts them at most once a minute). */
export function useAdminOverview() {
  return useQuery(overviewQueryOptions())
}
