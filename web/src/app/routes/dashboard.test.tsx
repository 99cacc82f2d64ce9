import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('dashboard', () => {
  it('shows the balance and live servers', async () => {
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument()
    const list = await screen.findByRole('list', { name: 'Your servers' })
    expect(within(list).getByRole('link', { name: /web-1/ })).toHaveAttribute('href', '/servers/101')
    expect(within(list).getByRole('link', { name: /db-1/ })).toBeInTheDocument()
    expect(within(list).getByText('Running')).toBeInTheDocument()
    expect(within(list).getByText('Stopped')).toBeInTheDocument()
    expect(await screen.findByTestId('balance-amount')).toHaveTextContent('$25.00')
    expect(screen.queryByTestId('low-balance-banner')).not.toBeInTheDocument()
    // 833 hours at the mock's burn rate.
    expect(await screen.findByTestId('balance-runway')).toHaveTextContent('≈ 34 days left at the current rate')
  })

  it('warns when the balance is low', async () => {
    db.balance = { ...db.balance, balanceMinor: 40, hoursRemaining: 13, low: true }
    renderApp('/')
    const banner = await screen.findByTestId('low-balance-banner', {}, { timeout: 20_000 })
    expect(within(banner).getByText('Your balance is running low')).toBeInTheDocument()
    expect(within(banner).getByRole('button', { name: 'Add funds' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: /Balance \$0\.40, low/ })).toBeInTheDocument()
  })

  it('says since when servers are suspended and when they will be deleted', async () => {
    db.balance = { ...db.balance, balanceMinor: -250, low: true, suspendedAt: '2026-11-20T10:00:00Z', deleteAfter: '2026-11-29T10:00:00Z' }
    renderApp('/')
    const banner = await screen.findByTestId('suspended-banner')
    expect(within(banner).getByText('Your servers are suspended')).toBeInTheDocument()
    expect(within(banner).getByText(/or they will be deleted/)).toBeInTheDocument()
    expect(within(banner).getByRole('button', { name: 'Add funds' })).toBeInTheDocument()
    expect(screen.queryByTestId('low-balance-banner')).not.toBeInTheDocument()
  })

  it('shows an empty state with a deploy link when there are no servers', async () => {
    db.servers = []
    renderApp('/')
    expect(await screen.findByText('No servers yet')).toBeInTheDocument()
    for (const link of screen.getAllByRole('link', { name: 'Deploy a server' })) expect(link).toHaveAttribute('href', '/deploy')
    expect(await screen.findByTestId('balance-amount')).toBeInTheDocument()
    expect(screen.queryByTestId('balance-runway')).not.toBeInTheDocument()
  })

  it('walks a brand-new customer through a first-run checklist, without "Welcome back"', async () => {
    db.me = { ...db.me!, createdAt: new Date().toISOString() }
    db.servers = []
    db.sshKeys = []
    db.balance = { ...db.balance, balanceMinor: 0, low: true }
    renderApp('/')
    const steps = await screen.findByRole('list', { name: 'Getting started' })
    expect(within(steps).getByText('Add funds to your balance')).toBeInTheDocument()
    expect(within(steps).getByRole('button', { name: 'Add funds' })).toBeInTheDocument()
    expect(within(steps).getByRole('link', { name: 'Add a key' })).toHaveAttribute('href', '/account/ssh-keys')
    expect(within(steps).getByRole('link', { name: 'Deploy' })).toHaveAttribute('href', '/deploy')
    expect(screen.getByText(/^Welcome, /)).toBeInTheDocument()
    expect(screen.queryByText(/Welcome back/)).not.toBeInTheDocument()
  })

  it('welcomes back a returning customer and shows no checklist once a server exists', async () => {
    renderApp('/')
    expect(await screen.findByRole('list', { name: 'Your servers' })).toBeInTheDocument()
    expect(screen.getByText(/^Welcome back, /)).toBeInTheDocument()
    expect(screen.queryByRole('list', { name: 'Getting started' })).not.toBeInTheDocument()
  })

  it('keeps the balance chip with an error state when the balance cannot be read, and retries on tap', async () => {
    let calls = 0
    server.use(
      http.get('/api/billing/balance', () => {
        calls++
        return calls < 10 ? new HttpResponse('<html>502 Bad Gateway</html>', { status: 502 }) : HttpResponse.json(db.balance)
      }),
    )
    const { user } = renderApp('/')
    const chip = (await screen.findByText('Balance unavailable', {}, { timeout: 20_000 })).closest('button')!
    expect(chip).toHaveTextContent('Balance unavailable. Try again')
    calls = 10
    await user.click(chip)
    expect(await screen.findByRole('link', { name: /^Balance \$25\.00/ })).toBeInTheDocument()
  })
})
