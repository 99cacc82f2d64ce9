import { Badge } from '@/components/ui/badge'
import { cn } from '@/lib/utils'
import type { ServerSummary } from '@/types/api'

export type ServerState = 'running' | 'stopped' | 'building' | 'failed' | 'suspended' | 'unknown'

/** serverState folds provisioning, power and suspension into the one state people care about. */
export function serverState(s: Pick<ServerSummary, 'provisioning' | 'power' | 'suspended'>): ServerState {
  if (s.suspended) return 'suspended'
  if (s.provisioning === 'failed') return 'failed'
  if (s.provisioning !== 'complete') return 'building'
  return s.power
}

const labels: Record<ServerState, string> = {
  running: 'Running',
  stopped: 'Stopped',
  building: 'Building',
  failed: 'Failed',
  suspended: 'Suspended',
  unknown: 'Unknown',
}
const variants = {
  running: 'success',
  stopped: 'secondary',
  building: 'warning',
  failed: 'destructive',
  suspended: 'destructive',
  unknown: 'outline',
} as const
const dots: Record<ServerState, string> = {
  running: 'bg-success',
  stopped: 'bg-muted-foreground',
  building: 'bg-warning animate-pulse',
  failed: 'bg-destructive',
  suspended: 'bg-destructive',
  unknown: 'bg-muted-foreground',
}

export const serverStateLabel = (s: ServerState) => labels[s]

/** ServerStatusBadge shows a live dot and the state's name. */
export function ServerStatusBadge({ server, className }: { server: Pick<ServerSummary, 'provisioning' | 'power' | 'suspended'>; className?: string }) {
  const st = serverState(server)
  return (
    <Badge variant={variants[st]} className={className} data-testid="server-status">
      <span className={cn('size-1.5 rounded-full', dots[st])} aria-hidden="true" />
      {labels[st]}
    </Badge>
  )
}
