import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { admin, db } from '@/testing/mocks/db'
import { renderApp, screen } from '@/testing/test-utils'

describe('admin', () => {
  it('is hidden from customers', async () => {
    renderApp('/admin')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    const nav = screen.getAllByRole('navigation', { name: 'Main' })[0]
    expect(within(nav).queryByRole('link', { name: 'Users' })).not.toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: 'Servers' })).toBeInTheDocument()
  })

  it('lists users for admins', async () => {
    db.me = admin
    renderApp('/admin')
    const table = await screen.findByRole('table', { name: 'Users' })
    expect(within(table).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/admin/users/u_cust')
    const nav = screen.getAllByRole('navigation', { name: 'Main' })[0]
    expect(within(nav).getByRole('link', { name: 'Users' })).toHaveAttribute('aria-current', 'page')
  })
})

describe('admin status message', () => {
  it('posts an incident that the banner shows, then clears it', async () => {
    db.me = admin
    const { user } = renderApp('/admin/status')
    const form = await screen.findByRole('form', { name: 'Status message' })
    await user.click(within(form).getByRole('button', { name: 'Post message' }))
    expect(await within(form).findByText('Write the message.')).toBeInTheDocument()
    await user.type(within(form).getByLabelText('Message'), 'Consoles are slow to open')
    await user.click(within(form).getByRole('button', { name: 'Post message' }))
    expect(await screen.findByTestId('status-banner')).toHaveTextContent('Service incident: Consoles are slow to open')
    await user.click(await within(form).findByRole('button', { name: 'Clear message' }))
    await waitFor(() => expect(screen.queryByTestId('status-banner')).not.toBeInTheDocument())
  })
})
