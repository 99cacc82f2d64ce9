import { useState, type FormEvent } from 'react'
import { KeyRoundIcon, LoaderCircleIcon, ShieldCheckIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { PasswordInput } from '@/components/password-input'
import { Skeleton } from '@/components/ui/skeleton'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { SecretReveal } from '@/components/secret-reveal'
import { errorMessage, isApiError } from '@/lib/api-client'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import type { MfaEnrolment } from '@/types/api'
import { mfaAccessSchema, useConfirmMfa, useConfirmPassword, useDeleteAuthenticator, useEnrolMfa, useMfa } from '../api/mfa'

/** PasswordGate asks for the password again (and a code once MFA is on): Auth0's MFA API needs a fresh sign-in. */
function PasswordGate() {
  const access = useConfirmPassword()
  const [errors, setErrors] = useState<FieldErrors>({})
  const [needCode, setNeedCode] = useState(false)

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const data = Object.fromEntries(new FormData(e.currentTarget))
    const parsed = mfaAccessSchema.safeParse({ code: '', ...data })
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error))
      return
    }
    setErrors({})
    access.mutate(parsed.data, {
      onError: (err) => {
        if (isApiError(err) && err.code === 'mfa_required') setNeedCode(true)
        setErrors(apiFieldErrors(err))
      },
    })
  }

  return (
    <form onSubmit={submit} noValidate className="grid max-w-sm gap-4" aria-label="Confirm your password">
      <p className="text-sm text-muted-foreground">Confirm your password to manage two-factor authentication.</p>
      {access.isError && !(isApiError(access.error) && access.error.code === 'mfa_required') && (
        <ErrorAlert error={access.error} title="Couldn't confirm" />
      )}
      <Field label="Current password" error={errors.password}>
        {(p) => <PasswordInput {...p} name="password" autoComplete="current-password" />}
      </Field>
      {needCode && (
        <Field label="Authentication code" error={errors.code}>
          {(p) => <Input {...p} name="code" inputMode="numeric" autoComplete="one-time-code" autoFocus />}
        </Field>
      )}
      <Button type="submit" className="justify-self-start" disabled={access.isPending}>
        {access.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Continue
      </Button>
    </form>
  )
}

/** Enrolment shows the QR code (rendered by our server), the secret, the recovery code once, and confirms with a code. */
function Enrolment({ enrolment, onDone }: { enrolment: MfaEnrolment; onDone: () => void }) {
  const confirm = useConfirmMfa()
  const [error, setError] = useState<string>()

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const code = String(new FormData(e.currentTarget).get('code') ?? '').replace(/\s/g, '')
    if (!/^\d{6}$/.test(code)) {
      setError('Enter the 6 digits your app shows.')
      return
    }
    setError(undefined)
    confirm.mutate(code, {
      onSuccess: () => {
        toast.success('Two-factor authentication is on')
        onDone()
      },
      onError: (err) => setError(errorMessage(err)),
    })
  }

  return (
    <div className="grid gap-4">
      <p className="text-sm">Scan this QR code with your authenticator app, or type the key.</p>
      <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={180} height={180} className="rounded-md bg-white p-2" />
      <p className="text-sm">
        Key: <code className="font-mono break-all">{enrolment.secret}</code>
      </p>
      {enrolment.recoveryCodes.map((c) => (
        <SecretReveal
          key={c}
          label="Recovery code"
          value={c}
          title="Save your recovery code now"
          description="It signs you in if you lose your phone, once. It is shown only this time."
        />
      ))}
      <form onSubmit={submit} noValidate className="grid max-w-sm gap-3" aria-label="Confirm authenticator">
        <Field label="Code from your app" error={error}>
          {(p) => <Input {...p} name="code" inputMode="numeric" autoComplete="one-time-code" autoFocus />}
        </Field>
        <Button type="submit" className="justify-self-start" disabled={confirm.isPending}>
          Turn on
        </Button>
      </form>
    </div>
  )
}

/** MfaCard is Account → Security's two-factor section: enrol a TOTP app, list and remove factors. */
export function MfaCard() {
  const q = useMfa()
  const enrol = useEnrolMfa()
  const remove = useDeleteAuthenticator()
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null)
  const reauth = q.isError && isApiError(q.error) && q.error.code === 'mfa_reauth'

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ShieldCheckIcon className="size-5 text-primary" aria-hidden="true" /> Two-factor authentication
        </CardTitle>
        <CardDescription>Ask for a code from an authenticator app when you sign in with your password.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {q.isPending ? (
          <Skeleton className="h-14" aria-label="Loading two-factor authentication" />
        ) : reauth ? (
          <PasswordGate />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load two-factor authentication" onRetry={() => q.refetch()} />
        ) : enrolment ? (
          <Enrolment enrolment={enrolment} onDone={() => setEnrolment(null)} />
        ) : (
          <>
            <p className="flex items-center gap-2 text-sm">
              Status: {q.data.enrolled ? <Badge variant="success">On</Badge> : <Badge variant="secondary">Off</Badge>}
            </p>
            <ul className="grid gap-2" aria-label="Authenticators">
              {q.data.authenticators.map((a) => (
                <li key={a.id} className="flex items-center gap-3 rounded-lg border p-3">
                  <KeyRoundIcon className="size-4 text-primary" aria-hidden="true" />
                  <span className="flex-1 text-sm">
                    {a.type === 'otp' ? 'Authenticator app' : a.type === 'recovery-code' ? 'Recovery code' : a.type}
                    {!a.active && ' (not confirmed)'}
                  </span>
                  {a.type === 'otp' && (
                    <ConfirmDialog
                      title="Remove this authenticator?"
                      description="Signing in will no longer ask for its codes."
                      confirmLabel="Remove"
                      destructive
                      onConfirm={() => remove.mutate(a.id, { onError: (e) => toast.error(errorMessage(e)) })}
                      trigger={
                        <Button variant="outline" size="sm">
                          Remove
                        </Button>
                      }
                    />
                  )}
                </li>
              ))}
            </ul>
            {!q.data.enrolled && (
              <Button
                className="justify-self-start"
                disabled={enrol.isPending}
                onClick={() => enrol.mutate(undefined, { onSuccess: setEnrolment, onError: (e) => toast.error(errorMessage(e)) })}
              >
                Set up an authenticator app
              </Button>
            )}
          </>
        )}
      </CardContent>
    </Card>
  )
}
