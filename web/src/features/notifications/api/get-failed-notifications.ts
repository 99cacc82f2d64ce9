import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { CursorPage, FailedNotification } from '../types'
import { notificationKeys } from './keys'

export const FAILED_PAGE_SIZE = 25

export function getFailedNotifications(cursor?: string) {
  return api.get<CursorPage<FailedNotification>>('/api/admin/notifications/failed', { params: { cursor, limit: FAILED_PAGE_SIZE } })
}

export const failedNotificationsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: notificationKeys.failed,
    queryFn: ({ pageParam }) => getFailedNotifications(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

/** useFailedNotifications lists notifications that gave up, newest first (admins only). */
export function useFailedNotifications() {
  return useInfiniteQuery(failedNotificationsQueryOptions())
}
