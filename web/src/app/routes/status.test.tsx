import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { renderApp, screen } from '@/testing/test-utils'
import type { ComponentState, PublicStatus } from '@/types/api'

function setStatus(status: PublicStatus['status'], states: Partial<Record<string, ComponentState>>, message: PublicStatus['message'] = null) {
  db.status = {
    ...db.status,
    status,
    message,
    components: db.status.components.map((c) => ({ ...c, state: states[c.name] ?? 'operational' })),
  }
}

describe('status page', () => {
  it('renders without signing in, all operational', async () => {
    db.me = null
    renderApp('/status')
    expect(await screen.findByRole('heading', { name: 'Service status', level: 1 })).toBeInTheDocument()
    expect(await screen.findByTestId('status-headline')).toHaveTextContent('All systems operational')
    const list = screen.getByRole('list', { name: 'Components' })
    expect(within(list).getAllByText('Operational')).toHaveLength(5)
    expect(screen.queryByTestId('status-message')).not.toBeInTheDocument()
  })

  it.each([
    ['degraded', { billing: 'degraded' }, 'Some systems are degraded', 'Billing', 'Degraded'],
    ['outage', { payments: 'outage' }, 'Service outage', 'Payments', 'Outage'],
    ['operational', { signIn: 'unknown' }, 'All systems operational', 'Sign-in', 'Unknown'],
  ] as const)('shows %s with the component state', async (status, states, headline, label, text) => {
    setStatus(status, states)
    renderApp('/status')
    expect(await screen.findByTestId('status-headline')).toHaveTextContent(headline)
    const item = within(screen.getByRole('list', { name: 'Components' })).getByText(label).closest('li')!
    expect(within(item).getByText(text)).toBeInTheDocument()
  })

  it('shows the maintenance message and the external status page', async () => {
    setStatus('maintenance', {}, { kind: 'maintenance', text: 'Hypervisor upgrades tonight', updatedAt: '2026-03-01T12:00:00Z' })
    db.status.statusPageUrl = 'https://status.example.com'
    renderApp('/status')
    expect(await screen.findByTestId('status-headline')).toHaveTextContent('Scheduled maintenance')
    expect(screen.getByTestId('status-message')).toHaveTextContent('Hypervisor upgrades tonight')
    expect(screen.getByRole('link', { name: 'our status page' })).toHaveAttribute('href', 'https://status.example.com')
  })
})

describe('status banner', () => {
  it('is hidden while all is well', async () => {
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument()
    expect(screen.queryByTestId('status-banner')).not.toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Service status' })).toHaveAttribute('href', '/status')
  })

  it('shows an incident in the signed-in shell', async () => {
    setStatus('degraded', { serverControl: 'degraded' }, { kind: 'incident', text: 'Consoles are slow to open', updatedAt: '2026-03-01T12:00:00Z' })
    db.status.statusPageUrl = 'https://status.example.com'
    renderApp('/')
    const banner = await screen.findByTestId('status-banner')
    expect(banner).toHaveTextContent('Service incident: Consoles are slow to open')
    expect(within(banner).getByRole('link', { name: 'Status' })).toHaveAttribute('href', '/status')
    expect(await screen.findByRole('link', { name: 'Uptime history' })).toHaveAttribute('href', 'https://status.example.com')
  })
})
