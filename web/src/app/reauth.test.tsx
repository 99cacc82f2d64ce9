import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

describe('an expired session', () => {
  it('opens a sign-in dialog over the page and keeps what was typed', async () => {
    server.use(http.post('/api/servers', () => HttpResponse.json({ error: { code: 'unauthorized', message: 'Sign in again.' } }, { status: 401 })))
    const { user } = renderApp('/deploy')
    expect(await screen.findByRole('radio', { name: 'Ubuntu 24.04 LTS Minimal' }, { timeout: 25000 })).toBeChecked()
    await user.type(screen.getByLabelText('Hostname'), 'kept-1.example.com')
    await user.click(screen.getByRole('button', { name: 'Deploy server' }))

    const dialog = await screen.findByRole('dialog', { name: 'Sign in again' })
    expect(currentPath()).toBe('/deploy')
    await user.type(within(dialog).getByLabelText('Email'), 'cust@example.com')
    await user.type(within(dialog).getByLabelText('Password', { exact: true }), 'correct horse')
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }))

    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Sign in again' })).not.toBeInTheDocument())
    expect(currentPath()).toBe('/deploy')
    expect(screen.getByLabelText('Hostname')).toHaveValue('kept-1.example.com')
  }, 60000)
})
