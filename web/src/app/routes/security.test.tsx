import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { db } from '@/testing/mocks/db'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { currentPath, renderApp, screen } from '@/testing/test-utils'

describe('two-factor authentication', () => {
  it('asks for the code after a right password and signs in with it', async () => {
    db.me = null
    const sent: unknown[] = []
    server.use(
      http.post('/api/auth/login', () => apiError(403, 'mfa_required', 'Enter the 6-digit code from your authenticator app.')),
      http.post('/api/auth/login/mfa', async ({ request }) => {
        const body = (await request.json()) as { code?: string }
        sent.push(body)
        if (body.code !== '123456') return apiError(401, 'unauthorized', 'That code is not right. Try the current code from your app.')
        db.me = { id: 'u_cust', email: 'ada@example.com', name: 'Ada Lovelace', role: 'customer', vfUserId: 12, createdAt: '', emailVerified: true, blocked: false }
        return HttpResponse.json({ user: db.me, csrfToken: 'csrf', mfa: true })
      }),
    )
    const { user } = renderApp('/login')
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    const form = await screen.findByRole('form', { name: 'Two-factor authentication' })
    await user.type(within(form).getByLabelText('Authentication code'), '12')
    await user.click(within(form).getByRole('button', { name: 'Verify' }))
    expect(await within(form).findByText('Enter the 6 digits your app shows.')).toBeInTheDocument()
    expect(sent).toHaveLength(0)

    await user.clear(within(form).getByLabelText('Authentication code'))
    await user.type(within(form).getByLabelText('Authentication code'), '654321')
    await user.click(within(form).getByRole('button', { name: 'Verify' }))
    expect(await within(form).findAllByText('That code is not right. Try the current code from your app.')).not.toHaveLength(0)
    expect(currentPath()).toBe('/login')

    await user.clear(within(form).getByLabelText('Authentication code'))
    await user.type(within(form).getByLabelText('Authentication code'), '123 456')
    await user.click(within(form).getByRole('button', { name: 'Verify' }))
    expect(await screen.findByRole('heading', { name: 'Dashboard', level: 1 })).toBeInTheDocument()
    expect(sent).toEqual([{ code: '654321' }, { code: '123456' }])
  })

  it('offers a recovery code instead', async () => {
    db.me = null
    let body: unknown
    server.use(
      http.post('/api/auth/login', () => apiError(403, 'mfa_required', 'Enter the code.')),
      http.post('/api/auth/login/mfa', async ({ request }) => {
        body = await request.json()
        db.me = { id: 'u_cust', email: 'ada@example.com', name: 'Ada Lovelace', role: 'customer', vfUserId: 12, createdAt: '', emailVerified: true, blocked: false }
        return HttpResponse.json({ user: db.me, csrfToken: 'csrf', mfa: true, recoveryCode: 'NEWCODE' })
      }),
    )
    const { user } = renderApp('/login')
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com')
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await user.click(await screen.findByRole('button', { name: 'Use a recovery code' }))
    await user.type(screen.getByLabelText('Recovery code'), 'OLDCODE')
    await user.click(screen.getByRole('button', { name: 'Verify' }))
    expect(await screen.findByText(/Your new recovery code is NEWCODE/)).toBeInTheDocument()
    expect(body).toEqual({ recoveryCode: 'OLDCODE' })
  })

  it('enrols an authenticator app after the password is confirmed', async () => {
    let unlocked = false
    let enrolled = false
    server.use(
      http.get('/api/account/mfa', () =>
        unlocked
          ? HttpResponse.json({
              enrolled,
              authenticators: enrolled
                ? [
                    { id: 'recovery-code:dev_1', type: 'recovery-code', active: true },
                    { id: 'totp:dev_2', type: 'otp', active: true },
                  ]
                : [],
            })
          : apiError(403, 'mfa_reauth', 'Confirm your password to manage two-factor authentication.'),
      ),
      http.post('/api/account/mfa/access', async ({ request }) => {
        const body = (await request.json()) as { password: string }
        if (body.password !== 'correct horse') return apiError(401, 'unauthorized', 'Wrong email or password.')
        unlocked = true
        return HttpResponse.json({ expiresAt: '2026-12-02T04:00:00Z' })
      }),
      http.post('/api/account/mfa/enroll', () =>
        HttpResponse.json({
          secret: 'JBSWY3DPEHPK3PXP',
          barcodeUri: 'otpauth://totp/x',
          qrCode: 'data:image/png;base64,iVBORw0KGgo=',
          recoveryCodes: ['RECOVERY1'],
        }),
      ),
      http.post('/api/account/mfa/enroll/confirm', () => {
        enrolled = true
        return new HttpResponse(null, { status: 204 })
      }),
    )
    const { user } = renderApp('/account/security')
    await user.type(await screen.findByLabelText('Current password'), 'wrong')
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(await screen.findByText('Wrong email or password.')).toBeInTheDocument()
    expect(currentPath()).toBe('/account/security')

    await user.clear(screen.getByLabelText('Current password'))
    await user.type(screen.getByLabelText('Current password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }))

    expect(await screen.findByRole('img', { name: 'QR code for your authenticator app' })).toHaveAttribute('src', 'data:image/png;base64,iVBORw0KGgo=')
    expect(screen.getByText('JBSWY3DPEHPK3PXP')).toBeInTheDocument()
    expect(screen.getByLabelText('Recovery code')).toHaveTextContent('RECOVERY1')
    await user.type(screen.getByLabelText('Code from your app'), '123456')
    await user.click(screen.getByRole('button', { name: 'Turn on' }))
    const list = await screen.findByRole('list', { name: 'Authenticators' })
    expect(within(list).getByText('Authenticator app')).toBeInTheDocument()
    expect(screen.getByText('On')).toBeInTheDocument()
  })
})
