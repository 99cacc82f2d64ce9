import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { admin, db } from '@/testing/mocks/db'
import { renderApp, screen } from '@/testing/test-utils'

describe('admin', () => {
  it('is hidden from customers', async () => {
    renderApp('/admin/users')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    const nav = screen.getAllByRole('navigation', { name: 'Main' })[0]
    expect(within(nav).queryByRole('link', { name: 'Admin console' })).not.toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: 'Servers' })).toBeInTheDocument()
  })

  it('has its own navigation', async () => {
    db.me = admin
    renderApp('/admin')
    const sections = await screen.findByRole('navigation', { name: 'Admin sections' })
    expect(within(sections).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page')
    for (const name of ['Users', 'Servers', 'Payments', 'Tickets', 'Promo codes', 'Settings', 'Audit'])
      expect(within(sections).getByRole('link', { name })).toBeInTheDocument()
    const nav = screen.getAllByRole('navigation', { name: 'Main' })[0]
    expect(within(nav).getByRole('link', { name: 'Admin console' })).toHaveAttribute('aria-current', 'page')
  })

  it('lists users for admins', async () => {
    db.me = admin
    renderApp('/admin/users')
    const table = await screen.findByRole('table', { name: 'Users' })
    expect(within(table).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/admin/users/u_cust')
    const sections = screen.getByRole('navigation', { name: 'Admin sections' })
    expect(within(sections).getByRole('link', { name: 'Users' })).toHaveAttribute('aria-current', 'page')
  })

  it('searches on the server, focused with "/"', async () => {
    db.me = admin
    const { user } = renderApp('/admin/users')
    await screen.findByRole('table', { name: 'Users' })
    await user.keyboard('/')
    expect(screen.getByLabelText('Search')).toHaveFocus()
    await user.keyboard('bob')
    await waitFor(() => expect(db.userQueries.some((q) => q.includes('q=bob'))).toBe(true))
    const table = screen.getByRole('table', { name: 'Users' })
    await waitFor(() => expect(within(table).queryByRole('link', { name: 'Ada Lovelace' })).not.toBeInTheDocument())
    expect(within(table).getByRole('link', { name: 'Bob Stone' })).toBeInTheDocument()
    await user.selectOptions(screen.getByLabelText('Access'), 'true')
    await waitFor(() => expect(db.userQueries.at(-1)).toContain('blocked=true'))
  })

  it('blocks a user after a confirmation, and the audit log shows it', async () => {
    db.me = admin
    const { user } = renderApp('/admin/users/u_cust')
    await user.click(await screen.findByRole('button', { name: 'Block' }, { timeout: 15000 }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Block Ada Lovelace?' })
    await user.click(within(dialog).getByLabelText('Also suspend their servers'))
    await user.click(within(dialog).getByRole('button', { name: 'Block' }))
    expect(await screen.findByText('Ada Lovelace is blocked')).toBeInTheDocument()
    expect(await screen.findByRole('button', { name: 'Unblock' })).toBeInTheDocument()
    const activity = await screen.findByRole('table', { name: 'Activity' })
    expect(within(activity).getByText('admin.user.block')).toBeInTheDocument()

    await user.click(within(screen.getByRole('navigation', { name: 'Admin sections' })).getByRole('link', { name: 'Audit' }))
    await user.type(await screen.findByLabelText('Action', {}, { timeout: 15000 }), 'admin.')
    await user.click(screen.getByRole('button', { name: 'Filter' }))
    const log = await screen.findByRole('table', { name: 'Audit log' }, { timeout: 15000 })
    await waitFor(() => expect(within(log).queryByText('auth.signin')).not.toBeInTheDocument())
    expect(within(log).getByText('{"blocked":false} → {"blocked":true}')).toBeInTheDocument()
  }, 60000)

  it('transfers a server to another customer', async () => {
    db.me = admin
    const { user } = renderApp('/admin/servers')
    const table = await screen.findByRole('table', { name: 'Servers' }, { timeout: 15000 })
    await user.click(within(table).getByRole('button', { name: 'Actions for ada-web' }))
    await user.click(await screen.findByRole('menuitem', { name: 'Transfer…' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Transfer ada-web' })
    expect(within(dialog).getByRole('button', { name: 'Transfer' })).toBeDisabled()
    await user.type(within(dialog).getByLabelText('New owner'), 'bob')
    await user.click(await within(dialog).findByRole('option', { name: /Bob Stone/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Transfer to bob@example.com' }))
    expect(await screen.findByText('ada-web now belongs to bob@example.com')).toBeInTheDocument()
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Servers' })).getByRole('link', { name: 'bob@example.com' })).toBeInTheDocument())
  }, 60000)
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
