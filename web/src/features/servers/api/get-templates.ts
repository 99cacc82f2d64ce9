import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { TemplateGroup } from '@/types/api'
import { serverKeys } from './keys'

export const getTemplates = (id: number) => api.get<{ groups: TemplateGroup[] }>(`/api/servers/${id}/templates`)

export const templatesQueryOptions = (id: number) =>
  queryOptions({ queryKey: serverKeys.templates(id), queryFn: () => getTemplates(id), staleTime: 5 * 60_000 })

export function useTemplates(id: number) {
  return useQuery(templatesQueryOptions(id))
}
