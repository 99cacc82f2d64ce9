import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'

describe('email verification banner', () => {
  it('resends the link and clears once the email is verified', async () => {
    db.me = { ...db.me!, emailVerified: false }
    let resent = 0
    server.use(
      http.post('/api/account/email-verification', () => {
        resent++
        return HttpResponse.json({ message: 'We sent a new verification link to ada@example.com.' }, { status: 202 })
      }),
      http.post('/api/account/email-verification/check', () => {
        db.me = { ...db.me!, emailVerified: true }
        return HttpResponse.json({ emailVerified: true })
      }),
    )
    const { user } = renderApp('/')
    expect(await screen.findByText('Verify your email address')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Resend verification email' }))
    expect(await screen.findByText('We sent a new verification link to ada@example.com.')).toBeInTheDocument()
    expect(resent).toBe(1)
    await user.click(screen.getByRole('button', { name: "I've verified my email" }))
    await screen.findByText('Email verified')
    expect(screen.queryByText('Verify your email address')).not.toBeInTheDocument()
  })

  it('is not shown to a verified customer', async () => {
    db.me = { ...db.me!, emailVerified: true }
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument()
    expect(screen.queryByText('Verify your email address')).not.toBeInTheDocument()
  })
})
