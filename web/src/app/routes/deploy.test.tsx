import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { cleanup, waitFor, within } from '@testing-library/react'
import { browser } from '@/lib/browser'
import type { UserEvent } from '@testing-library/user-event'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

/** Waits for the page's defaults, then types the one thing without a default: the hostname. */
async function fillPage(user: UserEvent) {
  // Defaults: the first location with stock, the only plan on sale, the latest Ubuntu LTS, the saved key ticked.
  expect(await screen.findByRole('radio', { name: 'London' }, { timeout: 25000 })).toBeChecked()
  expect(screen.getByRole('radio', { name: 'Frankfurt' })).toBeDisabled()
  expect(await screen.findByRole('radio', { name: 'Standard 2GB' })).toBeChecked()
  expect(await screen.findByRole('radio', { name: 'Ubuntu 24.04 LTS Minimal' })).toBeChecked()
  expect(await screen.findByRole('checkbox', { name: /laptop/ })).toBeChecked()
  await user.type(screen.getByLabelText('Hostname'), 'api-1.example.com')
  // The summary: the monthly price first, then the exact hourly one.
  expect(screen.getByTestId('cost-monthly')).toHaveTextContent('$6.00')
  expect(screen.getByTestId('cost-hourly')).toHaveTextContent('$0.01 an hour')
  expect(screen.getByTestId('cost-hourly')).toHaveTextContent('about $0.0082 an hour')
}

describe('deploy', () => {
  it('orders a server with an idempotency key and shows the root password once', async () => {
    let sent: Record<string, unknown> | undefined
    let key: string | null = null
    const original = db.servers.length
    server.use(
      http.post('/api/servers', async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>
        key = request.headers.get('Idempotency-Key')
        return HttpResponse.json(
          {
            server: { ...db.servers[0], id: 201, name: 'api-1', hostname: 'api-1.example.com', provisioning: 'building' },
            rootPassword: 'F1rst-R00t-Pa55',
          },
          { status: 201 },
        )
      }),
    )
    const { user } = renderApp('/deploy')
    await fillPage(user)
    await user.click(screen.getByRole('button', { name: 'Deploy server' }))

    expect(await screen.findByText('api-1 is on its way')).toBeInTheDocument()
    expect(screen.getByLabelText('Root password')).toHaveTextContent('F1rst-R00t-Pa55')
    expect(screen.getByRole('link', { name: /Go to api-1/ })).toHaveAttribute('href', '/servers/201')
    expect(sent).toEqual({ locationId: 1, packageId: 2, templateId: 51, hostname: 'api-1.example.com', name: 'api-1', sshKeyIds: [1] })
    expect(key).toMatch(/^[0-9a-f-]{36}$/)
    expect(db.servers.length).toBe(original)
  }, 60000)

  it('says how much is missing, tops up from the page and comes back to it', async () => {
    db.balance = { ...db.balance, balanceMinor: 10, low: true }
    let body: Record<string, unknown> | undefined
    server.use(
      http.post('/api/billing/topups', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>
        return HttpResponse.json({ orderId: 'ORDER-9', approveUrl: 'https://paypal.test/approve', amountMinor: 500 }, { status: 201 })
      }),
    )
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {})
    const { user } = renderApp('/deploy')
    await fillPage(user)

    const need = await screen.findByTestId('funds-needed')
    expect(within(need).getByText('You need $0.14 more')).toBeInTheDocument()
    expect(within(need).getByText(/must cover the first 24 hours of this plan \(\$0\.24\)/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Deploy server' })).toBeDisabled()
    await user.click(within(need).getByRole('button', { name: 'Add funds' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    expect(within(dialog).getByLabelText('Custom amount (USD)')).toHaveValue('5')
    await user.click(within(dialog).getByRole('button', { name: 'Continue to PayPal' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/approve'))
    expect(body).toEqual({ amount: '5.00', returnTo: '/deploy' })
    assign.mockRestore()
    cleanup()

    // PayPal sends the buyer back to /deploy: the payment is captured and every choice is still there.
    db.balance = { ...db.balance, balanceMinor: 510, low: false }
    server.use(http.post('/api/billing/topups/:orderId/capture', () => HttpResponse.json({ status: 'COMPLETED', credited: true, balanceMinor: 510 })))
    renderApp('/deploy?topup=ORDER-9&token=ORDER-9')
    expect(await screen.findByText('Payment received', undefined, { timeout: 25000 })).toBeInTheDocument()
    await waitFor(() => expect(currentPath()).toBe('/deploy'))
    expect(screen.getByLabelText('Hostname')).toHaveValue('api-1.example.com')
    const summary = screen.getByRole('heading', { name: 'Summary' }).closest('[data-slot="card"]') as HTMLElement
    for (const want of ['London', 'Standard 2GB', 'api-1.example.com', 'laptop', 'Ubuntu 24.04']) expect(await within(summary).findByText(new RegExp(want))).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByTestId('funds-needed')).not.toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Deploy server' })).toBeEnabled()
  }, 60000)

  it('opens the top-up dialog with the server\'s reason when the order is refused for funds', async () => {
    server.use(http.post('/api/servers', () => HttpResponse.json({ error: { code: 'payment_required', message: 'You need 0.14 USD more: your balance must cover the first 24 hours of this plan (0.24 USD).' } }, { status: 402 })))
    const { user } = renderApp('/deploy')
    await fillPage(user)
    await user.click(screen.getByRole('button', { name: 'Deploy server' }))

    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    expect(within(dialog).getByText(/You need 0\.14 USD more/)).toBeInTheDocument()
    // One voice: the dialog says it, not an alert behind it as well.
    expect(screen.getAllByText(/You need 0\.14 USD more/)).toHaveLength(1)
    expect(screen.queryByText(/is on its way/)).not.toBeInTheDocument()
  }, 60000)

  it('checks the hostname before ordering and keeps the page as it was', async () => {
    let ordered = false
    server.use(
      http.post('/api/servers', () => {
        ordered = true
        return HttpResponse.json({}, { status: 500 })
      }),
    )
    const { user } = renderApp('/deploy')
    expect(await screen.findByRole('radio', { name: 'Ubuntu 24.04 LTS Minimal' }, { timeout: 25000 })).toBeChecked()
    await user.click(screen.getByRole('button', { name: 'Deploy server' }))
    expect(await screen.findByText('Enter a hostname.')).toBeInTheDocument()
    expect(screen.getByLabelText('Hostname')).toHaveFocus()
    await user.type(screen.getByLabelText('Hostname'), 'bad_host!')
    await user.tab()
    expect(await screen.findByText('Use letters, digits, hyphens and dots, like web-1.example.com.')).toBeInTheDocument()
    expect(ordered).toBe(false)
    expect(screen.getByRole('radio', { name: 'London' })).toBeChecked()
  }, 60000)
})
