import { ArchiveIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Progress } from '@/components/ui/progress'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { formatDateTime } from '@/lib/format'
import type { ServerDetail } from '@/types/api'
import { useBackups } from '../api/get-backups'

/** BackupsPanel lists the server's backups, newest first. */
export function BackupsPanel({ server }: { server: ServerDetail }) {
  const q = useBackups(server.id)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Backups</CardTitle>
        <CardDescription>Snapshots taken on the plan's schedule.</CardDescription>
      </CardHeader>
      <CardContent>
        {q.isPending ? (
          <div className="grid gap-2" aria-busy="true" aria-label="Loading backups">
            <Skeleton className="h-14" />
            <Skeleton className="h-14" />
          </div>
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load backups" onRetry={() => q.refetch()} />
        ) : q.data.backups.length === 0 ? (
          <EmptyState icon={ArchiveIcon} title="No backups yet" description="Backups appear here after the first scheduled run." />
        ) : (
          <ul className="grid gap-2" aria-label="Backups">
            {q.data.backups.map((b) => (
              <li key={b.id} className="grid gap-2 rounded-lg border bg-background/30 p-3">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="flex items-center gap-2 font-medium">
                    <ArchiveIcon className="size-4 text-primary" aria-hidden="true" />
                    {formatDateTime(b.createdAt)}
                  </span>
                  <span className="flex items-center gap-2 text-xs text-muted-foreground">
                    {b.storage}
                    {b.complete ? <Badge variant="success">Complete</Badge> : <Badge variant="warning">In progress</Badge>}
                  </span>
                </div>
                {!b.complete && <Progress value={b.progress} aria-label={`Backup ${formatDateTime(b.createdAt)} progress`} />}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
