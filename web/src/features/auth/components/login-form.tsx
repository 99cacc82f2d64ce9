import { useState, type FormEvent } from 'react'
import { Link } from 'wouter'
import { LoaderCircleIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { PasswordInput } from '@/components/password-input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { paths } from '@/config/paths'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { isApiError } from '@/lib/api-client'
import { toast } from 'sonner'
import { loginSchema, useLogin } from '../api/login'
import { mfaCodeSchema, recoveryCodeSchema, useLoginMfa } from '../api/login-mfa'
import type { AuthResponse, User } from '@/types/api'

/** MfaStep asks for the authenticator code (or a recovery code) after a right password. */
function MfaStep({ onSuccess }: { onSuccess: (res: AuthResponse) => void }) {
  const verify = useLoginMfa()
  const [recovery, setRecovery] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const data = Object.fromEntries(new FormData(e.currentTarget))
    const parsed = recovery ? recoveryCodeSchema.safeParse(data) : mfaCodeSchema.safeParse(data)
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error))
      return
    }
    setErrors({})
    verify.mutate(parsed.data, { onSuccess, onError: (err) => setErrors(apiFieldErrors(err)) })
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Two-factor authentication">
      {verify.isError && <ErrorAlert error={verify.error} title="Couldn't verify the code" />}
      {recovery ? (
        <Field label="Recovery code" error={errors.recoveryCode}>
          {(p) => <Input {...p} name="recoveryCode" autoComplete="off" autoFocus />}
        </Field>
      ) : (
        <Field label="Authentication code" error={errors.code}>
          {(p) => <Input {...p} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={7} autoFocus />}
        </Field>
      )}
      <Button type="submit" size="lg" disabled={verify.isPending}>
        {verify.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Verify
      </Button>
      <Button type="button" variant="link" onClick={() => { setRecovery(!recovery); setErrors({}); verify.reset() }}>
        {recovery ? 'Use the code from your app' : 'Use a recovery code'}
      </Button>
    </form>
  )
}

/** LoginForm signs in with email and password. */
export function LoginForm({ onSuccess }: { onSuccess: (user: User) => void }) {
  const login = useLogin()
  const [errors, setErrors] = useState<FieldErrors>({})
  const [mfa, setMfa] = useState(false)

  if (mfa) {
    return (
      <MfaStep
        onSuccess={(res) => {
          if (res.recoveryCode) {
            toast.warning(`Your recovery code was used. Your new recovery code is ${res.recoveryCode} — store it safely now; it won't be shown again.`, { duration: Infinity })
          }
          onSuccess(res.user)
        }}
      />
    )
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const data = Object.fromEntries(new FormData(e.currentTarget))
    const parsed = loginSchema.safeParse(data)
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error))
      return
    }
    setErrors({})
    login.mutate(parsed.data, {
      onSuccess: (res) => onSuccess(res.user),
      onError: (err) => {
        if (isApiError(err) && err.code === 'mfa_required') setMfa(true)
        else setErrors(apiFieldErrors(err))
      },
    })
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Sign in">
      {login.isError && !mfa && <ErrorAlert error={login.error} title="Couldn't sign you in" />}
      <Field label="Email" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="email" inputMode="email" placeholder="you@example.com" autoFocus />}
      </Field>
      <Field label="Password" error={errors.password}>
        {(p) => <PasswordInput {...p} name="password" autoComplete="current-password" />}
      </Field>
      <div className="-mt-1 text-right text-sm">
        <Link href={paths.forgotPassword} className="text-primary underline-offset-4 hover:underline">
          Forgot password?
        </Link>
      </div>
      <Button type="submit" size="lg" disabled={login.isPending}>
        {login.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Sign in
      </Button>
    </form>
  )
}
