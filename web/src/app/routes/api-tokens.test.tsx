import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('API tokens', () => {
  it('creates a token, shows it once, and revokes one', async () => {
    server.use(http.get('/api/account/mfa', () => apiError(403, 'mfa_reauth', 'Confirm your password.')))
    const { user } = renderApp('/account/security')
    const list = await screen.findByRole('list', { name: 'API tokens' })
    expect(within(list).getByText('ci')).toBeInTheDocument()

    const form = screen.getByRole('form', { name: 'New API token' })
    await user.click(within(form).getByRole('button', { name: 'Create token' }))
    expect(within(form).getByText('Name the token, e.g. after the script that uses it.')).toBeInTheDocument()

    await user.type(within(form).getByLabelText('Token name'), 'deploy')
    await user.selectOptions(within(form).getByLabelText('Scope'), 'power')
    await user.click(within(form).getByRole('button', { name: 'Create token' }))
    expect(await screen.findByLabelText('API token')).toHaveTextContent('vfp_secretsecretsecret')
    expect(await within(list).findByText('deploy')).toBeInTheDocument()
    expect(db.tokens[0]).toMatchObject({ name: 'deploy', scope: 'power' })

    await user.click(within(list).getByRole('button', { name: 'Revoke token ci' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Revoke ci?' })
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    await waitFor(() => expect(within(list).queryByText('ci')).not.toBeInTheDocument())
    expect(db.tokens.map((t) => t.id)).toEqual(['tok_2'])
  })
})
