import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { renderApp, screen } from '@/testing/test-utils'

describe('alerts card', () => {
  it('adds a CPU alert with a webhook, shows only its host, and deletes it', async () => {
    const { user } = renderApp('/servers/101/metrics')
    const form = await screen.findByRole('form', { name: 'Add an alert' }, { timeout: 30_000 })
    expect(await screen.findByText('No alerts yet.')).toBeInTheDocument()
    const above = within(form).getByLabelText('Above (%)')
    await user.clear(above)
    await user.type(above, '150')
    await user.click(within(form).getByRole('button', { name: 'Add alert' }))
    expect(await within(form).findByText('Choose 1 to 100 %.')).toBeInTheDocument()
    await user.clear(above)
    await user.type(above, '85')
    await user.type(within(form).getByLabelText(/webhook URL/), 'https://discord.com/api/webhooks/1/secret')
    await user.click(within(form).getByRole('button', { name: 'Add alert' }))
    const list = await screen.findByRole('list', { name: 'Alerts' })
    expect(within(list).getByText('CPU above 85 % for 10 minutes')).toBeInTheDocument()
    expect(within(list).getByText(/To email \+ discord\.com/)).toBeInTheDocument()
    expect(list).not.toHaveTextContent('secret')
    expect(db.alerts[0]).toMatchObject({ kind: 'cpu', cpuPercent: 85, minutes: 10, email: true })
    await user.click(within(list).getByRole('button', { name: 'Delete alert: CPU above 85 % for 10 minutes' }))
    expect(await screen.findByText('No alerts yet.')).toBeInTheDocument()
  }, 45_000)

  it('needs a channel', async () => {
    const { user } = renderApp('/servers/101/metrics')
    const form = await screen.findByRole('form', { name: 'Add an alert' }, { timeout: 30_000 })
    await user.selectOptions(within(form).getByLabelText('Alert when'), 'stopped')
    await user.click(within(form).getByRole('checkbox'))
    await user.click(within(form).getByRole('button', { name: 'Add alert' }))
    expect(await within(form).findByText('Choose email, a webhook, or both.')).toBeInTheDocument()
    expect(db.alerts).toHaveLength(0)
  }, 45_000)
})
