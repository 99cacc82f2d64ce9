import { useState, type ReactNode } from 'react'
import { PlayIcon, PowerIcon, PowerOffIcon, RotateCwIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { errorMessage } from '@/lib/api-client'
import { formatMoney } from '@/lib/format'
import type { PowerAction, ServerDetail, Task } from '@/types/api'
import { usePowerServer } from '../api/power-server'
import { TaskProgress } from './task-progress'
import { serverState } from './server-status'

interface ActionSpec {
  action: PowerAction
  label: string
  icon: ReactNode
  description: (name: string) => string
  destructive?: boolean
  enabledWhen: (running: boolean) => boolean
}

const actions: ActionSpec[] = [
  {
    action: 'boot',
    label: 'Boot',
    icon: <PlayIcon />,
    description: (n) => `${n} will start up. Billing continues as usual.`,
    enabledWhen: (r) => !r,
  },
  {
    action: 'shutdown',
    label: 'Shut down',
    icon: <PowerIcon />,
    description: (n) => `${n} will be asked to shut down cleanly. Running programs get time to stop.`,
    enabledWhen: (r) => r,
  },
  {
    action: 'restart',
    label: 'Restart',
    icon: <RotateCwIcon />,
    description: (n) => `${n} will reboot. It will be unreachable for a minute or so.`,
    enabledWhen: (r) => r,
  },
  {
    action: 'poweroff',
    label: 'Power off',
    icon: <PowerOffIcon />,
    description: (n) => `${n} will lose power at once, like pulling the plug. Unsaved data may be lost.`,
    destructive: true,
    enabledWhen: (r) => r,
  },
]

/** PowerPanel runs power actions, each after a confirmation, and follows the task to the end. */
/**
 * stoppedBillingNote states the billing rule in effect for a stopped server: billing charges
 * every hour a server exists (its resources stay reserved), whatever its power state.
 */
export function stoppedBillingNote(
  billing: { status: string; hourlyMinor?: number; monthlyCapMinor?: number } | null | undefined,
  currency = 'USD',
) {
  if (!billing) return undefined
  if (billing.status !== 'active') return 'Billing has stopped for this server.'
  const price =
    billing.hourlyMinor === undefined
      ? ''
      : ` (${formatMoney(billing.hourlyMinor, currency)} an hour${billing.monthlyCapMinor ? `, at most ${formatMoney(billing.monthlyCapMinor, currency)} a month` : ''})`
  return `Stopped servers are still billed${price}: their disk, memory and addresses stay reserved. Delete the server to stop paying for it.`
}

/** The billing rule in effect: every hour a server exists is charged, whatever its power state. */
const billedAlways = { status: 'active' }

export function PowerPanel({ server }: { server: ServerDetail }) {
  const power = usePowerServer(server.id)
  const [task, setTask] = useState<Task | null>(null)
  const [taskDone, setTaskDone] = useState(true)
  const state = serverState(server)
  const usable = state === 'running' || state === 'stopped' || state === 'unknown'
  const running = server.power === 'running'
  const busy = power.isPending || !taskDone

  function run(action: PowerAction) {
    power.mutate(action, {
      onSuccess: ({ task }) => {
        setTask(task)
        setTaskDone(false)
      },
      onError: (err) => toast.error(errorMessage(err)),
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Power</CardTitle>
        <CardDescription>
          {usable
            ? `${server.name} is ${running ? 'running' : server.power === 'stopped' ? 'stopped' : 'in an unknown state'}.`
            : state === 'suspended'
              ? 'This server is suspended. Add funds to bring it back.'
              : 'Power controls are available once the server is built.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {actions.map((a) => (
            <ConfirmDialog
              key={a.action}
              title={`${a.label} ${server.name}?`}
              description={a.description(server.name)}
              confirmLabel={`${a.label} server`}
              destructive={a.destructive}
              onConfirm={() => run(a.action)}
              trigger={
                <Button
                  variant={a.destructive ? 'destructive' : 'outline'}
                  className="h-auto flex-col gap-1.5 py-4 [&_svg]:size-5"
                  disabled={!usable || busy || (server.power !== 'unknown' && !a.enabledWhen(running))}
                >
                  {a.icon}
                  {a.label}
                </Button>
              }
            />
          ))}
        </div>
        <p className="text-sm text-muted-foreground">{stoppedBillingNote(billedAlways)}</p>
        {power.isError && <ErrorAlert error={power.error} title="The power action didn't start" />}
        {task && (
          <TaskProgress
            key={task.id}
            serverId={server.id}
            task={task}
            onFinished={() => setTaskDone(true)}
          />
        )}
      </CardContent>
    </Card>
  )
}
