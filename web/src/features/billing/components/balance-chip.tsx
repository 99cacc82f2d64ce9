import { Link } from 'wouter'
import { TriangleAlertIcon, WalletIcon } from 'lucide-react'
import { Skeleton } from '@/components/ui/skeleton'
import { paths } from '@/config/paths'
import { formatMoney } from '@/lib/format'
import { cn } from '@/lib/utils'
import { useBalance } from '../api/get-balance'

/** BalanceChip is the top bar's link to billing with the current balance. */
export function BalanceChip() {
  const { data, isPending, isError, refetch, isFetching } = useBalance()
  if (isPending) return <Skeleton className="h-8 w-24 rounded-full" />
  if (isError || !data)
    // Stays in place with an error state (it used to vanish); a tap tries again.
    return (
      <button
        type="button"
        onClick={() => refetch()}
        disabled={isFetching}
        className="flex h-8 items-center gap-1.5 rounded-full border border-destructive/40 bg-destructive/10 px-3 text-sm font-medium text-destructive outline-none hover:bg-destructive/15 focus-visible:ring-[3px] focus-visible:ring-ring/50 max-sm:h-10"
      >
        <TriangleAlertIcon className="size-4" aria-hidden="true" />
        Balance unavailable<span className="sr-only">. Try again</span>
      </button>
    )
  const amount = formatMoney(data.balanceMinor, data.currency)
  return (
    <Link
      href={paths.billing}
      aria-label={`Balance ${amount}${data.low ? ', low' : ''}. Open billing`}
      className={cn(
        'flex h-8 max-sm:h-10 items-center gap-1.5 rounded-full border px-3 text-sm font-medium transition-colors outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50',
        data.low ? 'border-warning/40 bg-warning/10 text-warning' : 'bg-background/30',
      )}
    >
      <WalletIcon className="size-4" aria-hidden="true" />
      {amount}
    </Link>
  )
}
