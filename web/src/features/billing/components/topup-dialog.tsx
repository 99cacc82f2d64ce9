import { useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { LoaderCircleIcon, WalletIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { ErrorAlert } from '@/components/error-alert'
import { browser } from '@/lib/browser'
import { zodFieldErrors } from '@/lib/form'
import { cn } from '@/lib/utils'
import { MAX_TOPUP, MIN_TOPUP, topupSchema, useCreateTopup } from '../api/create-topup'

const presets = ['10', '25', '50', '100']

/**
 * TopUpDialog adds funds through PayPal: it creates an order and sends the browser to
 * PayPal's approval page; PayPal returns to /billing?topup=<orderId>.
 */
export function TopUpDialog({
  trigger,
  open,
  onOpenChange,
  reason,
  suggestedAmount,
}: {
  trigger?: ReactNode
  open?: boolean
  onOpenChange?: (open: boolean) => void
  reason?: ReactNode
  suggestedAmount?: string
}) {
  const [innerOpen, setInnerOpen] = useState(false)
  const isOpen = open ?? innerOpen
  const setOpen = onOpenChange ?? setInnerOpen
  const [amount, setAmount] = useState(suggestedAmount ?? '25')
  const [error, setError] = useState<string>()
  const topup = useCreateTopup()
  useEffect(() => {
    if (isOpen && suggestedAmount) setAmount(suggestedAmount)
  }, [isOpen, suggestedAmount])

  function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = topupSchema.safeParse({ amount })
    if (!parsed.success) {
      setError(zodFieldErrors(parsed.error).amount)
      return
    }
    setError(undefined)
    topup.mutate(parsed.data, {
      onSuccess: (order) => browser.assign(order.approveUrl),
      onError: (err) => setError((err as { fields?: Record<string, string> }).fields?.amount),
    })
  }

  return (
    <Dialog
      open={isOpen}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) topup.reset()
      }}
    >
      {trigger && <DialogTrigger asChild>{trigger}</DialogTrigger>}
      <DialogContent>
        <form onSubmit={submit} noValidate className="grid gap-5">
          <DialogHeader>
            <DialogTitle className="flex items-center gap-2">
              <WalletIcon className="size-5 text-primary" aria-hidden="true" /> Add funds
            </DialogTitle>
            <DialogDescription>
              {reason ?? 'Your balance pays for servers by the hour. You will finish the payment on PayPal.'}
            </DialogDescription>
          </DialogHeader>
          {topup.isError && <ErrorAlert error={topup.error} title="Couldn't start the payment" />}
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium">Amount</legend>
            <div className="grid grid-cols-4 gap-2">
              {presets.map((p) => (
                <Button
                  key={p}
                  variant="outline"
                  aria-pressed={amount === p}
                  className={cn(amount === p && 'border-primary bg-primary/15 text-foreground')}
                  onClick={() => setAmount(p)}
                >
                  ${p}
                </Button>
              ))}
            </div>
          </fieldset>
          <div className="grid gap-2">
            <Label htmlFor="topup-amount">Custom amount (USD)</Label>
            <div className="relative">
              <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-muted-foreground" aria-hidden="true">
                $
              </span>
              <Input
                id="topup-amount"
                inputMode="decimal"
                className="pl-7"
                value={amount}
                aria-invalid={error ? true : undefined}
                aria-describedby="topup-amount-help"
                onChange={(e) => setAmount(e.target.value)}
              />
            </div>
            <p id="topup-amount-help" className={cn('text-xs', error ? 'font-medium text-destructive' : 'text-muted-foreground')}>
              {error ?? `Between $${MIN_TOPUP} and $${MAX_TOPUP}.`}
            </p>
          </div>
          <DialogFooter>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={topup.isPending || topup.isSuccess}>
              {(topup.isPending || topup.isSuccess) && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
              Continue to PayPal
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
