import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { ServerSummary, Transaction, User } from '@/types/api'
import { adminKeys } from './get-users'

/** AdminServer is a server plus what billing knows; status "stopped" means deleted (shown from the billing record). */
export type AdminServer = ServerSummary & {
  billing?: { status: 'active' | 'stopped'; stoppedAt?: string | null; stopReason?: string } | null
}

export interface AdminUserDetail {
  user: User
  balanceMinor: number
  servers: AdminServer[]
  transactions: Transaction[]
}

export const getAdminUser = (id: string) => api.get<AdminUserDetail>(`/api/admin/users/${encodeURIComponent(id)}`)

export const adminUserQueryOptions = (id: string) => queryOptions({ queryKey: adminKeys.user(id), queryFn: () => getAdminUser(id) })

export function useAdminUser(id: string) {
  return useQuery(adminUserQueryOptions(id))
}
