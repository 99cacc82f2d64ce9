import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminUser, Page } from '@/types/api'

/** UserFilters are the user list's server-side search, filters and sort. */
export interface UserFilters {
  q?: string
  role?: '' | 'customer' | 'admin'
  blocked?: '' | 'true' | 'false'
  negative?: boolean
  sort?: 'created' | '-created'
}

export const adminKeys = {
  all: ['admin'] as const,
  users: ['admin', 'users'] as const,
  userList: (f: UserFilters) => ['admin', 'users', 'list', f] as const,
  user: (id: string) => ['admin', 'users', id] as const,
  servers: ['admin', 'servers'] as const,
  audit: ['admin', 'audit'] as const,
}

function params(f: UserFilters, cursor?: string) {
  return {
    q: f.q?.trim() || undefined,
    role: f.role || undefined,
    blocked: f.blocked || undefined,
    negative: f.negative ? 'true' : undefined,
    sort: f.sort || undefined,
    cursor: cursor || undefined,
  }
}

export const getUsers = (f: UserFilters = {}, cursor?: string) => api.get<Page<AdminUser>>('/api/admin/users', { params: params(f, cursor) })

export const usersQueryOptions = (f: UserFilters = {}) =>
  infiniteQueryOptions({
    queryKey: adminKeys.userList(f),
    queryFn: ({ pageParam }) => getUsers(f, pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: keepPreviousData,
  })

export function useAdminUsers(f: UserFilters = {}) {
  return useInfiniteQuery(usersQueryOptions(f))
}
