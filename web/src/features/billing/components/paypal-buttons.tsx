import { useEffect, useRef, useState } from 'react'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { loadPayPalSdk, type PayPalButtonsOptions } from '../lib/paypal-sdk'

/**
 * PayPalButtons renders PayPal's Smart Buttons from its JS SDK, loaded on first use.
 * The handlers are read through a ref, so typing an amount never re-renders PayPal's iframe.
 */
export function PayPalButtons({
  sdkUrl,
  createOrder,
  onApprove,
  onError,
}: {
  sdkUrl: string
  createOrder: () => Promise<string>
  onApprove: (orderId: string) => Promise<void>
  onError?: (err: unknown) => void
}) {
  const container = useRef<HTMLDivElement>(null)
  const handlers = useRef({ createOrder, onApprove, onError })
  handlers.current = { createOrder, onApprove, onError }
  const [state, setState] = useState<'loading' | 'ready' | Error>('loading')

  useEffect(() => {
    let cancelled = false
    let close: (() => unknown) | undefined
    setState('loading')
    loadPayPalSdk(sdkUrl)
      .then(async (paypal) => {
        if (cancelled || !container.current) return
        const options: PayPalButtonsOptions = {
          style: { layout: 'vertical', shape: 'rect', label: 'paypal', height: 44 },
          createOrder: () => handlers.current.createOrder(),
          onApprove: (data) => handlers.current.onApprove(data.orderID),
          onError: (err) => handlers.current.onError?.(err),
        }
        const buttons = paypal.Buttons(options)
        close = () => buttons.close?.()
        await buttons.render(container.current)
        if (!cancelled) setState('ready')
      })
      .catch((err: unknown) => {
        if (!cancelled) setState(err instanceof Error ? err : new Error(String(err)))
      })
    return () => {
      cancelled = true
      void Promise.resolve()
        .then(() => close?.())
        .catch(() => {})
    }
  }, [sdkUrl])

  return (
    <div className="grid gap-2">
      {state instanceof Error && <ErrorAlert error={state} title="Couldn't load PayPal" />}
      {state === 'loading' && <Skeleton className="h-11 w-full" aria-label="Loading PayPal" />}
      <div ref={container} data-testid="paypal-buttons" className="min-h-0 [color-scheme:light]" />
    </div>
  )
}
