import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { http } from 'msw'
import { apiError } from '@/testing/mocks/handlers'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('account email', () => {
  it('turns off updates and receipts while essential mail stays locked on', async () => {
    const { user } = renderApp('/account/notifications')
    const optional = await screen.findByRole('checkbox', { name: 'Updates and receipts' })
    expect(optional).toBeChecked()
    expect(optional).toHaveAccessibleDescription(/Top-up receipts.*unsubscribe/)

    const locked = within(screen.getByRole('list', { name: 'Always sent' })).getAllByRole('checkbox')
    expect(locked.map((c) => c.getAttribute('aria-checked'))).toEqual(['true', 'true', 'true', 'true', 'true'])
    for (const c of locked) {
      expect(c).toBeDisabled()
      expect(c).toHaveAccessibleDescription(/stay on whatever you choose/)
    }
    expect(screen.getByRole('checkbox', { name: 'Low balance' })).toBeChecked()
    expect(screen.getByRole('checkbox', { name: 'Statements' })).toBeChecked()

    await user.click(optional)
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Updates and receipts' })).not.toBeChecked())
    expect(db.notificationPrefs.nonEssentialOff).toBe(true)
    expect(screen.getByRole('status')).toHaveTextContent(/Last changed/)
    for (const c of within(screen.getByRole('list', { name: 'Always sent' })).getAllByRole('checkbox')) expect(c).toBeChecked()

    await user.click(screen.getByRole('checkbox', { name: 'Updates and receipts' }))
    await waitFor(() => expect(db.notificationPrefs.nonEssentialOff).toBe(false))
    expect(screen.getByRole('checkbox', { name: 'Updates and receipts' })).toBeChecked()
  })

  it('keeps the saved preference when saving fails', async () => {
    server.use(http.put('/api/account/notifications', () => apiError(503, 'unavailable', 'Try again in a minute.')))
    const { user } = renderApp('/account/notifications')
    await user.click(await screen.findByRole('checkbox', { name: 'Updates and receipts' }))
    expect(await screen.findByText('Try again in a minute.')).toBeInTheDocument()
    expect(screen.getByRole('checkbox', { name: 'Updates and receipts' })).toBeChecked()
    expect(db.notificationPrefs.nonEssentialOff).toBe(false)
  })

  it('lists mail with its state, newest first, a page at a time', async () => {
    const { user } = renderApp('/account/notifications')
    const list = await screen.findByRole('list', { name: 'Mail history' })
    let items = within(list).getAllByRole('listitem')
    expect(items).toHaveLength(20)
    // Not yet rendered: its kind stands in for the subject.
    expect(items[0]).toHaveTextContent('Top-up receipt')
    expect(items[0]).toHaveTextContent('Queued')
    expect(items[1]).toHaveTextContent('Your balance runs out in 3 days')
    expect(items[1]).toHaveTextContent('Failed')
    expect(items[2]).toHaveTextContent('Not sent')
    expect(items[3]).toHaveTextContent('New sign-in to your account (3)')
    expect(items[3]).toHaveTextContent('Sent')
    expect(within(items[3]!).getByText(/2026/).tagName).toBe('TIME')

    await user.click(screen.getByRole('button', { name: 'Load older mail' }))
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(25))
    items = within(list).getAllByRole('listitem')
    expect(items[24]).toHaveTextContent('New sign-in to your account (24)')
    expect(screen.queryByRole('button', { name: 'Load older mail' })).not.toBeInTheDocument()
  })

  it('says so when there is no mail yet', async () => {
    db.mail = []
    renderApp('/account/notifications')
    expect(await screen.findByText('No mail yet')).toBeInTheDocument()
  })
})
