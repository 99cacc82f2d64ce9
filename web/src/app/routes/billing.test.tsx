import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, waitFor, within } from '@testing-library/react'
import type { PayPalButtonsOptions } from '@/features/billing/lib/paypal-sdk'
import { browser } from '@/lib/browser'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

afterEach(() => {
  vi.restoreAllMocks()
  delete window.paypal
})

const sdkUrl = 'https://www.paypal.com/sdk/js?client-id=AZ-public&currency=USD&intent=capture'
const limits = { topupMinMinor: 500, topupMaxMinor: 100000 }

/** useSdkMode makes the API answer "sdk" and installs a fake window.paypal that records its options. */
function useSdkMode() {
  server.use(http.get('/api/billing/checkout', () => HttpResponse.json({ mode: 'sdk', clientId: 'AZ-public', currency: 'USD', sdkUrl, ...limits })))
  const rendered: { options?: PayPalButtonsOptions; container?: HTMLElement } = {}
  const close = vi.fn()
  window.paypal = {
    Buttons: vi.fn((options: PayPalButtonsOptions) => ({
      render: async (el: HTMLElement) => {
        rendered.options = options
        rendered.container = el
        el.innerHTML = '<button type="button">PayPal</button>'
      },
      close,
    })),
  }
  return { rendered, close }
}

