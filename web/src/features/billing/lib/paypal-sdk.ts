/** The slice of PayPal's JS SDK (window.paypal) the top-up dialog uses. */
export interface PayPalButtonsOptions {
  style?: Record<string, string | number | boolean>
  createOrder: () => Promise<string>
  onApprove: (data: { orderID: string }) => Promise<void>
  onCancel?: () => void
  onError?: (err: unknown) => void
}

export interface PayPalButtonsInstance {
  render: (container: HTMLElement) => Promise<void>
  close?: () => Promise<void> | void
  isEligible?: () => boolean
}

export interface PayPalNamespace {
  Buttons: (options: PayPalButtonsOptions) => PayPalButtonsInstance
}

declare global {
  interface Window {
    paypal?: PayPalNamespace
  }
}

const loads = new Map<string, Promise<PayPalNamespace>>()

/**
 * loadPayPalSdk adds PayPal's script once per URL and resolves with window.paypal.
 * It runs only when the top-up dialog opens in "sdk" mode, so the SDK never
 * weighs on the sign-in page or any other route.
 */
export function loadPayPalSdk(src: string): Promise<PayPalNamespace> {
  if (window.paypal) return Promise.resolve(window.paypal)
  let p = loads.get(src)
  if (!p) {
    const script = document.createElement('script')
    p = new Promise<PayPalNamespace>((resolve, reject) => {
      script.src = src
      script.async = true
      script.dataset.paypalSdk = ''
      script.onload = () => (window.paypal ? resolve(window.paypal) : reject(new Error('PayPal did not load.')))
      script.onerror = () => reject(new Error("PayPal couldn't be reached. Check your connection and try again."))
      document.head.appendChild(script)
    })
    // A failed load may be retried (the next dialog open adds the script again).
    p.catch(() => {
      loads.delete(src)
      script.remove()
    })
    loads.set(src, p)
  }
  return p
}
