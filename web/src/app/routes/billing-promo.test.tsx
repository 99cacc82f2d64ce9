import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { browser } from '@/lib/browser'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

afterEach(() => vi.restoreAllMocks())

const saved = {
  available: true,
  saved: true,
  email: 'buyer@example.com',
  enabled: false,
  thresholdMinor: 500,
  amountMinor: 2000,
  lastStatus: '',
  topupMinMinor: 500,
  topupMaxMinor: 100000,
}

describe('billing promo codes and auto top-up', () => {
  it('previews a promo code and sends it with the top-up', async () => {
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {})
    const bodies: unknown[] = []
    server.use(
      http.post('/api/billing/coupons/validate', async ({ request }) => {
        const body = (await request.json()) as { code: string }
        if (body.code !== 'BONUS10')
          return HttpResponse.json({ error: { code: 'invalid', message: 'invalid', fields: { coupon: 'This code does not exist.' } } }, { status: 400 })
        return HttpResponse.json({ code: 'BONUS10', kind: 'topup_percent', creditMinor: 500, summary: '10% bonus: $5.00 added to this top-up.' })
      }),
      http.post('/api/billing/topups', async ({ request }) => {
        bodies.push(await request.json())
        return HttpResponse.json({ orderId: 'O-1', approveUrl: 'https://paypal.test/approve', amountMinor: 5000 }, { status: 201 })
      }),
    )
    const { user } = renderApp('/billing')
    await user.click(await screen.findByRole('button', { name: 'Add funds' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    await user.click(within(dialog).getByRole('button', { name: '$50' }))
    const code = within(dialog).getByLabelText('Promo code (optional)')
    await user.type(code, 'NOPE')
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }))
    expect(await within(dialog).findByText('This code does not exist.')).toBeInTheDocument()
    await user.clear(code)
    await user.type(code, 'BONUS10')
    await user.click(within(dialog).getByRole('button', { name: 'Apply' }))
    expect(await within(dialog).findByText('10% bonus: $5.00 added to this top-up.')).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Continue to PayPal' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/approve'))
    expect(bodies).toEqual([{ amount: '50.00', coupon: 'BONUS10' }])
  })

  it('saves a PayPal account through PayPal approval', async () => {
    const assign = vi.spyOn(browser, 'assign').mockImplementation(() => {})
    server.use(http.post('/api/billing/auto-topup/setup', () => HttpResponse.json({ approveUrl: 'https://paypal.test/vault' }, { status: 201 })))
    const { user } = renderApp('/billing')
    await user.click(await screen.findByRole('button', { name: 'Save a PayPal account' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://paypal.test/vault'))
  })

  it('confirms the approved account on return, then turns auto top-up on and removes it', async () => {
    const calls: string[] = []
    let state = { ...saved, saved: false, email: '' }
    server.use(
      http.get('/api/billing/auto-topup', () => HttpResponse.json(state)),
      http.post('/api/billing/auto-topup/setup/:token/confirm', ({ params }) => {
        calls.push(`confirm ${params.token}`)
        state = { ...saved }
        return HttpResponse.json(state)
      }),
      http.put('/api/billing/auto-topup', async ({ request }) => {
        calls.push(`put ${JSON.stringify(await request.json())}`)
        state = { ...saved, enabled: true, thresholdMinor: 1000, amountMinor: 2500 }
        return HttpResponse.json(state)
      }),
      http.delete('/api/billing/auto-topup', () => {
        calls.push('delete')
        state = { ...saved, saved: false, email: '' }
        return HttpResponse.json(state)
      }),
    )
    const { user } = renderApp('/billing?autoTopup=1&approval_token_id=TOK-1&approval_session_id=TOK-1')
    expect(await screen.findByText('buyer@example.com')).toBeInTheDocument()
    const threshold = screen.getByLabelText('When the balance is below (USD)')
    await user.clear(threshold)
    await user.type(threshold, '10')
    const amount = screen.getByLabelText('Top up by (USD)')
    await user.clear(amount)
    await user.type(amount, '25')
    await user.click(screen.getByRole('button', { name: 'Turn on auto top-up' }))
    expect(await screen.findByRole('button', { name: 'Turn off' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Remove PayPal account' }))
    expect(await screen.findByRole('button', { name: 'Save a PayPal account' })).toBeInTheDocument()
    expect(calls).toEqual(['confirm TOK-1', 'put {"enabled":true,"thresholdMinor":1000,"amountMinor":2500}', 'delete'])
  })
})
