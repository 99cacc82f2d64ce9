import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import { db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

describe('sign in', () => {
  it('sends a signed-out visitor to sign in and back to where they were', async () => {
    db.me = null
    const { user } = renderApp('/servers')
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(currentPath()).toBe('/login?returnTo=%2Fservers')
    expect(screen.getByRole('link', { name: 'Continue with single sign-on' })).toHaveAttribute('href', '/api/auth/authorize?returnTo=%2Fservers')

    await user.type(screen.getByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    db.me = { ...db.me!, id: 'u_cust', email: 'ada@example.com', name: 'Ada Lovelace', role: 'customer', createdAt: '' }
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('heading', { name: 'Servers', level: 1 })).toBeInTheDocument()
    expect(currentPath()).toBe('/servers')
  })

  it("shows the server's message when the password is wrong", async () => {
    db.me = null
    const { user } = renderApp('/login')
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'wrong')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByText('Wrong email or password.')).toBeInTheDocument()
    expect(currentPath()).toBe('/login')
  })

  it('checks the form before calling the server', async () => {
    db.me = null
    let called = false
    server.use(
      http.post('/api/auth/login', () => {
        called = true
        return apiError(500, 'internal', 'should not be called')
      }),
    )
    const { user } = renderApp('/login')
    await user.click(await screen.findByRole('button', { name: 'Sign in' }))
    expect(screen.getByText('Enter your email address.')).toBeInTheDocument()
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true')
    expect(called).toBe(false)
  })

  it('says why when the session ended mid-visit', async () => {
    db.me = null
    renderApp('/login?returnTo=%2Fservers&reason=expired')
    expect(await screen.findByText('Your session has ended. Sign in again to carry on where you were.')).toBeInTheDocument()
  })
})
