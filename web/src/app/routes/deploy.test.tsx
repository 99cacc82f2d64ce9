import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

async function fillWizard(user: UserEvent) {
  await user.click(await screen.findByRole('radio', { name: 'London' }))
  expect(screen.getByRole('radio', { name: 'Frankfurt' })).toBeDisabled()
  await user.click(screen.getByRole('button', { name: /Continue/ }))

  expect(await screen.findByRole('radio', { name: 'Legacy 1GB' })).toBeDisabled()
  await user.click(screen.getByRole('radio', { name: 'Standard 2GB' }))
  await user.click(screen.getByRole('button', { name: /Continue/ }))

  await user.click(await screen.findByRole('radio', { name: 'Ubuntu 24.04 LTS Minimal' }))
  await user.click(screen.getByRole('button', { name: /Continue/ }))

  await user.type(screen.getByLabelText('Hostname'), 'api-1.example.com')
  await user.click(screen.getByRole('checkbox', { name: /laptop/ }))
  await user.click(screen.getByRole('button', { name: /Continue/ }))
  expect(await screen.findByRole('heading', { name: 'Review your server' })).toBeInTheDocument()
  expect(screen.getByTestId('cost-hourly')).toHaveTextContent('$0.01')
}

describe('deploy', () => {
  it('orders a server with an idempotency key and shows the root password once', async () => {
    let sent: Record<string, unknown> | undefined
    let key: string | null = null
    const original = db.servers.length
    server.use(
      http.post('/api/servers', async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>
        key = request.headers.get('Idempotency-Key')
        return HttpResponse.json(
          {
            server: { ...db.servers[0], id: 201, name: 'api-1', hostname: 'api-1.example.com', provisioning: 'building' },
            rootPassword: 'F1rst-R00t-Pa55',
          },
          { status: 201 },
        )
      }),
    )
    const { user } = renderApp('/deploy')
    await fillWizard(user)
    await user.click(screen.getByRole('button', { name: 'Deploy server' }))

    expect(await screen.findByText('api-1 is on its way')).toBeInTheDocument()
    expect(screen.getByLabelText('Root password')).toHaveTextContent('F1rst-R00t-Pa55')
    expect(screen.getByRole('link', { name: /Go to api-1/ })).toHaveAttribute('href', '/servers/201')
    expect(sent).toEqual({ locationId: 1, packageId: 2, templateId: 51, hostname: 'api-1.example.com', name: 'api-1', sshKeyIds: [1] })
    expect(key).toMatch(/^[0-9a-f-]{36}$/)
    expect(db.servers.length).toBe(original)
  })

  it('opens the top-up dialog when the balance is too low', async () => {
    db.balance = { ...db.balance, balanceMinor: 10, low: true }
    const { user } = renderApp('/deploy')
    await fillWizard(user)
    await user.click(screen.getByRole('button', { name: 'Deploy server' }))

    const dialog = await screen.findByRole('dialog', { name: 'Add funds' })
    expect(within(dialog).getByText(/Your balance must cover 24 hours of this plan/)).toBeInTheDocument()
    expect(within(dialog).getByRole('button', { name: 'Continue to PayPal' })).toBeInTheDocument()
    expect(screen.queryByText(/is on its way/)).not.toBeInTheDocument()
  })
})
