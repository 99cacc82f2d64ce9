import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminUser, Page } from '@/types/api'

export const adminKeys = {
  all: ['admin'] as const,
  users: ['admin', 'users'] as const,
  user: (id: string) => ['admin', 'users', id] as const,
}

export const getUsers = (cursor?: string) => api.get<Page<AdminUser>>('/api/admin/users', { params: { cursor } })

export const usersQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: adminKeys.users,
    queryFn: ({ pageParam }) => getUsers(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

export function useAdminUsers() {
  return useInfiniteQuery(usersQueryOptions())
}
