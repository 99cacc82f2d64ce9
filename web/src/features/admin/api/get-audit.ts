import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminAuditEntry, Page } from '@/types/api'
import { adminKeys } from './get-users'

/** AuditFilters are the audit viewer's server-side filters. */
export interface AuditFilters {
  actor?: string
  user?: string
  action?: string
  target?: string
  from?: string
  to?: string
}

export const getAudit = (f: AuditFilters, cursor?: string) =>
  api.get<Page<AdminAuditEntry>>('/api/admin/audit', {
    params: { ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v?.trim() || undefined])), cursor: cursor || undefined },
  })

export function useAudit(f: AuditFilters) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: [...adminKeys.audit, f],
      queryFn: ({ pageParam }) => getAudit(f, pageParam || undefined),
      initialPageParam: '',
      getNextPageParam: (last) => last.nextCursor || undefined,
      placeholderData: keepPreviousData,
    }),
  )
}
