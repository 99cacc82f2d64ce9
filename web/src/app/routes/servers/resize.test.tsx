import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

// The first find waits for the lazy server route to load (slow on a busy machine).
const first = { timeout: 20_000 }

const usd = (hourlyMinor: number) => ({ hourlyMinor, monthlyCapMinor: hourlyMinor * 600, currency: 'USD' })

function catalog() {
  server.use(
    http.get('/api/catalog/packages', () =>
      HttpResponse.json({
        packages: [
          { id: 1, name: 'Tiny 1GB', description: '', cpuCores: 1, memoryMb: 1024, storageGb: 20, trafficGb: 1000, price: usd(1) },
          ...db.packages,
          { id: 4, name: 'Large 4GB', description: '', cpuCores: 2, memoryMb: 4096, storageGb: 80, trafficGb: 4000, price: usd(3) },
        ],
      }),
    ),
  )
}

const preview = {
  fromPackageId: 2, toPackageId: 4, toPackageName: 'Large 4GB', fromHourlyMinor: 1, hourlyMinor: 3, hourlyDiffMinor: 2,
  fromMonthlyCapMinor: 600, monthlyCapMinor: 1800, chargeNowMinor: 2, effectiveFrom: '2026-12-02T15:00:00Z',
  rebootRequired: true, diskResize: true, diskFromGb: 40, diskToGb: 80, currency: 'USD',
}

describe('resize', () => {
  it('shows plan cards with the price difference, previews, and changes the plan once confirmed', async () => {
    catalog()
    let sent: { body: unknown; key: string | null } | undefined
    server.use(
      http.post('/api/servers/:id/resize/preview', () => HttpResponse.json(preview)),
      http.post('/api/servers/:id/resize', async ({ request }) => {
        sent = { body: await request.json(), key: request.headers.get('Idempotency-Key') }
        return HttpResponse.json({ preview, status: 'done' })
      }),
    )
    const { user } = renderApp('/servers/101/resize')
    const large = await screen.findByRole('radio', { name: 'Large 4GB' }, first)
    expect(large).toHaveTextContent('+$0.02/h')
    // A plan whose disk is smaller than the server's cannot be chosen.
    expect(screen.getByRole('radio', { name: 'Tiny 1GB' })).toBeDisabled()
    await user.click(large)

    const details = await screen.findByLabelText('Plan change preview')
    expect(details).toHaveTextContent('$6.00/month → $18.00/month')
    expect(details).toHaveTextContent('$0.02 (rest of this hour)')
    expect(details).toHaveTextContent('grows from 40 GB to 80 GB')
    expect(sent).toBeUndefined()

    await user.click(screen.getByRole('button', { name: 'Change to Large 4GB' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Change to Large 4GB?' })
    await user.click(within(dialog).getByRole('button', { name: 'Change plan' }))
    expect(await screen.findByText('Plan changed to Large 4GB')).toBeInTheDocument()
    expect(sent?.body).toEqual({ packageId: 4 })
    expect(sent?.key).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('shows why a plan cannot be chosen', async () => {
    catalog()
    server.use(
      http.post('/api/servers/:id/resize/preview', () =>
        HttpResponse.json(
          { error: { code: 'payment_required', message: 'Your balance ($0.10) must cover 24 hours of the new plan ($0.72). Please add funds.' } },
          { status: 402 },
        ),
      ),
    )
    const { user } = renderApp('/servers/101/resize')
    await user.click(await screen.findByRole('radio', { name: 'Large 4GB' }, first))
    expect(await screen.findByText(/must cover 24 hours of the new plan/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Change to/ })).not.toBeInTheDocument()
  })
})

describe('add-ons', () => {
  const addons = {
    backupPlanId: 0,
    backupPlans: [{ planId: 1, name: 'Daily', hourlyMinor: 1 }],
    ipv4: ['203.0.113.101', '203.0.113.150'],
    extraIpv4: ['203.0.113.150'],
    pendingIpv4: 0,
    ipv4Price: { hourlyMinor: 1, maxPerServer: 2 },
    addonsHourlyMinor: 1,
    currency: 'USD',
  }

  it('picks a backup plan', async () => {
    let planId = 0
    server.use(
      http.get('/api/servers/:id/addons', () => HttpResponse.json({ ...addons, backupPlanId: planId })),
      http.put('/api/servers/:id/backup-plan', async ({ request }) => {
        planId = ((await request.json()) as { planId: number }).planId
        return HttpResponse.json({ ...addons, backupPlanId: planId })
      }),
    )
    const { user } = renderApp('/servers/101/backups')
    const save = await screen.findByRole('button', { name: 'Save backup plan' }, first)
    expect(save).toBeDisabled()
    await user.click(screen.getByRole('radio', { name: 'Daily' }))
    await user.click(save)
    expect(await screen.findByText('Backup plan saved')).toBeInTheDocument()
    expect(planId).toBe(1)
    expect(screen.getByRole('radio', { name: 'Daily' })).toBeChecked()
  })

  it('lists addresses, adds one and removes an added one', async () => {
    let current = addons
    server.use(
      http.get('/api/servers/:id/addons', () => HttpResponse.json(current)),
      http.post('/api/servers/:id/ipv4', () => {
        current = { ...addons, ipv4: [...addons.ipv4, '203.0.113.151'], extraIpv4: [...addons.extraIpv4, '203.0.113.151'] }
        return HttpResponse.json(current, { status: 201 })
      }),
      http.delete('/api/servers/:id/ipv4/:ip', ({ params }) => {
        current = { ...current, ipv4: current.ipv4.filter((ip) => ip !== params.ip), extraIpv4: current.extraIpv4.filter((ip) => ip !== params.ip) }
        return HttpResponse.json(current)
      }),
    )
    const { user } = renderApp('/servers/101/network')
    const list = await screen.findByRole('list', { name: 'IPv4 addresses' }, first)
    expect(within(list).getAllByRole('listitem')).toHaveLength(2)
    // The primary address cannot be removed.
    expect(screen.queryByRole('button', { name: 'Remove 203.0.113.101' })).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Add IPv4 address' }))
    expect(await screen.findByText('Added 203.0.113.151')).toBeInTheDocument()
    // At the maximum of 2 extra addresses.
    expect(screen.getByRole('button', { name: 'Add IPv4 address' })).toBeDisabled()

    await user.click(screen.getByRole('button', { name: 'Remove 203.0.113.150' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove 203.0.113.150?' })
    await user.click(within(dialog).getByRole('button', { name: 'Remove address' }))
    expect(await screen.findByText('203.0.113.150 removed')).toBeInTheDocument()
    expect(within(screen.getByRole('list', { name: 'IPv4 addresses' })).getAllByRole('listitem')).toHaveLength(2)
  })
})
