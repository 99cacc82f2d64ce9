import { useMutation } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { PowerAction, Task } from '@/types/api'

export function powerServer(id: number, action: PowerAction) {
  return api.post<{ task: Task }>(`/api/servers/${id}/power`, { action })
}

/** usePowerServer starts a power task; follow it with useTask. */
export function usePowerServer(id: number) {
  return useMutation({ mutationFn: (action: PowerAction) => powerServer(id, action) })
}
