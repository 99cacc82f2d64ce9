import { TriangleAlertIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { formatDateTime, formatHours, formatMoney } from '@/lib/format'
import { useBalance } from '../api/get-balance'
import { TopUpDialog } from './topup-dialog'

/**
 * LowBalanceBanner warns when the server flags the balance as low, before servers get suspended, and,
 * once they are suspended for a negative balance, says since when and when they will be deleted.
 */
export function LowBalanceBanner() {
  const { data } = useBalance()
  if (data?.suspendedAt) {
    return (
      <Alert variant="destructive" data-testid="suspended-banner">
        <TriangleAlertIcon />
        <AlertTitle>Your servers are suspended</AlertTitle>
        <AlertDescription>
          <p>
            Your balance is {formatMoney(data.balanceMinor, data.currency)}: your servers have been suspended since{' '}
            {formatDateTime(data.suspendedAt)}.
            {data.deleteAfter && <> Add funds before {formatDateTime(data.deleteAfter)} or they will be deleted.</>} Suspended
            servers keep accruing their hourly charges.
          </p>
          <TopUpDialog
            trigger={
              <Button size="sm" variant="outline" className="mt-1">
                Add funds
              </Button>
            }
          />
        </AlertDescription>
      </Alert>
    )
  }
  if (!data?.low) return null
  return (
    <Alert variant="warning" data-testid="low-balance-banner">
      <TriangleAlertIcon />
      <AlertTitle>Your balance is running low</AlertTitle>
      <AlertDescription>
        <p>
          You have {formatMoney(data.balanceMinor, data.currency)} left
          {data.burnPerHourMinor > 0 && <>, enough for about {formatHours(data.hoursRemaining)}</>}. Servers are suspended when the
          balance runs out.
        </p>
        <TopUpDialog
          trigger={
            <Button size="sm" variant="outline" className="mt-1 border-warning/40 text-foreground">
              Add funds
            </Button>
          }
        />
      </AlertDescription>
    </Alert>
  )
}
