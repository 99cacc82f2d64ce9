import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { notificationKeys } from './keys'

// Like the other id-only mutations (delete-ssh-key, revoke-session) this has no body, so no zod
// schema: the id comes from the server's own list. Ids look like "welcome#u_1"; the '#' must be
// escaped to stay in the path.
export function retryNotification(id: string) {
  return api.post<void>(`/api/admin/notifications/${encodeURIComponent(id)}/retry`)
}

/** useRetryNotification queues a failed notification again; it leaves the failed list and may show up in a mail history. */
export function useRetryNotification() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: retryNotification,
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.all }),
  })
}