describe('billing', () => {
  it('filters transactions by type', async () => {
    const seen: string[] = []
    server.use(
      http.get('/api/billing/transactions', ({ request }) => {
        seen.push(new URL(request.url).search)
        return undefined as unknown as Response // fall through to the default handler
      }),
    )
    const { user } = renderApp('/billing')
    const table = await screen.findByRole('table', { name: 'Transactions' })
    expect(within(table).getAllByRole('row')).toHaveLength(4) // header + 3

    await user.selectOptions(screen.getByLabelText('Type'), 'topup')
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Transactions' })).getAllByRole('row')).toHaveLength(2))
    // Ellipsized descriptions carry the full text as a title.
    expect(within(screen.getByRole('table', { name: 'Transactions' })).getByTitle('PayPal top-up')).toHaveTextContent('PayPal top-up')
    expect(seen.at(-1)).toContain('type=topup')

    await user.selectOptions(screen.getByLabelText('Type'), 'refund')
    expect(await screen.findByText('No transactions match these filters')).toBeInTheDocument()
  })

  it('starts a PayPal top-up and sends the browser to approve it', async () => {
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {})
    const { user } = renderApp('/billing')
    await user.click(await screen.findByRole('button', { name: 'Add funds' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    await user.click(within(dialog).getByRole('button', { name: '$50' }))
    await user.click(within(dialog).getByRole('button', { name: 'Continue to PayPal' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/approve?amount=50.00'))
  })

  it('in sdk mode pays in the dialog with PayPal buttons: createOrder opens the order, onApprove captures it', async () => {
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {})
    const { rendered, close } = useSdkMode()
    const calls: string[] = []
    server.use(
      http.post('/api/billing/topups', async ({ request }) => {
        calls.push(`create ${((await request.json()) as { amount: string }).amount}`)
        return HttpResponse.json({ orderId: 'ORDER-SDK', approveUrl: 'https://paypal.test/unused', amountMinor: 5000 }, { status: 201 })
      }),
      http.post('/api/billing/topups/:orderId/capture', ({ params }) => {
        calls.push(`capture ${params.orderId}`)
        return HttpResponse.json({ status: 'COMPLETED', credited: true, balanceMinor: 7500 })
      }),
    )
    const { user } = renderApp('/billing')
    await user.click(await screen.findByRole('button', { name: 'Add funds' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    await within(dialog).findByRole('button', { name: 'PayPal' })
    expect(within(dialog).queryByRole('button', { name: 'Continue to PayPal' })).not.toBeInTheDocument()
    expect(document.querySelector('script[data-paypal-sdk]')).toBeNull() // the global was already there
    await user.click(within(dialog).getByRole('button', { name: '$50' }))

    let orderId = ''
    await act(async () => {
      orderId = await rendered.options!.createOrder()
    })
    expect(orderId).toBe('ORDER-SDK')
    await act(() => rendered.options!.onApprove({ orderID: orderId }))

    expect(calls).toEqual(['create 50.00', 'capture ORDER-SDK'])
    expect(await within(dialog).findByText('Payment received')).toBeInTheDocument()
    expect(within(dialog).getByText('Your balance is now $75.00.')).toBeInTheDocument()
    expect(close).toHaveBeenCalled() // the buttons are torn down once the result shows
    expect(assign).not.toHaveBeenCalled()
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
  })

  it('in sdk mode refuses a bad amount before PayPal opens an order', async () => {
    const { rendered } = useSdkMode()
    let created = 0
    server.use(http.post('/api/billing/topups', () => void created++))
    const { user } = renderApp('/billing')
    await user.click(await screen.findByRole('button', { name: 'Add funds' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    await within(dialog).findByRole('button', { name: 'PayPal' })
    const amount = within(dialog).getByLabelText('Custom amount (USD)')
    await user.clear(amount)
    await user.type(amount, '2')
    await act(async () => {
      await expect(rendered.options!.createOrder()).rejects.toThrow()
      rendered.options!.onError?.(new Error('createOrder failed'))
    })
    expect(within(dialog).getByText('The smallest top-up is $5.')).toBeInTheDocument()
    expect(within(dialog).queryByText("The payment didn't go through")).not.toBeInTheDocument()
    expect(created).toBe(0)
  })

  it('checks the amount against the limits the API serves', async () => {
    let created = 0
    server.use(
      http.get('/api/billing/checkout', () =>
        HttpResponse.json({ mode: 'redirect', clientId: 'sim-client', currency: 'USD', topupMinMinor: 700, topupMaxMinor: 25000 }),
      ),
      http.post('/api/billing/topups', () => void created++),
    )
    const { user } = renderApp('/billing')
    await user.click(await screen.findByRole('button', { name: 'Add funds' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    expect(await within(dialog).findByText('Between $7 and $250.')).toBeInTheDocument()
    const amount = within(dialog).getByLabelText('Custom amount (USD)')
    await user.clear(amount)
    await user.type(amount, '6')
    await user.click(within(dialog).getByRole('button', { name: 'Continue to PayPal' }))
    expect(within(dialog).getByText('The smallest top-up is $7.')).toBeInTheDocument()
    await user.clear(amount)
    await user.type(amount, '250.01')
    await user.click(within(dialog).getByRole('button', { name: 'Continue to PayPal' }))
    expect(within(dialog).getByText('The largest top-up is $250.')).toBeInTheDocument()
    expect(created).toBe(0)
  })

  it('in sdk mode loads PayPal\'s script only when the dialog opens', async () => {
    server.use(http.get('/api/billing/checkout', () => HttpResponse.json({ mode: 'sdk', clientId: 'AZ-public', currency: 'USD', sdkUrl, ...limits })))
    const { user } = renderApp('/billing')
    const addFunds = await screen.findByRole('button', { name: 'Add funds' })
    expect(document.querySelector('script[data-paypal-sdk]')).toBeNull() // the billing page alone adds nothing
    await user.click(addFunds)
    const script = await waitFor(() => {
      const s = document.querySelector<HTMLScriptElement>('script[data-paypal-sdk]')
      expect(s).not.toBeNull()
      return s!
    })
    expect(script.src).toBe(sdkUrl)
    let rendered: HTMLElement | undefined
    window.paypal = { Buttons: () => ({ render: async (el) => void (rendered = el) }) }
    act(() => void script.dispatchEvent(new Event('load')))
    await waitFor(() => expect(rendered).toBeDefined())
    expect(screen.getByTestId('paypal-buttons')).toBe(rendered)
    script.remove()
  })

  it('captures a returning PayPal payment once and shows the result', async () => {
    let captures = 0
    server.use(
      http.post('/api/billing/topups/:orderId/capture', ({ params }) => {
        captures++
        expect(params.orderId).toBe('ORDER-7')
        return HttpResponse.json({ status: 'COMPLETED', credited: true, balanceMinor: 5000 })
      }),
    )
    renderApp('/billing?topup=ORDER-7&token=ORDER-7')
    expect(await screen.findByText('Payment received')).toBeInTheDocument()
    expect(screen.getByText('Your balance is now $50.00.')).toBeInTheDocument()
    await waitFor(() => expect(currentPath()).toBe('/billing'))
    expect(captures).toBe(1)
  })
})
