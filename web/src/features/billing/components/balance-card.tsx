import { PlusIcon, TrendingDownIcon, WalletIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { formatHours, formatMoney } from '@/lib/format'
import { useBalance } from '../api/get-balance'
import { TopUpDialog } from './topup-dialog'

/** BalanceCard shows the prepaid balance, what it burns per hour and how long it lasts. */
export function BalanceCard({ className }: { className?: string }) {
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
                  <>
                    {formatMoney(balance.data.burnPerHourMinor, balance.data.currency)}/hour · lasts about{' '}
                    {formatHours(balance.data.hoursRemaining)}
                  </>
                ) : (
                  'No running charges'
                )}
              </p>
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
