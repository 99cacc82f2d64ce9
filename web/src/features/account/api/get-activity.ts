import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { ActivityItem, Page } from '@/types/api'
import { accountKeys } from './keys'

export function getActivity(cursor?: string) {
  return api.get<Page<ActivityItem>>('/api/account/activity', { params: { cursor } })
}

export const activityQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: accountKeys.activity,
    queryFn: ({ pageParam }) => getActivity(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

export function useActivity() {
  return useInfiniteQuery(activityQueryOptions())
}
