import { describe, expect, it } from 'vitest'
import { waitFor, within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { renderApp, screen } from '@/testing/test-utils'

describe('account data and erase', () => {
  it('offers the export as a download', async () => {
    renderApp('/account')
    const link = await screen.findByRole('link', { name: /Download my data/ })
    expect(link).toHaveAttribute('href', '/api/account/export')
    expect(link).toHaveAttribute('download')
  })

  it('deletes only after the email is typed, and shows why it is refused', async () => {
    const { user } = renderApp('/account')
    const form = await screen.findByRole('form', { name: 'Delete account' })
    const button = within(form).getByRole('button', { name: 'Delete account' })
    expect(button).toBeDisabled()
    await user.type(within(form).getByLabelText('Type your email to confirm'), 'someone@example.com')
    expect(button).toBeDisabled()

    await user.clear(within(form).getByLabelText('Type your email to confirm'))
    await user.type(within(form).getByLabelText('Type your email to confirm'), 'ADA@example.com')
    await user.click(button)
    expect(await within(form).findByText(/Delete your servers first/)).toBeInTheDocument()
    expect(db.me).not.toBeNull()

    db.servers = []
    await user.click(button)
    await waitFor(() => expect(db.me).toBeNull())
    await waitFor(() => expect(window.location.pathname).toBe('/login'))
  })
})
