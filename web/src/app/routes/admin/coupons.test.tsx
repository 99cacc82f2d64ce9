import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { admin, db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

const coupon = {
  code: 'SPRING10',
  kind: 'topup_percent',
  percent: 10,
  amountMinor: 0,
  hours: 0,
  packageId: 0,
  minAmountMinor: 1000,
  validFrom: '2026-12-01T00:00:00Z',
  validUntil: '2026-12-31T00:00:00Z',
  maxRedemptions: 100,
  perCustomer: 1,
  disabled: false,
  redeemed: 2,
  creditedMinor: 500,
  createdAt: '2026-12-01T00:00:00Z',
}

describe('admin promo codes', () => {
  it('creates a code, lists it with its use, disables it and shows redemptions', async () => {
    db.me = admin
    const items = [] as (typeof coupon)[]
    const calls: string[] = []
    server.use(
      http.get('/api/admin/coupons', () => HttpResponse.json({ items })),
      http.post('/api/admin/coupons', async ({ request }) => {
        const body = (await request.json()) as { code: string; kind: string; percent: number; perCustomer: number }
        calls.push(`create ${body.code} ${body.kind} ${body.percent} ${body.perCustomer}`)
        items.push({ ...coupon, code: body.code.toUpperCase() })
        return HttpResponse.json({ coupon: items[0] }, { status: 201 })
      }),
      http.patch('/api/admin/coupons/:code', async ({ params, request }) => {
        const body = (await request.json()) as { disabled: boolean }
        calls.push(`patch ${params.code} ${body.disabled}`)
        items[0] = { ...items[0], disabled: body.disabled }
        return HttpResponse.json({ coupon: items[0] })
      }),
      http.get('/api/admin/coupons/:code/redemptions', () =>
        HttpResponse.json({ items: [{ code: 'SPRING10', userId: 'u_cust', ref: 'topup:tp_1', amountMinor: 250, at: '2026-12-02T10:00:00Z' }], totalMinor: 250, redemptions: 1 }),
      ),
    )
    const { user } = renderApp('/admin/coupons')
    await user.type(await screen.findByLabelText('Code'), 'spring10')
    await user.click(screen.getByRole('button', { name: 'Create code' }))
    const table = await screen.findByRole('table', { name: 'Promo codes' })
    expect(await within(table).findByText('SPRING10')).toBeInTheDocument()
    expect(within(table).getByText('10% on top-ups')).toBeInTheDocument()
    await user.click(within(table).getByRole('button', { name: 'Disable SPRING10' }))
    expect(await within(table).findByRole('button', { name: 'Enable SPRING10' })).toBeInTheDocument()
    await user.click(within(table).getByRole('button', { name: 'Redemptions of SPRING10' }))
    expect(await screen.findByText('1 redemptions, $2.50 credited.')).toBeInTheDocument()
    expect(calls).toEqual(['create spring10 topup_percent 10 1', 'patch SPRING10 true'])
  })
})
