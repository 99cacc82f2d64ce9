import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { browser } from '@/lib/browser'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

afterEach(() => vi.restoreAllMocks())

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
    expect(screen.getByRole('cell', { name: 'PayPal top-up' })).toBeInTheDocument()
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
