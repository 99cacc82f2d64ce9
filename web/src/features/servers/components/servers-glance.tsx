import { Link } from 'wouter'
import { ArrowRightIcon, ServerIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { ErrorAlert } from '@/components/error-alert'
import { paths } from '@/config/paths'
import { useServers } from '../api/get-servers'
import { NoServersYet, ServerRow, ServerRowSkeleton } from './server-card'
import { serverState } from './server-status'

const LIMIT = 5

/** ServersGlance is the dashboard's live summary of servers (polled while visible). */
export function ServersGlance({ className }: { className?: string }) {
  const q = useServers({ live: true })
  const servers = q.data?.servers ?? []
  const counts = servers.reduce<Record<string, number>>((acc, s) => {
    const st = serverState(s)
    acc[st] = (acc[st] ?? 0) + 1
    return acc
  }, {})
  return (
    <Card className={className} aria-labelledby="glance-title">
      <CardHeader>
        <CardTitle id="glance-title" className="flex items-center gap-2 text-base">
          <ServerIcon className="size-4 text-primary" aria-hidden="true" /> Servers
        </CardTitle>
        <CardDescription>
          {q.isSuccess && servers.length > 0
            ? `${counts.running ?? 0} running · ${counts.stopped ?? 0} stopped${counts.building ? ` · ${counts.building} building` : ''}${counts.suspended ? ` · ${counts.suspended} suspended` : ''}`
            : 'Live status, refreshed every few seconds.'}
        </CardDescription>
        {servers.length > LIMIT && (
          <CardAction>
            <Button asChild variant="ghost" size="sm">
              <Link href={paths.servers}>
                View all <ArrowRightIcon aria-hidden="true" />
              </Link>
            </Button>
          </CardAction>
        )}
      </CardHeader>
      <CardContent>
        {q.isPending ? (
          <ul className="grid gap-3" aria-busy="true" aria-label="Loading servers">
            <ServerRowSkeleton />
            <ServerRowSkeleton />
          </ul>
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load your servers" onRetry={() => q.refetch()} />
        ) : servers.length === 0 ? (
          <NoServersYet description="Pick a location, a plan and an OS. Your server is ready in about a minute." />
        ) : (
          <ul className="grid gap-3" aria-label="Your servers">
            {servers.slice(0, LIMIT).map((s) => (
              <ServerRow key={s.id} server={s} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
