import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { CircleCheckIcon, LoaderCircleIcon, WalletIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { ErrorAlert } from '@/components/error-alert'
import { browser } from '@/lib/browser'
import { zodFieldErrors } from '@/lib/form'
import { formatMoney } from '@/lib/format'
import { cn } from '@/lib/utils'
import { useCaptureTopup, type CaptureResult } from '../api/capture-topup'
import { dollars, topupSchema, useCreateTopup } from '../api/create-topup'
import { useCheckout } from '../api/get-checkout'
import { useValidateCoupon } from '../api/validate-coupon'
import { PayPalButtons } from './paypal-buttons'

const presets = ['10', '25', '50', '100']

/**
 * TopUpDialog adds funds through PayPal. In "sdk" mode (production) it renders PayPal's
 * buttons: createOrder opens the order on our API, onApprove captures it, all in the dialog.
 * In "redirect" mode (the simulator locally) it sends the browser to the approval page,
 * and PayPal returns to <returnTo>?topup=<orderId> (/billing unless the caller says otherwise),
 * where a TopupReturn finishes the payment.
 */
export function TopUpDialog({
  trigger,
  open,
  onOpenChange,
  reason,
  suggestedAmount,
  returnTo,
}: {
  trigger?: ReactNode
  open?: boolean
  onOpenChange?: (open: boolean) => void
  reason?: ReactNode
  suggestedAmount?: string
  /** The panel page PayPal returns to after a redirect payment (the page that opened the dialog). */
  returnTo?: string
}) {
  const [innerOpen, setInnerOpen] = useState(false)
  const isOpen = open ?? innerOpen
  const setOpen = onOpenChange ?? setInnerOpen
  const [amount, setAmount] = useState(suggestedAmount ?? '25')
  const [error, setError] = useState<string>()
  const [coupon, setCoupon] = useState('')
  const [couponError, setCouponError] = useState<string>()
  const preview = useValidateCoupon()
  const [payError, setPayError] = useState<unknown>()
  const [result, setResult] = useState<CaptureResult>()
  // Set when our createOrder failed: PayPal then calls onError, but the form already says why.
  const startFailed = useRef(false)
  const topup = useCreateTopup()
  const capture = useCaptureTopup()
  // Fetched only once the dialog opens, so PayPal's SDK is never part of another page's load.
  const checkout = useCheckout(isOpen)
  const mode = checkout.isPending ? 'loading' : checkout.data?.mode === 'sdk' && checkout.data.sdkUrl ? 'sdk' : 'redirect'
  const limits = checkout.data ? { minMinor: checkout.data.topupMinMinor, maxMinor: checkout.data.topupMaxMinor } : undefined
  useEffect(() => {
    if (isOpen && suggestedAmount) setAmount(suggestedAmount)
  }, [isOpen, suggestedAmount])

  function validAmount() {
    const parsed = topupSchema(limits).safeParse({ amount })
    if (!parsed.success) {
      setError(zodFieldErrors(parsed.error).amount)
      return undefined
    }
    setError(undefined)
    return parsed.data
  }

  async function createOrder() {
    setPayError(undefined)
    const input = validAmount()
    startFailed.current = !input
    if (!input) throw new Error('Enter a valid amount.')
    try {
      return (await topup.mutateAsync({ ...input, coupon })).orderId
    } catch (err) {
      startFailed.current = true
      setError((err as { fields?: Record<string, string> }).fields?.amount)
      setCouponError((err as { fields?: Record<string, string> }).fields?.coupon)
      throw err
    }
  }

  async function approve(orderId: string) {
    try {
      const r = await capture.mutateAsync(orderId)
      setResult(r)
      if (r.credited) toast.success(`Payment received. Your balance is now ${formatMoney(r.balanceMinor)}.`)
    } catch (err) {
      setPayError(err)
    }
  }

  function changeOpen(o: boolean) {
    setOpen(o)
    if (!o) {
      topup.reset()
      capture.reset()
      setResult(undefined)
      setPayError(undefined)
    }
  }

  function payPalError(err: unknown) {
    if (!startFailed.current) setPayError(err)
    startFailed.current = false
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    if (mode !== 'redirect') return // PayPal's own buttons start the payment
    const input = validAmount()
    if (!input) return
    topup.mutate(
      { ...input, coupon, returnTo },
      {
        onSuccess: (order) => browser.assign(order.approveUrl),
        onError: (err) => {
          setError((err as { fields?: Record<string, string> }).fields?.amount)
          setCouponError((err as { fields?: Record<string, string> }).fields?.coupon)
        },
      },
    )
  }

  function checkCoupon() {
    const input = validAmount()
    if (!input || !coupon.trim()) return
    setCouponError(undefined)
    preview.mutate(
      { code: coupon, amount: input.amount },
      { onError: (err) => setCouponError((err as { fields?: Record<string, string> }).fields?.coupon ?? 'This code cannot be used.') },
    )
  }

  return (
    <Dialog
      open={isOpen}
      onOpenChange={changeOpen}
    >
      {trigger && <DialogTrigger asChild>{trigger}</DialogTrigger>}
      <DialogContent>
        {result ? (
          <TopupResult result={result} onDone={() => changeOpen(false)} />
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-5">
            <DialogHeader>
              <DialogTitle className="flex items-center gap-2">
                <WalletIcon className="size-5 text-primary" aria-hidden="true" /> Add funds
              </DialogTitle>
              <DialogDescription>
                {reason ??
                  (mode === 'sdk'
                    ? 'Your balance pays for servers by the hour. Choose an amount, then pay with PayPal.'
                    : 'Your balance pays for servers by the hour. You will finish the payment on PayPal.')}
              </DialogDescription>
            </DialogHeader>
            {topup.isError && <ErrorAlert error={topup.error} title="Couldn't start the payment" />}
            {payError !== undefined && <ErrorAlert error={payError} title="The payment didn't go through" />}
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
                {error ?? (limits ? `Between $${dollars(limits.minMinor)} and $${dollars(limits.maxMinor)}.` : '\u00a0')}
              </p>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="topup-coupon">Promo code (optional)</Label>
              <div className="flex gap-2">
                <Input
                  id="topup-coupon"
                  autoComplete="off"
                  className="uppercase"
                  value={coupon}
                  aria-invalid={couponError ? true : undefined}
                  aria-describedby="topup-coupon-help"
                  onChange={(e) => {
                    setCoupon(e.target.value)
                    setCouponError(undefined)
                    preview.reset()
                  }}
                />
                <Button variant="outline" className="min-h-10" onClick={checkCoupon} disabled={!coupon.trim() || preview.isPending}>
                  Apply
                </Button>
              </div>
              <p
                id="topup-coupon-help"
                role="status"
                className={cn('text-xs', couponError ? 'font-medium text-destructive' : preview.data ? 'text-emerald-400' : 'text-muted-foreground')}
              >
                {couponError ?? preview.data?.summary ?? 'A bonus code is credited with the payment.'}
              </p>
            </div>
            {mode === 'sdk' && checkout.data?.sdkUrl ? (
              <div className="grid gap-3">
                {capture.isPending ? (
                  <p className="flex items-center gap-2 text-sm text-muted-foreground" role="status">
                    <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" /> Confirming your payment…
                  </p>
                ) : (
                  <PayPalButtons sdkUrl={checkout.data.sdkUrl} createOrder={createOrder} onApprove={approve} onError={payPalError} />
                )}
                <Button variant="outline" onClick={() => changeOpen(false)}>
                  Cancel
                </Button>
              </div>
            ) : (
              <DialogFooter>
                <Button variant="outline" onClick={() => changeOpen(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={mode === 'loading' || topup.isPending || topup.isSuccess}>
                  {(mode === 'loading' || topup.isPending || topup.isSuccess) && (
                    <LoaderCircleIcon className="animate-spin" aria-hidden="true" />
                  )}
                  Continue to PayPal
                </Button>
              </DialogFooter>
            )}
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}

/** TopupResult is the dialog's last step after an in-page (SDK) payment. */
function TopupResult({ result, onDone }: { result: CaptureResult; onDone: () => void }) {
  return (
    <div className="grid gap-5">
      <DialogHeader>
        <DialogTitle className="flex items-center gap-2">
          <WalletIcon className="size-5 text-primary" aria-hidden="true" /> Add funds
        </DialogTitle>
        <DialogDescription className="sr-only">The result of your payment.</DialogDescription>
      </DialogHeader>
      {result.credited ? (
        <Alert variant="success">
          <CircleCheckIcon />
          <AlertTitle>Payment received</AlertTitle>
          <AlertDescription>Your balance is now {formatMoney(result.balanceMinor)}.</AlertDescription>
        </Alert>
      ) : (
        <Alert variant="warning">
          <LoaderCircleIcon />
          <AlertTitle>Payment {result.status.toLowerCase()}</AlertTitle>
          <AlertDescription>We'll add the funds as soon as PayPal confirms the payment.</AlertDescription>
        </Alert>
      )}
      <DialogFooter>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
    </div>
  )
}
