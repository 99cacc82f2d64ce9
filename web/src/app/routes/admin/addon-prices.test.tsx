import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { admin, db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('admin add-on prices', () => {
  it('prices a backup plan and extra IPv4 addresses', async () => {
    db.me = admin
    let prices = { backupPlans: [] as { planId: number; name: string; hourlyMinor: number }[], ipv4: { hourlyMinor: 0, maxPerServer: 0 } }
    const sent: unknown[] = []
    server.use(
      http.get('/api/admin/addon-prices', () => HttpResponse.json(prices)),
      http.put('/api/admin/backup-plans/:id/price', async ({ request, params }) => {
        const body = (await request.json()) as { name: string; hourlyMinor: number }
        sent.push({ planId: Number(params.id), ...body })
        prices = { ...prices, backupPlans: [{ planId: Number(params.id), ...body }] }
        return HttpResponse.json(prices)
      }),
      http.put('/api/admin/ipv4-price', async ({ request }) => {
        const body = (await request.json()) as { hourlyMinor: number; maxPerServer: number }
        sent.push(body)
        prices = { ...prices, ipv4: body }
        return HttpResponse.json(prices)
      }),
    )
    const { user } = renderApp('/admin/packages')
    const ipv4 = await screen.findByRole('form', { name: 'Extra IPv4 price' }, { timeout: 20_000 })
    await user.clear(within(ipv4).getByLabelText('Per hour (USD)'))
    await user.type(within(ipv4).getByLabelText('Per hour (USD)'), '0.01')
    await user.clear(within(ipv4).getByLabelText('Most per server'))
    await user.type(within(ipv4).getByLabelText('Most per server'), '2')
    await user.click(within(ipv4).getByRole('button', { name: 'Save' }))
    // The change is confirmed after its impact is shown (issue 20, item 10).
    const confirm = await screen.findByRole('alertdialog', { name: 'Change the extra IPv4 price?' })
    expect(confirm).toHaveTextContent('keep the price they were ordered at')
    expect(confirm).toHaveTextContent('New extra IPv4 addresses cost $7.30 a month')
    expect(sent).toEqual([])
    await user.click(within(confirm).getByRole('button', { name: 'Save the new price' }))
    expect(await screen.findByText('Extra IPv4 price saved')).toBeInTheDocument()

    const plan = screen.getByRole('form', { name: 'Price a backup plan' })
    await user.type(within(plan).getByLabelText('VirtFusion plan id'), '1')
    await user.type(within(plan).getByLabelText('Name customers see'), 'Daily')
    await user.type(within(plan).getByLabelText('Per hour (USD)'), '0.02')
    await user.click(within(plan).getByRole('button', { name: 'Save plan' }))
    expect(await screen.findByText('Backup plan Daily saved')).toBeInTheDocument()
    expect(within(screen.getByRole('list', { name: 'Priced backup plans' })).getByText('Daily')).toBeInTheDocument()
    expect(sent).toEqual([{ hourlyMinor: 1, maxPerServer: 2 }, { planId: 1, name: 'Daily', hourlyMinor: 2 }])
  })
})
