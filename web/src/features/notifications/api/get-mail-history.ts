import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { CursorPage, MailItem } from '../types'
import { notificationKeys } from './keys'

export const MAIL_PAGE_SIZE = 20

export function getMailHistory(cursor?: string) {
  return api.get<CursorPage<MailItem>>('/api/account/mail', { params: { cursor, limit: MAIL_PAGE_SIZE } })
}

export const mailHistoryQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: notificationKeys.mail,
    queryFn: ({ pageParam }) => getMailHistory(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
  })

/** useMailHistory is the signed-in customer's mail, newest first, one page at a time. */
export function useMailHistory() {
  return useInfiniteQuery(mailHistoryQueryOptions())
}
