import { Link, useParams } from 'wouter'
import { ChevronLeftIcon, ServerIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { useAdminUser } from '@/features/admin/api/get-user'
import { AdjustmentForm } from '@/features/admin/components/adjustment-form'
import { UserActions } from '@/features/admin/components/user-actions'
import { UserActivity, UserLedger, UserNotifications, UserSessions } from '@/features/admin/components/user-records'
import { ServerRow } from '@/features/servers/components/server-card'
import { formatDate, formatDateTime, formatMoney } from '@/lib/format'

/** AdminUserRoute shows one customer: servers, ledger and a balance adjustment form. */
export default function AdminUserRoute() {
  const { id } = useParams<{ id: string }>()
  const q = useAdminUser(id)
  const back = (
    <Link href={paths.adminUsers} className="flex w-fit items-center gap-1 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50">
      <ChevronLeftIcon className="size-4" aria-hidden="true" /> Users
    </Link>
  )
  if (q.isPending)
    return (
      <div className="grid gap-6" aria-busy="true" aria-label="Loading user">
        {back}
        <Skeleton className="h-9 w-64" />
        <div className="grid gap-6 lg:grid-cols-3">
          <Skeleton className="h-48" />
          <Skeleton className="h-48 lg:col-span-2" />
        </div>
      </div>
    )
  if (q.isError)
    return (
      <div className="grid gap-6">
        {back}
        <ErrorAlert error={q.error} title="Couldn't load this user" onRetry={() => q.refetch()} />
      </div>
    )
  const { user, balanceMinor, servers } = q.data
  return (
    <div className="grid gap-6">
      {back}
      <PageHeader
        title={user.name || user.email}
        description={
          // Phones: email + role on one line, "Joined …" under it; wider screens: one line with a separator.
          <span className="flex flex-col gap-1 sm:flex-row sm:items-center sm:gap-2">
            <span className="flex min-w-0 items-center gap-2">
              <span className="truncate" title={user.email}>
                {user.email}
              </span>
              <Badge variant={user.role === 'admin' ? 'default' : 'secondary'}>{user.role}</Badge>
              {user.blocked && <Badge variant="destructive">blocked</Badge>}
            </span>
            <span className="whitespace-nowrap">
              <span className="hidden sm:inline" aria-hidden="true">
                ·{' '}
              </span>
              joined {formatDate(user.createdAt)}
            </span>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="grid min-w-0 grid-cols-1 content-start gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Balance</CardTitle>
            </CardHeader>
            <CardContent>
              <p className="font-display text-3xl font-semibold">{formatMoney(balanceMinor)}</p>
            </CardContent>
          </Card>
          <UserActions user={user} onDone={() => q.refetch()} />
          <AdjustmentForm userId={user.id} userName={user.name || user.email} onDone={() => q.refetch()} />
          <UserSessions detail={q.data} />
          <UserNotifications key={'n' + user.id + q.dataUpdatedAt} detail={q.data} />
        </div>
        <div className="grid min-w-0 grid-cols-1 content-start gap-6 lg:col-span-2">
          <Card>
            <CardHeader>
              <CardTitle>Servers</CardTitle>
              <CardDescription>{servers.length} in total</CardDescription>
            </CardHeader>
            <CardContent>
              {servers.length === 0 ? (
                <EmptyState icon={ServerIcon} title="No servers" />
              ) : (
                <ul className="grid gap-3" aria-label={`Servers of ${user.name || user.email}`}>
                  {servers.map((s) =>
                    s.billing?.status === 'stopped' ? (
                      <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-xl border border-dashed p-4 text-sm text-muted-foreground">
                        <span className="min-w-0 truncate font-medium text-foreground" title={s.name}>
                          {s.name}
                        </span>
                        <Badge variant="secondary">Billing stopped</Badge>
                        {s.billing.stopReason && <span>{s.billing.stopReason}</span>}
                        {s.billing.stoppedAt && <span className="ml-auto text-xs">{formatDateTime(s.billing.stoppedAt)}</span>}
                      </li>
                    ) : (
                      <ServerRow key={s.id} server={s} />
                    ),
                  )}
                </ul>
              )}
            </CardContent>
          </Card>
          <UserLedger key={user.id + q.dataUpdatedAt} detail={q.data} />
          <UserActivity key={'a' + user.id + q.dataUpdatedAt} detail={q.data} />
        </div>
      </div>
    </div>
  )
}
