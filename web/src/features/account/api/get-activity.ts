import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { ActivityItem, Page } from '@/types/api'
import { accountKeys } from './keys'

/** getActivity is a page of the account's activity, or of one server's when serverId is given. */
export function getActivity(cursor?: string, serverId?: number) {
  const path = serverId === undefined ? '/api/account/activity' : `/api/servers/${serverId}/activity`
  return api.get<Page<ActivityItem>>(path, { params: { cursor } })
}

export const activityQueryOptions = (serverId?: number) =>
  infiniteQueryOptions({
    // Under accountKeys.activity, so invalidating the account's activity refreshes every server's too.
    queryKey: serverId === undefined ? accountKeys.activity : [...accountKeys.activity, 'server', serverId],
    queryFn: ({ pageParam }) => getActivity(pageParam || undefined, serverId),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

export function useActivity(serverId?: number) {
  return useInfiniteQuery(activityQueryOptions(serverId))
}
