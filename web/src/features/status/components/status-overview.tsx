import { CheckCircle2Icon, CircleHelpIcon, AlertTriangleIcon, XCircleIcon, WrenchIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import type { ComponentState, PublicStatus } from '@/types/api'
import { useStatus } from '../api/get-status'

const headline: Record<PublicStatus['status'], string> = {
  operational: 'All systems operational',
  degraded: 'Some systems are degraded',
  outage: 'Service outage',
  maintenance: 'Scheduled maintenance',
}

const stateText: Record<ComponentState, string> = {
  operational: 'Operational',
  degraded: 'Degraded',
  outage: 'Outage',
  unknown: 'Unknown',
}

const stateIcon: Record<ComponentState, typeof CheckCircle2Icon> = {
  operational: CheckCircle2Icon,
  degraded: AlertTriangleIcon,
  outage: XCircleIcon,
  unknown: CircleHelpIcon,
}

const stateVariant: Record<ComponentState, 'success' | 'warning' | 'destructive' | 'secondary'> = {
  operational: 'success',
  degraded: 'warning',
  outage: 'destructive',
  unknown: 'secondary',
}

/** StatusOverview is the public status: the overall state, any message from the team, and each component. */
export function StatusOverview() {
  const status = useStatus()
  if (status.isPending) {
    return (
      <div className="grid gap-3" aria-busy="true" aria-label="Loading status">
        <Skeleton className="h-20" />
        <Skeleton className="h-48" />
      </div>
    )
  }
  if (status.isError) return <ErrorAlert error={status.error} title="Couldn't load the status" onRetry={() => status.refetch()} />
  const s = status.data
  const Lead = s.status === 'maintenance' ? WrenchIcon : s.status === 'operational' ? CheckCircle2Icon : AlertTriangleIcon
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2 text-lg" data-testid="status-headline">
            <Lead className="size-5" aria-hidden="true" /> {headline[s.status]}
          </CardTitle>
          <CardDescription>Checked {new Date(s.checkedAt).toLocaleString()}</CardDescription>
        </CardHeader>
        {s.message && (
          <CardContent>
            <p className="rounded-md border bg-muted/40 p-3 text-sm" data-testid="status-message">
              <span className="font-medium">{s.message.kind === 'maintenance' ? 'Maintenance' : 'Incident'}: </span>
              {s.message.text}
            </p>
          </CardContent>
        )}
      </Card>
      <Card>
        <CardContent>
          <ul aria-label="Components" className="divide-y">
            {s.components.map((c) => {
              const Icon = stateIcon[c.state]
              return (
                <li key={c.name} className="flex items-center justify-between gap-3 py-3">
                  <span className="font-medium">{c.label}</span>
                  <Badge variant={stateVariant[c.state]}>
                    <Icon className="size-3.5" aria-hidden="true" /> {stateText[c.state]}
                  </Badge>
                </li>
              )
            })}
          </ul>
        </CardContent>
      </Card>
      {s.statusPageUrl && (
        <p className="text-sm text-muted-foreground">
          Uptime history:{' '}
          <a href={s.statusPageUrl} target="_blank" rel="noreferrer noopener" className="underline underline-offset-2">
            our status page
          </a>
        </p>
      )}
    </div>
  )
}
