import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { priceImpact } from '@/features/admin/components/package-prices-editor'
import { admin, db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('admin overview (issue 20, item 10)', () => {
  it('shows users, revenue this month, failed payments and builds, open tickets', async () => {
    db.me = admin
    renderApp('/admin')
    const figures = await screen.findByRole('region', { name: 'Figures' })
    expect(within(figures).getByRole('link', { name: /Users\s*42\s*5 new in November 2026/ })).toHaveAttribute('href', '/admin/users')
    expect(figures).toHaveTextContent('Revenue, November 2026$1,234.56')
    expect(figures).toHaveTextContent('Failed payments1')
    expect(figures).toHaveTextContent('Failed builds0in the last 7 days')
    expect(figures).toHaveTextContent('Open tickets3')
  })

  it('says when the figures cannot be loaded, and keeps the sections', async () => {
    db.me = admin
    server.use(http.get('/api/admin/overview', () => HttpResponse.json({ error: { code: 'unavailable', message: 'The database is not answering; try again.' } }, { status: 503 })))
    renderApp('/admin')
    expect(await screen.findByText("Couldn't load the figures")).toBeInTheDocument()
    expect(screen.getByRole('list', { name: 'Sections' })).toBeInTheDocument()
  })
})

describe('price change impact', () => {
  it.each([
    [
      'a raise with servers running',
      { hourlyMinor: 1, monthlyCapMinor: 600 },
      { hourlyMinor: 2, monthlyCapMinor: 1000 },
      { activeServers: 3, customers: 2 },
      '3 running servers on Std (2 customers) keep the price they were ordered at: revenue changes by $0.00 a month now. New orders pay $10.00 a month instead of $6.00 (+$4.00 per server per month).',
    ],
    [
      'one server, one customer',
      { hourlyMinor: 2, monthlyCapMinor: 0 },
      { hourlyMinor: 1, monthlyCapMinor: 0 },
      { activeServers: 1, customers: 1 },
      '1 running server on Std (1 customer) keeps the price they were ordered at: revenue changes by $0.00 a month now. New orders pay $7.30 a month instead of $14.60 (-$7.30 per server per month).',
    ],
    ['a first price', undefined, { hourlyMinor: 1, monthlyCapMinor: 500 }, undefined, 'No server runs on Std, so no revenue changes now. New orders pay $5.00 a month.'],
  ])('%s', (_, before, after, usage, want) => {
    expect(priceImpact('Std', before, after, usage).text).toBe(want)
  })

  it('asks before saving a plan price, with the impact, and saves only on confirm', async () => {
    db.me = admin
    const saved: unknown[] = []
    server.use(
      http.get('/api/admin/packages', () =>
        HttpResponse.json({ packages: [{ id: 2, name: 'Standard 2GB', cpuCores: 2, memoryMb: 2048, storageGb: 40, hidden: false, inVirtFusion: true, activeServers: 4, customers: 3, price: { hourlyMinor: 1, monthlyCapMinor: 600, currency: 'USD' } }] }),
      ),
      http.put('/api/admin/packages/:id/price', async ({ request }) => {
        saved.push(await request.json())
        return HttpResponse.json({ hourlyMinor: 2, monthlyCapMinor: 1000, currency: 'USD' })
      }),
    )
    const { user } = renderApp('/admin/packages')
    const form = await screen.findByRole('form', { name: 'Price of Standard 2GB' })
    await user.clear(within(form).getByLabelText('Per hour (USD)'))
    await user.type(within(form).getByLabelText('Per hour (USD)'), '0.02')
    await user.clear(within(form).getByLabelText('Monthly cap (USD)'))
    await user.type(within(form).getByLabelText('Monthly cap (USD)'), '10.00')
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Change the price of Standard 2GB?' })
    expect(dialog).toHaveTextContent('4 running servers on Standard 2GB (3 customers)')
    expect(dialog).toHaveTextContent('+$4.00 per server per month')
    expect(saved).toHaveLength(0)
    await user.click(within(dialog).getByRole('button', { name: 'Keep the current price' }))
    expect(saved).toHaveLength(0)
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Save the new price' }))
    expect(await screen.findByText('Price of Standard 2GB saved')).toBeInTheDocument()
    expect(saved).toEqual([{ hourlyMinor: 2, monthlyCapMinor: 1000 }])
  })
})
