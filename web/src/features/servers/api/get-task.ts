import { useEffect } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { timing } from '@/config/timing'
import { api } from '@/lib/api-client'
import type { Task } from '@/types/api'
import { serverKeys } from './keys'

export const getTask = (id: number, taskId: string) => api.get<{ task: Task }>(`/api/servers/${id}/tasks/${encodeURIComponent(taskId)}`)

export const isTaskFinished = (t?: Task) => t?.status === 'done' || t?.status === 'failed'

/** useTask polls a task until it is done or failed, then refreshes the server. */
export function useTask(id: number, taskId: string | undefined) {
  const qc = useQueryClient()
  const q = useQuery({
    queryKey: serverKeys.task(id, taskId ?? ''),
    queryFn: () => getTask(id, taskId!),
    enabled: Boolean(taskId),
    select: (r) => r.task,
    staleTime: 0,
    refetchInterval: (query) => (isTaskFinished(query.state.data?.task) ? false : timing.taskPollMs),
    refetchIntervalInBackground: true,
  })
  const finished = isTaskFinished(q.data)
  useEffect(() => {
    if (finished) {
      qc.invalidateQueries({ queryKey: serverKeys.detail(id), exact: true })
      qc.invalidateQueries({ queryKey: serverKeys.list() })
    }
  }, [finished, id, qc])
  return q
}
