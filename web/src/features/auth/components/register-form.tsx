import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { PasswordInput } from '@/components/password-input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { registerSchema, useRegister } from '../api/register'
import type { User } from '@/types/api'

/** RegisterForm creates an account and signs in. */
export function RegisterForm({ onSuccess }: { onSuccess: (user: User) => void }) {
  const reg = useRegister()
  const [errors, setErrors] = useState<FieldErrors>({})

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const parsed = registerSchema.safeParse(Object.fromEntries(new FormData(e.currentTarget)))
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error))
      return
    }
    setErrors({})
    reg.mutate(parsed.data, {
      onSuccess: (res) => onSuccess(res.user),
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Create account">
      {reg.isError && <ErrorAlert error={reg.error} title="Couldn't create your account" />}
      <Field label="Full name" error={errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="name" autoFocus />}
      </Field>
      <Field label="Email" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="email" inputMode="email" placeholder="you@example.com" />}
      </Field>
      <Field label="Password" hint="At least 10 characters. A passphrase works well." error={errors.password}>
        {(p) => <PasswordInput {...p} name="password" autoComplete="new-password" />}
      </Field>
      <Button type="submit" size="lg" disabled={reg.isPending}>
        {reg.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Create account
      </Button>
    </form>
  )
}
