import { useEffect, useRef } from 'react'
import { CircleCheckIcon, LoaderCircleIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { ErrorAlert } from '@/components/error-alert'
import { formatMoney } from '@/lib/format'
import { useCaptureTopup } from '../api/capture-topup'

/**
 * TopupReturn finishes a PayPal top-up when the buyer lands back on the page that started it
 * (?topup=<orderId>). It captures exactly once per order id, even under StrictMode's double
 * effects, and says the outcome once, inline (no toast as well). onDone gets whether funds arrived.
 */
export function TopupReturn({ orderId, onDone }: { orderId: string; onDone?: (credited: boolean) => void }) {
  const capture = useCaptureTopup()
  const started = useRef<string | null>(null)

  useEffect(() => {
    if (started.current === orderId) return
    started.current = orderId
    capture.mutate(orderId, {
      onSuccess: (r) => onDone?.(r.credited),
      onError: () => onDone?.(false),
    })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderId])

  if (capture.isPending || capture.isIdle)
    return (
      <Alert>
        <LoaderCircleIcon className="animate-spin" />
        <AlertTitle>Confirming your payment…</AlertTitle>
        <AlertDescription>This takes a few seconds. Please keep this page open.</AlertDescription>
      </Alert>
    )
  if (capture.isError) return <ErrorAlert error={capture.error} title="We couldn't confirm your payment" />
  const r = capture.data
  return r.credited ? (
    <Alert variant="success">
      <CircleCheckIcon />
      <AlertTitle>Payment received</AlertTitle>
      <AlertDescription>Your balance is now {formatMoney(r.balanceMinor)}.</AlertDescription>
    </Alert>
  ) : (
    <Alert variant="warning">
      <LoaderCircleIcon />
      <AlertTitle>Payment {r.status.toLowerCase()}</AlertTitle>
      <AlertDescription>We'll add the funds as soon as PayPal confirms the payment.</AlertDescription>
    </Alert>
  )
}
