import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('invoices (issue 20, item 9)', () => {
  it('lists transactions grouped per server per day, the day shown without a time', async () => {
    const seen: string[] = []
    server.use(
      http.get('/api/billing/transactions', ({ request }) => {
        seen.push(new URL(request.url).search)
        return HttpResponse.json({
          items: [
            { id: 'day:2026-11-04:server:7', type: 'charge', amountMinor: -240, balanceAfterMinor: 4760, currency: 'USD', description: 'web-1: 24 hours', createdAt: '2026-11-04T23:05:00Z', ref: 'server:7' },
            { id: 'le_1', type: 'topup', amountMinor: 5000, balanceAfterMinor: 5000, currency: 'USD', description: 'PayPal top-up', createdAt: '2026-11-03T10:15:00Z', ref: 'cap' },
          ],
          nextCursor: '',
        })
      }),
    )
    renderApp('/billing')
    const table = await screen.findByRole('table', { name: 'Transactions' })
    expect(seen.at(-1)).toContain('group=day')
    const row = within(table).getByTitle('web-1: 24 hours').closest('tr')!
    expect(row).toHaveTextContent('Nov 4, 2026')
    expect(row).not.toHaveTextContent(/\d\d:\d\d/)
    expect(within(table).getByTitle('PayPal top-up').closest('tr')).toHaveTextContent(/\d\d:\d\d/)
  })

  it("shows an invoice's period as the PDF writes it: first to last day", async () => {
    renderApp('/billing')
    const table = await screen.findByRole('table', { name: 'Invoices' })
    expect(table).toHaveTextContent('1 Oct 2026 – 31 Oct 2026 (UTC)')
    expect(table).not.toHaveTextContent('Nov 1')
  })

  it('says when an invoice is made when there is none', async () => {
    server.use(http.get('/api/billing/invoices', () => HttpResponse.json({ invoices: [] })))
    renderApp('/billing')
    expect(await screen.findByText(/1st to last day, UTC/)).toBeInTheDocument()
  })

  it('saves the billing address invoices are made out to, one line each', async () => {
    let body: unknown
    server.use(
      http.put('/api/billing/profile', async ({ request }) => {
        body = await request.json()
        return HttpResponse.json({ profile: body })
      }),
    )
    const { user } = renderApp('/account')
    const form = await screen.findByRole('form', { name: 'Billing address' })
    await user.type(within(form).getByLabelText('Company'), 'Buyer GmbH')
    await user.type(within(form).getByLabelText('Address'), 'Hauptstrasse 5{Enter}{Enter}10115 Berlin ')
    await user.type(within(form).getByLabelText('Tax ID'), 'DE123')
    await user.click(within(form).getByRole('button', { name: 'Save billing address' }))
    expect(await screen.findByText('Billing address saved')).toBeInTheDocument()
    expect(body).toEqual({ name: '', company: 'Buyer GmbH', addressLines: ['Hauptstrasse 5', '10115 Berlin'], taxId: 'DE123' })
  })

  it('shows the field the server refused', async () => {
    server.use(
      http.put('/api/billing/profile', () =>
        HttpResponse.json({ error: { code: 'invalid', message: 'Check the fields.', fields: { taxId: 'Too long.' } } }, { status: 400 }),
      ),
    )
    const { user } = renderApp('/account')
    const form = await screen.findByRole('form', { name: 'Billing address' })
    await user.type(within(form).getByLabelText('Tax ID'), 'X')
    await user.click(within(form).getByRole('button', { name: 'Save billing address' }))
    expect(await within(form).findByText('Too long.')).toBeInTheDocument()
  })
})
