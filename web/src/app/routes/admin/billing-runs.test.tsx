import { beforeEach, describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { admin, db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'
import type { BillingRun } from '@/types/api'

const run = (over: Partial<BillingRun>): BillingRun => ({
  id: '2026-12-01T11:00:03.000000000Z#schedule',
  startedAt: '2026-12-01T11:00:03Z',
  chargedThrough: '2026-12-01T11:00:03Z',
  trigger: 'schedule',
  shards: 1,
  servers: 5,
  serversCharged: 3,
  serversFailed: 1,
  skipped: 1,
  stopped: 0,
  hoursCharged: 3,
  duplicates: 0,
  chargedMinor: 6,
  durationMs: 120,
  failures: [{ users: ['u_bob'], code: 'internal', message: 'dynamo: transaction cancelled' }],
  ...over,
})

let runs: BillingRun[]
let reruns: string[]

beforeEach(() => {
  runs = [run({})]
  reruns = []
  const adminOnly = () => (db.me?.role === 'admin' ? null : apiError(403, 'forbidden', 'Admins only.'))
  server.use(
    http.get('/api/admin/billing/runs', ({ request }) => {
      const cursor = new URL(request.url).searchParams.get('cursor')
      // Two pages: the newest runs, then the first one recorded.
      const page = cursor ? runs.slice(-1) : runs.length > 1 ? runs.slice(0, -1) : runs
      return adminOnly() ?? HttpResponse.json({ items: page, nextCursor: !cursor && runs.length > 1 ? 'c1' : '' })
    }),
    http.post('/api/admin/billing/runs', async ({ request }) => {
      const { hour } = (await request.json()) as { hour: string }
      reruns.push(hour)
      runs.unshift(run({ id: 'r2', trigger: 'rerun', by: 'u_admin', chargedThrough: hour, serversCharged: 0, serversFailed: 0, skipped: 5, hoursCharged: 0, chargedMinor: 0, failures: [] }))
      return adminOnly() ?? HttpResponse.json({ hour, servers: 5, serversCharged: 0, serversFailed: 0, hoursCharged: 0, chargedMinor: 0 })
    }),
    http.get('/api/admin/revenue', () => HttpResponse.json({ currency: 'USD', months: [] })),
  )
})

describe('admin billing', () => {
  it('is not found for customers', async () => {
    renderApp('/admin/billing')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })

  it('lists runs with their counts and failures, and re-runs an hour after confirming', { timeout: 30000 }, async () => {
    db.me = admin
    const { user } = renderApp('/admin/billing')
    const table = await screen.findByRole('table', { name: 'Billing runs' }, { timeout: 15000 })
    const row = within(table).getAllByRole('row')[1]
    expect(row).toHaveTextContent('scheduled')
    expect(row).toHaveTextContent('$0.06')
    expect(row).toHaveTextContent('u_bob: dynamo: transaction cancelled')
    const nav = screen.getByRole('navigation', { name: 'Admin sections' })
    expect(within(nav).getByRole('link', { name: 'Billing' })).toHaveAttribute('aria-current', 'page')

    const hour = screen.getByLabelText('Hour to re-run') as HTMLSelectElement
    const chosen = hour.options[3].value
    await user.selectOptions(hour, chosen)
    await user.click(screen.getByRole('button', { name: 'Re-run this hour' }))
    const dialog = await screen.findByRole('dialog')
    await user.click(within(dialog).getByRole('button', { name: 'Re-run' }))
    expect(await screen.findByText('Re-run done: 0 hours on 0 servers, $0.00.')).toBeInTheDocument()
    expect(reruns).toEqual([chosen])
    expect(await within(table).findByText('re-run by u_admin')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'More runs' }))
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3))
  })

  it("shows each server's billing state, flagging servers billing does not know", { timeout: 30000 }, async () => {
    db.me = admin
    db.consoleServers.push({ ...db.consoleServers[0], id: 42, name: 'made-in-virtfusion', owner: null, unbilled: true, billing: null })
    renderApp('/admin/billing')
    const table = await screen.findByRole('table', { name: 'Server billing state' }, { timeout: 15000 })
    const billed = within(table).getByRole('row', { name: /ada-web/ })
    expect(billed).toHaveTextContent('$0.02/h')
    expect(billed).toHaveTextContent('billed')
    const unbilled = within(table).getByRole('row', { name: /made-in-virtfusion/ })
    expect(unbilled).toHaveTextContent('unbilled')
    expect(unbilled).toHaveTextContent('VirtFusion user 12')
  })
})

describe('user search index', () => {
  it('is rebuilt from the users page', { timeout: 30000 }, async () => {
    db.me = admin
    let calls = 0
    server.use(
      http.post('/api/admin/users/search-index', () => {
        calls++
        return HttpResponse.json({ users: 3 })
      }),
    )
    const { user } = renderApp('/admin/users')
    await user.click(await screen.findByRole('button', { name: 'Rebuild search index' }, { timeout: 15000 }))
    expect(await screen.findByText('Search index rebuilt for 3 users.')).toBeInTheDocument()
    expect(calls).toBe(1)
  })
})
