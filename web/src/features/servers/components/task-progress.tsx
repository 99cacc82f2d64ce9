import { useEffect, useRef } from 'react'
import { CircleCheckIcon, CircleXIcon, LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Progress } from '@/components/ui/progress'
import { ErrorAlert } from '@/components/error-alert'
import { cn } from '@/lib/utils'
import type { Task } from '@/types/api'
import { useTask } from '../api/get-task'

const verbs: Record<string, [string, string]> = {
  boot: ['Booting', 'Boot'],
  shutdown: ['Shutting down', 'Shutdown'],
  restart: ['Restarting', 'Restart'],
  poweroff: ['Powering off', 'Power off'],
  reinstall: ['Reinstalling', 'Reinstall'],
  'reset-password': ['Resetting password', 'Password reset'],
  resetPassword: ['Resetting password', 'Password reset'],
}

export function taskVerb(action: string) {
  return verbs[action] ?? [action, action]
}

/** TaskProgress follows a server task by polling it and announces the outcome once. */
export function TaskProgress({
  serverId,
  task: initial,
  onFinished,
}: {
  serverId: number
  task: Task
  onFinished?: (t: Task) => void
}) {
  const q = useTask(serverId, initial.id)
  const task = q.data ?? initial
  const [doing, done] = taskVerb(task.action)
  const announced = useRef(false)

  useEffect(() => {
    if (announced.current) return
    if (task.status === 'done') {
      announced.current = true
      toast.success(`${done} complete`)
      onFinished?.(task)
    } else if (task.status === 'failed') {
      announced.current = true
      toast.error(`${done} failed`)
      onFinished?.(task)
    }
  }, [task, done, onFinished])

  const pct = task.status === 'done' ? 100 : Math.max(task.progress, 5)
  const label = task.status === 'done' ? `${done} complete` : task.status === 'failed' ? `${done} failed` : `${doing}…`

  return (
    <div className="grid gap-2 rounded-lg border bg-background/30 p-4" data-testid="task-progress" aria-live="polite">
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className={cn('flex items-center gap-2 font-medium', task.status === 'failed' && 'text-destructive', task.status === 'done' && 'text-success')}>
          {task.status === 'done' ? (
            <CircleCheckIcon className="size-4" aria-hidden="true" />
          ) : task.status === 'failed' ? (
            <CircleXIcon className="size-4" aria-hidden="true" />
          ) : (
            <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" />
          )}
          {label}
        </span>
        <span className="font-mono text-xs text-muted-foreground tabular-nums">{pct}%</span>
      </div>
      <Progress value={pct} aria-label={`${doing} progress`} indicatorClassName={task.status === 'failed' ? 'from-destructive to-destructive' : undefined} />
      {q.isError && <ErrorAlert error={q.error} title="Lost track of the task" onRetry={() => q.refetch()} />}
    </div>
  )
}
