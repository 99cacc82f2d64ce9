import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('server activity tab', () => {
  it("asks the API for this server's activity and words it for people", async () => {
    let asked = ''
    server.use(
      http.get('/api/account/activity', () => {
        throw new Error('the server tab must not read the whole account log')
      }),
      http.get('/api/servers/:id/activity', ({ params }) => {
        asked = String(params.id)
        return HttpResponse.json({
          items: [
            { id: 'p1', action: 'server.power', target: 'server:101', outcome: 'ok', detail: 'shutdown', ip: '198.51.100.1', at: '2026-11-22T09:00:00Z' },
            { id: 'p2', action: 'server.power', target: 'server:101', outcome: 'error', detail: 'boot: The server is busy.', ip: '198.51.100.1', at: '2026-11-22T08:30:00Z' },
            { id: 'r1', action: 'server.reinstall', target: 'server:101', outcome: 'ok', detail: 'Ubuntu 24.04 LTS, hostname web-1', ip: '198.51.100.1', at: '2026-11-22T08:00:00Z' },
            { id: 'b1', action: 'server.built', target: 'server:101', outcome: 'ok', detail: 'web-1 finished installing.', ip: '', at: '2026-11-22T07:00:00Z' },
          ],
          nextCursor: '',
        })
      }),
    )
    renderApp('/servers/101/activity')
    // The lazy page can take seconds on a loaded machine.
    const list = await screen.findByRole('list', { name: 'Activity' }, { timeout: 12000 })
    expect(asked).toBe('101')
    const rows = within(list).getAllByRole('listitem')
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Shut down'),
      expect.stringContaining('Started (failed) · The server is busy.'),
      expect.stringContaining('Reinstall started · Ubuntu 24.04 LTS, hostname web-1'),
      expect.stringContaining('Installation finished · web-1 finished installing.'),
    ])
    // No empty separators for entries without an address, and no target repeated on the server's own page.
    for (const r of rows) {
      expect(r.textContent).not.toMatch(/·\s*·|·\s*$/)
      expect(r.textContent).not.toContain('server:101')
    }
    expect(rows[0].textContent).not.toContain('template')
  })
})
