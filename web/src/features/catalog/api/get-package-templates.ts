import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { TemplateGroup } from '@/types/api'
import { catalogKeys } from './get-locations'

export const getPackageTemplates = (packageId: number) =>
  api.get<{ groups: TemplateGroup[] }>(`/api/catalog/packages/${packageId}/templates`)

export const packageTemplatesQueryOptions = (packageId: number) =>
  queryOptions({
    queryKey: catalogKeys.templates(packageId),
    queryFn: () => getPackageTemplates(packageId),
    select: (r) => r.groups,
    staleTime: 5 * 60_000,
  })

export function usePackageTemplates(packageId: number | undefined) {
  return useQuery({ ...packageTemplatesQueryOptions(packageId ?? 0), enabled: Boolean(packageId) })
}
