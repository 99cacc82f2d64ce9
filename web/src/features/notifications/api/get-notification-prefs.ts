import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { NotificationPrefs } from '../types'
import { notificationKeys } from './keys'

export const getNotificationPrefs = () => api.get<NotificationPrefs>('/api/account/notifications')

export const notificationPrefsQueryOptions = () => queryOptions({ queryKey: notificationKeys.prefs, queryFn: getNotificationPrefs })

export function useNotificationPrefs() {
  return useQuery(notificationPrefsQueryOptions())
}
