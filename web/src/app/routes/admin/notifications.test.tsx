import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { http } from 'msw'
import { admin, db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('admin failed notifications', () => {
  it('is hidden from customers', async () => {
    renderApp('/admin/notifications')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })

  it('lists failed notifications and retries one', async () => {
    db.me = admin
    const { user } = renderApp('/admin/notifications')
    const list = await screen.findByRole('list', { name: 'Failed notifications' })
    const items = within(list).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(items[0]).toHaveTextContent('Welcome and email verification')
    expect(items[0]).toHaveTextContent('550 5.1.1 mailbox unavailable')
    expect(items[0]).toHaveTextContent('8 attempts')
    expect(within(items[0]!).getByRole('link', { name: 'ada@example.com' })).toHaveAttribute('href', '/admin/users/u_cust')
    expect(items[1]).toHaveTextContent('Staff channel')

    expect(within(screen.getByRole('navigation', { name: 'Admin sections' })).getByRole('link', { name: 'Notifications' })).toHaveAttribute('aria-current', 'page')

    await user.click(within(list).getByRole('button', { name: 'Retry Welcome and email verification to ada@example.com' }))
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1))
    expect(db.retried).toEqual(['welcome#u_cust'])
    expect(screen.getByRole('status')).toHaveTextContent('Welcome and email verification to ada@example.com is queued again.')
  })

  it('drops a notification someone else already retried', async () => {
    db.me = admin
    const { user } = renderApp('/admin/notifications')
    const list = await screen.findByRole('list', { name: 'Failed notifications' })
    db.failedNotifications = db.failedNotifications.filter((n) => n.id !== 'welcome#u_cust')
    await user.click(within(list).getByRole('button', { name: /Retry Welcome/ }))
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('was already queued again.'))
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1))
    expect(db.retried).toEqual([])
  })

  it('shows why a retry failed', async () => {
    server.use(http.post('/api/admin/notifications/:id/retry', () => apiError(500, 'internal', 'internal error')))
    db.me = admin
    const { user } = renderApp('/admin/notifications')
    const list = await screen.findByRole('list', { name: 'Failed notifications' })
    await user.click(within(list).getByRole('button', { name: /Retry Welcome/ }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent("Couldn't retry")
    expect(alert).toHaveTextContent('req-test')
    expect(within(list).getAllByRole('listitem')).toHaveLength(2)
  })

  it('says so when nothing failed', async () => {
    db.me = admin
    db.failedNotifications = []
    renderApp('/admin/notifications')
    expect(await screen.findByText('No failed notifications')).toBeInTheDocument()
  })
})
