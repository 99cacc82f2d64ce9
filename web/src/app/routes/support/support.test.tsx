import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { admin, db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

describe('support tickets (customer)', () => {
  it('lists my tickets with the unread marker and the nav badge', async () => {
    renderApp('/support')
    // The file's first render transforms the lazy page chunks: allow for a slow machine.
    const list = await screen.findByRole('list', { name: 'Tickets' }, { timeout: 30_000 })
    const item = within(list).getByRole('link', { name: /Disk full on web-1/ })
    expect(item).toHaveTextContent('(unread)')
    expect(item).toHaveTextContent('Server web-1')
    const nav = screen.getAllByRole('navigation', { name: 'Main' })[0]!
    await waitFor(() => expect(within(nav).getByRole('link', { name: /Support/ })).toHaveTextContent('1 unread'))
  }, 40_000)

  it('shows the thread as safe Markdown without internal notes, and closes it', async () => {
    const { user } = renderApp('/support/t_1')
    const thread = await screen.findByRole('list', { name: 'Messages' })
    expect(within(thread).getAllByRole('listitem')).toHaveLength(2)
    expect(thread).not.toHaveTextContent('Legacy plan.')
    // Raw HTML is text, never markup.
    expect(thread).toHaveTextContent('<script>alert(1)</script>')
    expect(thread.querySelector('script')).toBeNull()
    expect(within(thread).getByText('full').tagName).toBe('STRONG')
    expect(within(thread).getByRole('link', { name: 'the guide' })).toHaveAttribute('href', 'https://example.com/resize')

    await user.click(screen.getByRole('button', { name: 'Close ticket' }))
    expect(await screen.findByRole('button', { name: 'Reopen ticket' })).toBeInTheDocument()
    expect(screen.getByText('This ticket is closed. Reopen it to write again.')).toBeInTheDocument()
    expect(db.tickets[0]!.status).toBe('closed')
  })

  it('opens a ticket about one of my servers', async () => {
    const { user } = renderApp('/support')
    await user.click(await screen.findByRole('button', { name: 'New ticket' }))
    const form = screen.getByRole('form', { name: 'New ticket' })
    await user.click(within(form).getByRole('button', { name: 'Open ticket' }))
    expect(within(form).getByText('Say what it is about.')).toBeInTheDocument()
    await user.type(within(form).getByLabelText('Subject'), 'Cannot SSH')
    await user.selectOptions(within(form).getByLabelText('Server'), 'web-1')
    await user.type(within(form).getByLabelText('Message'), 'Connection refused')
    await user.click(within(form).getByRole('button', { name: 'Open ticket' }))
    await waitFor(() => expect(currentPath()).toBe('/support/t_2'))
    expect(await screen.findByRole('heading', { name: 'Cannot SSH' })).toBeInTheDocument()
    expect(db.tickets[0]!.serverName).toBe('web-1')
  })

  it('says why a ticket could not be opened', async () => {
    server.use(http.post('/api/tickets', () => apiError(429, 'rate_limited', 'Too many attempts. Try again in 30 minutes.')))
    const { user } = renderApp('/support')
    await user.click(await screen.findByRole('button', { name: 'New ticket' }))
    const form = screen.getByRole('form', { name: 'New ticket' })
    await user.type(within(form).getByLabelText('Subject'), 'x')
    await user.type(within(form).getByLabelText('Message'), 'y')
    await user.click(within(form).getByRole('button', { name: 'Open ticket' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 30 minutes.')
  })
})

describe('support tickets (staff)', () => {
  it('is hidden from customers', async () => {
    renderApp('/admin/tickets')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })

  it('lists the queue and canned replies', async () => {
    db.me = admin
    renderApp('/admin/tickets')
    const list = await screen.findByRole('list', { name: 'Tickets' })
    expect(within(list).getByRole('link', { name: /Disk full on web-1/ })).toHaveAttribute('href', '/admin/tickets/t_1')
    expect(await screen.findByRole('list', { name: 'Canned replies' })).toHaveTextContent('Disk resize')
    const nav = screen.getByRole('navigation', { name: 'Admin sections' })
    expect(within(nav).getByRole('link', { name: 'Tickets' })).toHaveAttribute('aria-current', 'page')
  })

  it('drafts with AI into the editor, then sends the edited reply', async () => {
    db.me = admin
    let sent: unknown
    server.use(
      http.post('/api/admin/tickets/:id/messages', async ({ request }) => {
        sent = await request.json()
        return HttpResponse.json({ ticket: db.tickets[0], messages: [] }, { status: 201 })
      }),
    )
    const { user } = renderApp('/admin/tickets/t_1')
    const thread = await screen.findByRole('list', { name: 'Messages' })
    expect(thread).toHaveTextContent('Internal note')
    expect(thread).toHaveTextContent('Legacy plan.')
    expect(await screen.findByText('$42.50')).toBeInTheDocument()
    expect(screen.getByRole('region', { name: 'Servers' })).toHaveTextContent('web-1running')

    await user.click(screen.getByRole('button', { name: 'Draft with AI' }))
    const box = screen.getByLabelText('Reply')
    await waitFor(() => expect(box).toHaveValue('Hello Ada,\n\nWe will grow the disk today.'))
    expect(sent).toBeUndefined()
    await user.type(box, ' Thanks!')
    await user.click(screen.getByRole('button', { name: 'Send reply' }))
    await waitFor(() => expect(sent).toEqual({ body: 'Hello Ada,\n\nWe will grow the disk today. Thanks!', internal: false }))
  })

  it('keeps the editor usable when the AI fails', async () => {
    db.me = admin
    server.use(http.post('/api/admin/tickets/:id/draft', () => apiError(429, 'rate_limited', 'The AI service is busy. Try again in 30 seconds, or write the reply yourself.')))
    const { user } = renderApp('/admin/tickets/t_1')
    await user.click(await screen.findByRole('button', { name: 'Draft with AI' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('AI draft failed: The AI service is busy.')
    const box = screen.getByLabelText('Reply')
    await user.type(box, 'Written by hand')
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeEnabled()
  })
})
