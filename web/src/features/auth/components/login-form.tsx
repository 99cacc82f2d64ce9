import { useState, type FormEvent } from 'react'
import { Link } from 'wouter'
import { LoaderCircleIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { paths } from '@/config/paths'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { loginSchema, useLogin } from '../api/login'
import type { User } from '@/types/api'

/** LoginForm signs in with email and password. */
export function LoginForm({ onSuccess }: { onSuccess: (user: User) => void }) {
  const login = useLogin()
  const [errors, setErrors] = useState<FieldErrors>({})

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
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Sign in">
      {login.isError && <ErrorAlert error={login.error} title="Couldn't sign you in" />}
      <Field label="Email" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="email" inputMode="email" placeholder="you@example.com" autoFocus />}
      </Field>
      <Field label="Password" error={errors.password}>
        {(p) => <Input {...p} name="password" type="password" autoComplete="current-password" />}
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
