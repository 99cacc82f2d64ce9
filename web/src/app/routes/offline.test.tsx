import { http, HttpResponse } from 'msw'
import { act } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, within } from '@testing-library/react'
import { ErrorBoundary, lazyRoute } from '@/components/error-boundary'
import { api, isApiError } from '@/lib/api-client'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

function goOffline(offline: boolean) {
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(!offline)
  act(() => {
    window.dispatchEvent(new Event(offline ? 'offline' : 'online'))
  })
}

afterEach(() => vi.restoreAllMocks())

describe('offline', () => {
  it('refuses a power action at once with a message, shows the banner, and never sends it later', async () => {
    let sent = 0
    server.use(
      http.post('/api/servers/:id/power', () => {
        sent++
        return HttpResponse.json({ task: { id: 't-1', action: 'poweroff', status: 'pending', progress: 0, startedAt: '', finishedAt: null } }, { status: 202 })
      }),
    )
    const { user } = renderApp('/servers/101/power')
    await user.click(await screen.findByRole('button', { name: 'Power off' }, { timeout: 20_000 }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Power off web-1?' })
    goOffline(true)
    expect(await screen.findByText(/You're offline\. Actions that change your servers/)).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Power off server' }))
    expect(await screen.findByText("You're offline, so nothing was sent. Reconnect and try again.")).toBeInTheDocument()
    goOffline(false)
    await new Promise((r) => setTimeout(r, 50))
    expect(sent).toBe(0)
    expect(screen.queryByText(/You're offline\. Actions that change/)).not.toBeInTheDocument()
  })

  it('turns a proxy HTML 502 page into a human message', async () => {
    server.use(http.get('/api/proxy-test', () => new HttpResponse('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } })))
    const err = await api.get('/api/proxy-test').catch((e: unknown) => e)
    expect(isApiError(err) && err.code).toBe('unavailable')
    expect((err as Error).message).toBe("The panel can't be reached right now. Please try again in a minute.")
  })

  it('says "connection lost" when a page cannot be downloaded, and tries again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    let fail = true
    const Page = lazyRoute(async () => {
      if (fail) throw new TypeError('Failed to fetch dynamically imported module: /assets/page.js')
      return { default: () => <h1>Loaded page</h1> }
    })
    const { Suspense } = await import('react')
    render(
      <ErrorBoundary>
        <Suspense fallback={null}>
          <Page />
        </Suspense>
      </ErrorBoundary>,
    )
    expect(await screen.findByRole('heading', { name: 'Connection lost' })).toBeInTheDocument()
    fail = false
    await act(async () => screen.getByRole('button', { name: 'Try again' }).click())
    expect(await screen.findByRole('heading', { name: 'Loaded page' })).toBeInTheDocument()
  })
})
