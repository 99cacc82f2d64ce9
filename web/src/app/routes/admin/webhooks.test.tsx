import { beforeEach, describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { admin, db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'
import type { WebhookDelivery } from '@/types/api'

let hooks: WebhookDelivery[]
let queries: string[]

beforeEach(() => {
  queries = []
  hooks = [
    { source: 'virtfusion', id: 'd1', eventType: 'server.delete', state: 'failed', receivedAt: '2026-12-01T10:00:00Z', lastAttemptAt: '2026-12-01T10:00:00Z', attempts: 1, error: 'billing unavailable', payload: '{"password":"[redacted]"}' },
    { source: 'paypal', id: 'WH-1', eventType: 'PAYMENT.CAPTURE.COMPLETED', state: 'processed', receivedAt: '2026-12-01T09:00:00Z', lastAttemptAt: '2026-12-01T09:00:00Z', attempts: 1, payload: '{}' },
  ]
  const adminOnly = () => (db.me?.role === 'admin' ? null : apiError(403, 'forbidden', 'Admins only.'))
  server.use(
    http.get('/api/admin/webhooks', ({ request }) => {
      const p = new URL(request.url).searchParams
      queries.push(p.toString())
      const items = hooks.filter((h) => (!p.get('state') || h.state === p.get('state')) && (!p.get('source') || h.source === p.get('source')))
      return adminOnly() ?? HttpResponse.json({ items, nextCursor: '' })
    }),
    http.post('/api/admin/webhooks/:source/:id/reprocess', ({ params }) => {
      const h = hooks.find((x) => x.source === params.source && x.id === params.id)!
      Object.assign(h, { state: 'processed', attempts: h.attempts + 1, error: undefined, reprocessedBy: 'u_admin' })
      return adminOnly() ?? HttpResponse.json({ delivery: h })
    }),
  )
})

describe('admin webhooks', () => {
  it('is not found for customers', async () => {
    renderApp('/admin/webhooks')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })

  it('filters on the server, shows redacted payloads and re-processes a failed delivery', { timeout: 30000 }, async () => {
    db.me = admin
    const { user } = renderApp('/admin/webhooks')
    await screen.findByRole('table', { name: 'Webhook deliveries' }, { timeout: 15000 })
    await user.selectOptions(screen.getByLabelText('State'), 'failed')
    await waitFor(() => expect(queries).toContain('state=failed'))
    // A new filter is a new query: the table is drawn again once it answers.
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Webhook deliveries' })).getAllByRole('row')).toHaveLength(2))
    const table = screen.getByRole('table', { name: 'Webhook deliveries' })
    const row = within(table).getAllByRole('row')[1]
    expect(row).toHaveTextContent('billing unavailable')
    expect(row).toHaveTextContent('"password":"[redacted]"')
    await user.click(within(row).getByRole('button', { name: 'Re-process virtfusion event d1' }))
    expect(await screen.findByText('Re-processed d1: processed.')).toBeInTheDocument()
    expect(await screen.findByText('No webhook deliveries.')).toBeInTheDocument()
  })
})
