import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminServer, AdminUserDetail } from '@/types/api'
import { adminKeys } from './get-users'

export type { AdminServer, AdminUserDetail }

export const getAdminUser = (id: string) => api.get<AdminUserDetail>(`/api/admin/users/${encodeURIComponent(id)}`)

export const adminUserQueryOptions = (id: string) => queryOptions({ queryKey: adminKeys.user(id), queryFn: () => getAdminUser(id) })

export function useAdminUser(id: string) {
  return useQuery(adminUserQueryOptions(id))
}
