import { Link } from 'wouter'
import { Card, CardContent } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { paths } from '@/config/paths'
import { formatMoney, plural } from '@/lib/format'
import { cn } from '@/lib/utils'
import { useAdminOverview } from '../api/overview'

function Figure({ label, value, detail, href, warn }: { label: string; value: string; detail?: string; href?: string; warn?: boolean }) {
  const body = (
    <>
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className={cn('font-heading text-2xl font-semibold tabular-nums', warn && 'text-warning')}>{value}</dd>
      {detail && <dd className="text-xs text-muted-foreground">{detail}</dd>}
    </>
  )
  return (
    <Card className="h-full">
      <CardContent>
        {href ? (
          <Link href={href} className="grid min-h-10 gap-1 rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
            <dl className="grid gap-1">{body}</dl>
          </Link>
        ) : (
          <dl className="grid gap-1">{body}</dl>
        )}
      </CardContent>
    </Card>
  )
}

/** OverviewFigures shows the business at a glance: users, this month's revenue, failures and open tickets. */
export function OverviewFigures({ currency = 'USD' }: { currency?: string }) {
  const q = useAdminOverview()
  if (q.isPending)
    return (
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" aria-busy="true" aria-label="Loading figures">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    )
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load the figures" onRetry={() => q.refetch()} />
  const o = q.data
  const month = new Date(`${o.month}-01T00:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' })
  return (
    <section aria-label="Figures" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
      <Figure label="Users" value={String(o.users)} detail={`${o.newUsers} new in ${month}`} href={paths.adminUsers} />
      <Figure
        label={`Revenue, ${month}`}
        value={formatMoney(o.revenue.chargesMinor, currency)}
        detail={`charged · ${formatMoney(o.revenue.topupsMinor, currency)} topped up`}
        href={paths.adminPayments}
      />
      <Figure label="Failed payments" value={String(o.failedPayments)} detail={`denied by PayPal in ${month}`} href={paths.adminPayments} warn={o.failedPayments > 0} />
      <Figure label="Failed builds" value={String(o.failedBuilds)} detail={`in the last ${plural(o.buildDays, 'day')}`} href={paths.adminServers} warn={o.failedBuilds > 0} />
      <Figure label="Open tickets" value={String(o.openTickets)} detail="open or waiting on the customer" href={paths.adminTickets} warn={o.openTickets > 0} />
    </section>
  )
}
