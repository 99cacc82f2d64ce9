import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon, MailCheckIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { zodFieldErrors, type FieldErrors } from '@/lib/form'
import { passwordResetSchema, usePasswordReset } from '../api/password-reset'

/** ForgotPasswordForm asks for a reset email; the answer never says whether the account exists. */
export function ForgotPasswordForm() {
  const reset = usePasswordReset()
  const [errors, setErrors] = useState<FieldErrors>({})

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const parsed = passwordResetSchema.safeParse(Object.fromEntries(new FormData(e.currentTarget)))
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error))
      return
    }
    setErrors({})
    reset.mutate(parsed.data)
  }

  if (reset.isSuccess) {
    return (
      <Alert variant="success">
        <MailCheckIcon />
        <AlertTitle>Check your inbox</AlertTitle>
        <AlertDescription>If an account exists for that address, we've sent a link to reset the password.</AlertDescription>
      </Alert>
    )
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Reset password">
      {reset.isError && <ErrorAlert error={reset.error} title="Couldn't send the email" />}
      <Field label="Email" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="email" inputMode="email" autoFocus />}
      </Field>
      <Button type="submit" size="lg" disabled={reset.isPending}>
        {reset.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Send reset link
      </Button>
    </form>
  )
}
