import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('server page', () => {
  it('shows addresses with copy buttons on the overview', async () => {
    renderApp('/servers/101')
    expect(await screen.findByRole('heading', { name: 'web-1', level: 1 })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Copy IPv4 address 203.0.113.101' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Copy IPv6 address 2001:db8::101' })).toBeInTheDocument()
  })

  it('asks before a power action, then polls the task to the end', async () => {
    let powerBody: unknown
    let csrf: string | null = null
    let polls = 0
    server.use(
      http.post('/api/servers/:id/power', async ({ request }) => {
        powerBody = await request.json()
        csrf = request.headers.get('X-CSRF-Token')
        return HttpResponse.json({ task: { id: 't-9', action: 'restart', status: 'pending', progress: 0, startedAt: '', finishedAt: null } }, { status: 202 })
      }),
      http.get('/api/servers/101/tasks/t-9', () => {
        polls++
        const done = polls >= 3
        return HttpResponse.json({ task: { id: 't-9', action: 'restart', status: done ? 'done' : 'running', progress: done ? 100 : polls * 30, startedAt: '', finishedAt: null } })
      }),
    )
    const { user } = renderApp('/servers/101/power')
    await user.click(await screen.findByRole('button', { name: 'Restart' }))

    const dialog = await screen.findByRole('alertdialog', { name: 'Restart web-1?' })
    expect(powerBody).toBeUndefined()
    await user.click(within(dialog).getByRole('button', { name: 'Restart server' }))

    const progress = await screen.findByTestId('task-progress')
    expect(await within(progress).findByText('Restart complete')).toBeInTheDocument()
    expect(powerBody).toEqual({ action: 'restart' })
    expect(csrf).toBe('csrf-test-token')
    expect(polls).toBeGreaterThanOrEqual(3)
  })

  it('does nothing when the confirmation is cancelled', async () => {
    let called = false
    server.use(
      http.post('/api/servers/:id/power', () => {
        called = true
        return HttpResponse.json({}, { status: 500 })
      }),
    )
    const { user } = renderApp('/servers/101/power')
    await user.click(await screen.findByRole('button', { name: 'Power off' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Power off web-1?' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
    expect(called).toBe(false)
  })

  it('reinstalls only after the server name is typed, then shows the password once', async () => {
    const { user } = renderApp('/servers/101/reinstall')
    await user.click(await screen.findByRole('radio', { name: 'Debian 12 (Bookworm) Minimal' }))
    const submit = screen.getByRole('button', { name: 'Reinstall web-1' })
    expect(submit).toBeDisabled()

    const confirm = screen.getByLabelText(/Type web-1 to confirm/)
    await user.type(confirm, 'web-')
    expect(submit).toBeDisabled()
    await user.type(confirm, '1')
    expect(submit).toBeEnabled()
    await user.click(submit)

    expect(await screen.findByLabelText('Root password')).toHaveTextContent('N3w-R00t-Pa55')
    expect(screen.getByText('Save this password now')).toBeInTheDocument()
  })

  it('shows the build progress of a new server', async () => {
    db.servers[0] = { ...db.servers[0], provisioning: 'building', build: { state: 'queued', progress: 40 } }
    renderApp('/servers/101')
    expect(await screen.findByTestId('build-banner')).toHaveTextContent('40%')
    expect(screen.getAllByTestId('server-status')[0]).toHaveTextContent('Building')
  })

  it('shows one progress during a reinstall, not the build banner as well', async () => {
    db.servers[0] = { ...db.servers[0], provisioning: 'building', build: { state: 'queued', progress: 50 } }
    renderApp('/servers/101/reinstall')
    expect(await screen.findByRole('form', { name: 'Reinstall server' }, { timeout: 25000 })).toBeInTheDocument()
    expect(screen.queryByTestId('build-banner')).not.toBeInTheDocument()
  }, 60000)

  it('says when a server does not exist', async () => {
    renderApp('/servers/999')
    expect(await screen.findByText('Server not found')).toBeInTheDocument()
  })
})

describe('metrics tab', () => {
  it('shows the sampled history on first load and switches ranges', async () => {
    const now = Date.now()
    db.metricsHistory = [0, 1, 2].map((i) => ({
      at: new Date(now - (3 - i) * 15 * 60_000).toISOString(),
      cpuPercent: 40 + i,
      memUsedBytes: 1024 ** 3,
      memTotalBytes: 2 * 1024 ** 3,
      diskReadPerSec: 1000,
      diskWritePerSec: null,
    }))
    const day = 86_400_000
    server.use(
      http.get('/api/servers/:id/traffic', () =>
        HttpResponse.json({
          periods: [
            {
              start: new Date(now - 10 * day).toISOString(),
              end: new Date(now + 20 * day).toISOString(),
              rxBytes: 0,
              txBytes: 0,
              totalBytes: 400 * 1024 ** 3,
              limitGb: 1000,
            },
          ],
        }),
      ),
    )
    const { user } = renderApp('/servers/101/metrics')
    // The metrics panel is a lazy chunk with Recharts: allow for a slow, loaded machine.
    expect(await screen.findByTestId('traffic-projection', {}, { timeout: 14_000 })).toHaveTextContent(/at this rate about 1\.3 TB by then — over the 1 TB limit/)
    const group = await screen.findByRole('group', { name: 'Metrics range' })
    expect(within(group).getByRole('button', { name: '24 hours' })).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(screen.getByTestId('metrics-history-count')).toHaveTextContent('3 history points over the last 24 hours'))
    db.metricsHistory = db.metricsHistory.slice(0, 1)
    await user.click(within(group).getByRole('button', { name: '7 days' }))
    expect(within(group).getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(screen.getByTestId('metrics-history-count')).toHaveTextContent('1 history points over the last 7 days'))
  })
})
