import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import type { User } from '@/types/api'
import { profileSchema, useUpdateProfile } from '../api/update-profile'

/** ProfileCard edits the account's display name; the email is managed by sign-in. */
export function ProfileCard({ user }: { user: User }) {
  const [name, setName] = useState(user.name)
  const [errors, setErrors] = useState<FieldErrors>({})
  const update = useUpdateProfile()
  function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = profileSchema.safeParse({ name })
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error))
    setErrors({})
    update.mutate(parsed.data, {
      onSuccess: () => toast.success('Profile saved'),
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
        <CardDescription>How we address you in the panel and in emails.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid max-w-lg gap-4" onSubmit={submit} noValidate aria-label="Profile">
          {update.isError && <ErrorAlert error={update.error} title="Couldn't save your profile" />}
          <Field label="Name" error={errors.name}>
            {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />}
          </Field>
          <Field label="Email" hint="Your sign-in email can't be changed here.">
            {(p) => <Input {...p} value={user.email} readOnly disabled />}
          </Field>
          <Button type="submit" className="justify-self-start" disabled={update.isPending || name.trim() === user.name}>
            {update.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
            Save changes
          </Button>
        </form>
      </CardContent>
    </Card>
  )
}
