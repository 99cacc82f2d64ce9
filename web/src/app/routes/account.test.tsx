import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { renderApp, screen } from '@/testing/test-utils'

describe('account', () => {
  it('checks an SSH key before adding it', async () => {
    const { user } = renderApp('/account/ssh-keys')
    await user.click(await screen.findByRole('button', { name: 'Add SSH key' }))
    const dialog = await screen.findByRole('dialog', { name: 'Add an SSH key' })
    await user.type(within(dialog).getByLabelText('Name'), 'desktop')
    await user.type(within(dialog).getByLabelText('Public key'), '-----BEGIN OPENSSH PRIVATE KEY-----')
    await user.click(within(dialog).getByRole('button', { name: 'Add key' }))
    expect(within(dialog).getByText(/That is a private key/)).toBeInTheDocument()

    await user.clear(within(dialog).getByLabelText('Public key'))
    await user.type(within(dialog).getByLabelText('Public key'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx desktop@home')
    await user.click(within(dialog).getByRole('button', { name: 'Add key' }))
    expect(await screen.findByText('desktop')).toBeInTheDocument()
    expect(db.sshKeys).toHaveLength(2)
  })

  it('marks the current session and asks before revoking another', async () => {
    const { user } = renderApp('/account/sessions')
    const list = await screen.findByRole('list', { name: 'Sessions' })
    expect(within(list).getByText('This device')).toBeInTheDocument()
    expect(within(list).getAllByRole('button', { name: /Revoke session/ })).toHaveLength(1)

    await user.click(within(list).getByRole('button', { name: /Revoke session Safari on iOS/ }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out this device?' })
    await user.click(within(dialog).getByRole('button', { name: 'Sign out device' }))
    await waitFor(() => expect(screen.queryByRole('button', { name: /Revoke session/ })).not.toBeInTheDocument())
    expect(db.sessions).toHaveLength(1)
  })
})
