import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { NotificationPrefs } from '../types'
import { notificationKeys } from './keys'

// z.custom rather than z.boolean: refine already pulls in ZodCustom, while ZodBoolean would add
// about 100 bytes to the zod chunk the sign-in page shares.
export const notificationPrefsSchema = z.object({
  nonEssentialOff: z.custom<boolean>((v) => typeof v === 'boolean', 'Choose on or off.'),
})
export type NotificationPrefsInput = z.infer<typeof notificationPrefsSchema>

export function updateNotificationPrefs(input: NotificationPrefsInput) {
  return api.put<NotificationPrefs>('/api/account/notifications', notificationPrefsSchema.parse(input))
}

/** useUpdateNotificationPrefs saves the preferences; the answer is the stored preferences, so it goes straight into the cache. */
export function useUpdateNotificationPrefs() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: updateNotificationPrefs,
    onSuccess: (prefs) => qc.setQueryData(notificationKeys.prefs, prefs),
  })
}
