import { PlusIcon, TrendingDownIcon, WalletIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { formatMoney, formatRunway } from '@/lib/format'
import { useBalance } from '../api/get-balance'
import { TopUpDialog } from './topup-dialog'

/**
 * BalanceCard shows the prepaid balance, what it burns per hour and how long it lasts at that rate.
 * hasServers=false hides the runway (the caller knows the server list; features don't share queries).
 */
export function BalanceCard({ className, hasServers = true }: { className?: string; hasServers?: boolean }) {
  const balance = useBalance()
  return (
    <Card className={className} aria-labelledby="balance-title">
      <CardHeader className="flex flex-row items-center justify-between">
        <CardTitle id="balance-title" className="flex items-center gap-2 text-base">
          <WalletIcon className="size-4 text-primary" aria-hidden="true" /> Balance
        </CardTitle>
        {balance.data?.low && <Badge variant="warning">Low</Badge>}
      </CardHeader>
      <CardContent className="grid gap-4">
        {balance.isPending ? (
          <div className="grid gap-3" aria-busy="true" aria-label="Loading balance">
            <Skeleton className="h-9 w-32" />
            <Skeleton className="h-4 w-48" />
          </div>
        ) : balance.isError ? (
          <ErrorAlert error={balance.error} title="Couldn't load your balance" onRetry={() => balance.refetch()} />
        ) : (
          <>
            <div>
              <p className="font-display text-4xl font-semibold tracking-tight" data-testid="balance-amount">
                {formatMoney(balance.data.balanceMinor, balance.data.currency)}
              </p>
              <p className="mt-1 flex flex-wrap items-center gap-x-2 text-sm text-muted-foreground">
                <TrendingDownIcon className="size-4" aria-hidden="true" />
                {balance.data.burnPerHourMinor > 0 ? (
                  <span className="tabular-nums">{formatMoney(balance.data.burnPerHourMinor, balance.data.currency)}/hour</span>
                ) : (
                  'No running charges'
                )}
              </p>
              {hasServers && balance.data.burnPerHourMinor > 0 && Number.isFinite(balance.data.hoursRemaining) && (
                <p className="mt-0.5 pl-6 text-sm text-muted-foreground tabular-nums" data-testid="balance-runway">
                  ≈ {formatRunway(balance.data.hoursRemaining)} left at the current rate
                </p>
              )}
            </div>
            <TopUpDialog
              trigger={
                <Button className="w-full sm:w-fit">
                  <PlusIcon aria-hidden="true" /> Add funds
                </Button>
              }
            />
          </>
        )}
      </CardContent>
    </Card>
  )
}
