import { beforeEach, describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { admin, db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'
import type { AdminSettings, AdminTopup } from '@/types/api'

const defaults: AdminSettings = {
  companyName: 'vfpanel',
  logoUrl: '',
  primaryColor: '#2563eb',
  accentColor: '#2563eb',
  supportEmail: '',
  postalAddress: '',
  taxId: '',
  topupMinMinor: 500,
  topupMaxMinor: 100000,
  prepayHours: 24,
  lowBalanceHours: [72, 24],
  graceDays: 7,
  announcement: '',
  discordUrl: '',
  geminiModel: 'gemini-2.5-flash',
  version: 0,
}

// The console's routes, served from state local to these tests.
let settings: AdminSettings
let topups: AdminTopup[]
let refunds: { id: string; body: unknown; key: string | null }[]

beforeEach(() => {
  settings = { ...defaults }
  refunds = []
  topups = [
    {
      id: 'tp_1',
      userId: 'u_cust',
      status: 'credited',
      amountMinor: 2500,
      currency: 'USD',
      creditedMinor: 2500,
      debitedMinor: 0,
      paypalOrderId: 'ORDER1',
      paypalCaptureId: 'CAPTURE1',
      createdAt: '2026-11-01T10:00:00Z',
    },
  ]
  const adminOnly = () => (db.me?.role === 'admin' ? null : apiError(403, 'forbidden', 'Admins only.'))
  server.use(
    http.get('/api/admin/settings', () => adminOnly() ?? HttpResponse.json({ settings, defaults, saved: settings.version > 0 })),
    http.put('/api/admin/settings', async ({ request }) => {
      const body = (await request.json()) as AdminSettings
      if (body.topupMaxMinor < body.topupMinMinor) return apiError(400, 'invalid', 'Some fields are invalid.', { topupMaxMinor: 'Must be at least the minimum.' })
      settings = { ...body, version: body.version + 1 }
      return adminOnly() ?? HttpResponse.json({ settings, defaults, saved: true })
    }),
    http.get('/api/admin/topups', ({ request }) => {
      const status = new URL(request.url).searchParams.get('status')
      return adminOnly() ?? HttpResponse.json({ items: topups.filter((t) => !status || t.status === status), nextCursor: '' })
    }),
    http.post('/api/admin/topups/:id/refunds', async ({ request, params }) => {
      const body = (await request.json()) as { amountMinor: number }
      refunds.push({ id: String(params.id), body, key: request.headers.get('Idempotency-Key') })
      const t = topups.find((x) => x.id === params.id)!
      const amount = body.amountMinor || t.creditedMinor - t.debitedMinor
      t.debitedMinor += amount
      return HttpResponse.json({ refundId: 'REFUND1', status: 'COMPLETED', amountMinor: amount, topupId: t.id, debitedMinor: t.debitedMinor, creditedMinor: t.creditedMinor }, { status: 201 })
    }),
    http.get('/api/admin/revenue', () =>
      HttpResponse.json({
        currency: 'USD',
        months: [{ month: '2026-11', creditsMinor: 2500, chargesMinor: 300, topupsMinor: 2500, refundsMinor: -700, reversalsMinor: 0, adjustmentsMinor: 0, customers: 1 }],
      }),
    ),
  )
})

describe('admin settings', () => {
  it('is not found for customers', async () => {
    renderApp('/admin/settings')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })

  it('saves the settings, showing the API field errors inline', { timeout: 30000 }, async () => {
    db.me = admin
    const { user } = renderApp('/admin/settings')
    const form = await screen.findByRole('form', { name: 'Settings' }, { timeout: 15000 })
    expect(within(form).getByLabelText('Company name')).toHaveValue('vfpanel')
    await user.clear(within(form).getByLabelText('Largest top-up'))
    await user.type(within(form).getByLabelText('Largest top-up'), '1.00')
    await user.click(within(form).getByRole('button', { name: 'Save settings' }))
    expect(await within(form).findByText('Must be at least the minimum.')).toBeInTheDocument()
    await user.clear(within(form).getByLabelText('Largest top-up'))
    await user.type(within(form).getByLabelText('Largest top-up'), '500.00')
    await user.clear(within(form).getByLabelText('Company name'))
    await user.type(within(form).getByLabelText('Company name'), 'Acme Hosting')
    await user.click(within(form).getByRole('button', { name: 'Save settings' }))
    await waitFor(() => expect(settings.version).toBe(1))
    expect(settings.companyName).toBe('Acme Hosting')
    expect(settings.topupMaxMinor).toBe(50000)
    expect(await screen.findByText(/Settings saved/)).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Admin sections' })
    expect(within(nav).getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page')
  })

  it('posts the maintenance banner every signed-in customer sees', async () => {
    db.me = admin
    const { user } = renderApp('/admin/settings')
    const form = await screen.findByRole('form', { name: 'Status message' })
    await user.selectOptions(within(form).getByLabelText('Kind'), 'maintenance')
    await user.type(within(form).getByLabelText('Message'), 'Upgrading storage tonight')
    await user.click(within(form).getByRole('button', { name: 'Post message' }))
    expect(await screen.findByTestId('status-banner')).toHaveTextContent('Upgrading storage tonight')
  })
})

describe('admin payments', () => {
  it('refunds part of a top-up after confirming, with one idempotency key', async () => {
    db.me = admin
    const { user } = renderApp('/admin/payments')
    const table = await screen.findByRole('table', { name: 'Top-ups' })
    expect(within(table).getByText('capture CAPTURE1')).toBeInTheDocument()
    await user.click(within(table).getByRole('button', { name: 'Refund' }))
    const dialog = await screen.findByRole('dialog')
    const amount = within(dialog).getByLabelText('Amount')
    expect(amount).toHaveValue('25.00')
    await user.clear(amount)
    await user.type(amount, '30.00')
    await user.click(within(dialog).getByRole('button', { name: 'Refund through PayPal' }))
    expect(await within(dialog).findByText('Enter between 0.01 and 25.00.')).toBeInTheDocument()
    expect(refunds).toHaveLength(0)
    await user.clear(amount)
    await user.type(amount, '7.00')
    await user.click(within(dialog).getByRole('button', { name: 'Refund through PayPal' }))
    expect(await screen.findByText(/Refunded \$7\.00/)).toBeInTheDocument()
    expect(refunds).toEqual([{ id: 'tp_1', body: { amountMinor: 700, reason: '' }, key: expect.any(String) }])
    expect(await within(table).findByText(/refunded \$7\.00/)).toBeInTheDocument()
  })

  it('shows revenue by month with a CSV export', async () => {
    db.me = admin
    renderApp('/admin/payments')
    const table = await screen.findByRole('table', { name: 'Revenue by month' })
    const row = within(table).getByRole('row', { name: /2026-11/ })
    expect(row).toHaveTextContent('$25.00')
    expect(row).toHaveTextContent('-$7.00')
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/admin/revenue/csv?months=12')
  })
})

describe('admin plans', () => {
  it('lists unpriced plans and takes a plan off sale after showing the servers on it', { timeout: 30000 }, async () => {
    db.me = admin
    let removed = ''
    server.use(
      http.get('/api/admin/packages', () =>
        HttpResponse.json({
          packages: [
            { id: 1, name: 'Nano', cpuCores: 1, memoryMb: 1024, storageGb: 20, price: removed ? null : { hourlyMinor: 3, monthlyCapMinor: 0, currency: 'USD' }, inVirtFusion: true, activeServers: 4, customers: 3 },
            { id: 2, name: 'Micro', cpuCores: 2, memoryMb: 2048, storageGb: 40, price: null, inVirtFusion: true, activeServers: 0, customers: 0 },
          ],
        }),
      ),
      http.delete('/api/admin/packages/:id/price', ({ params }) => {
        removed = String(params.id)
        return new HttpResponse(null, { status: 204 })
      }),
    )
    const { user } = renderApp('/admin/packages')
    const table = await screen.findByRole('table', { name: 'Plans' }, { timeout: 15000 })
    expect(within(within(table).getByRole('row', { name: /Micro/ })).getByText('No price')).toBeInTheDocument()
    await user.click(within(table).getByRole('button', { name: 'Remove price of Nano' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog).toHaveTextContent('4 running servers (3 customers) on this plan keep the price they were ordered at.')
    await user.click(within(dialog).getByRole('button', { name: 'Remove price' }))
    await waitFor(() => expect(removed).toBe('1'))
    expect(await within(table).findAllByText('No price')).toHaveLength(2)
  })
})

describe('announcement', () => {
  it('is shown to signed-in customers', { timeout: 30000 }, async () => {
    server.use(http.get('/api/settings', () => HttpResponse.json({ ...defaults, announcement: 'New plans in Frankfurt' })))
    renderApp('/')
    expect(await screen.findByTestId('announcement-banner', {}, { timeout: 15000 })).toHaveTextContent('New plans in Frankfurt')
  })
})
