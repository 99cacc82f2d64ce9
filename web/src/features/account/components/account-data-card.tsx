import { useState, type FormEvent } from 'react'
import { useLocation } from 'wouter'
import { DownloadIcon, LoaderCircleIcon, Trash2Icon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { paths } from '@/config/paths'
import { exportUrl, useEraseAccount } from '../api/erase-account'

/** AccountDataCard: download my data, and the danger zone that closes the account. */
export function AccountDataCard({ email }: { email: string }) {
  const [confirm, setConfirm] = useState('')
  const erase = useEraseAccount()
  const [, navigate] = useLocation()
  const matches = confirm.trim().toLowerCase() === email.toLowerCase()
  function submit(e: FormEvent) {
    e.preventDefault()
    if (!matches) return
    erase.mutate(confirm.trim(), { onSuccess: () => navigate(paths.login, { replace: true }) })
  }
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Your data</CardTitle>
          <CardDescription>Your profile, sessions, ledger, statements, servers, activity and mail, as JSON.</CardDescription>
        </CardHeader>
        <CardContent>
          <Button asChild variant="outline">
            <a href={exportUrl} download>
              <DownloadIcon aria-hidden="true" /> Download my data
            </a>
          </Button>
        </CardContent>
      </Card>
      <Card className="border-destructive">
        <CardHeader>
          <CardTitle>Delete account</CardTitle>
          <CardDescription>
            Delete your servers first; a balance in credit must be refunded by support. Your sign-in and personal data are erased;
            billing records are kept, as the law requires, without your name or email.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form className="grid max-w-lg gap-4" onSubmit={submit} noValidate aria-label="Delete account">
            {erase.isError && <ErrorAlert error={erase.error} title="Couldn't delete your account" />}
            <Field label="Type your email to confirm">
              {(p) => <Input {...p} value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />}
            </Field>
            <Button type="submit" variant="destructive" className="justify-self-start" disabled={!matches || erase.isPending}>
              {erase.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <Trash2Icon aria-hidden="true" />}
              Delete account
            </Button>
          </form>
        </CardContent>
      </Card>
    </div>
  )
}
