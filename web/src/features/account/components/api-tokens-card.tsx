import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { SecretReveal } from '@/components/secret-reveal'
import { errorMessage } from '@/lib/api-client'
import { formatDate, formatRelative } from '@/lib/format'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { newTokenSchema, useCreateToken, useRevokeToken, useTokens } from '../api/tokens'

const scopeLabels = { read: 'Read only', power: 'Read and power', full: 'Full access' } as const

/** ApiTokensCard creates personal API tokens (shown once), lists them with their last use, and revokes them. */
export function ApiTokensCard() {
  const q = useTokens()
  const create = useCreateToken()
  const revoke = useRevokeToken()
  const [errors, setErrors] = useState<FieldErrors>({})
  const [shown, setShown] = useState<string | null>(null)

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const parsed = newTokenSchema.safeParse(Object.fromEntries(new FormData(form)))
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error))
      return
    }
    setErrors({})
    create.mutate(parsed.data, {
      onSuccess: (t) => {
        setShown(t.token)
        form.reset()
      },
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>API tokens</CardTitle>
        <CardDescription>
          For scripts: send <code>Authorization: Bearer vfp_…</code>. Tokens cannot manage tokens, security settings or admin pages.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {shown && (
          <SecretReveal
            label="API token"
            value={shown}
            title="Copy your token now"
            description="It is shown only once: we keep only a hash of it."
          />
        )}
        <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end" aria-label="New API token">
          <Field label="Token name" error={errors.name}>
            {(p) => <Input {...p} name="name" placeholder="deploy script" />}
          </Field>
          <Field label="Scope" error={errors.scope}>
            {(p) => (
              <NativeSelect {...p} name="scope" defaultValue="read">
                <option value="read">{scopeLabels.read}</option>
                <option value="power">{scopeLabels.power}</option>
                <option value="full">{scopeLabels.full}</option>
              </NativeSelect>
            )}
          </Field>
          <Field label="Expires in" error={errors.expiresInDays}>
            {(p) => (
              <NativeSelect {...p} name="expiresInDays" defaultValue="30">
                <option value="7">7 days</option>
                <option value="30">30 days</option>
                <option value="90">90 days</option>
                <option value="365">1 year</option>
              </NativeSelect>
            )}
          </Field>
          <Button type="submit" disabled={create.isPending}>
            Create token
          </Button>
        </form>
        {q.isPending ? (
          <Skeleton className="h-12" aria-label="Loading API tokens" />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load API tokens" onRetry={() => q.refetch()} />
        ) : q.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No API tokens yet.</p>
        ) : (
          <ul className="grid gap-2" aria-label="API tokens">
            {q.data.map((t) => (
              <li key={t.id} className="flex items-center gap-3 rounded-lg border p-3">
                <div className="min-w-0 flex-1">
                  <p className="font-medium">{t.name}</p>
                  <p className="text-xs text-muted-foreground">
                    {scopeLabels[t.scope]} · expires {formatDate(t.expiresAt)} ·{' '}
                    {t.lastUsedAt ? `used ${formatRelative(t.lastUsedAt)}` : 'never used'}
                  </p>
                </div>
                <ConfirmDialog
                  title={`Revoke ${t.name}?`}
                  description="Scripts using it stop working at once."
                  confirmLabel="Revoke"
                  destructive
                  onConfirm={() => revoke.mutate(t.id, { onError: (e) => toast.error(errorMessage(e)) })}
                  trigger={
                    <Button variant="outline" size="sm" aria-label={`Revoke token ${t.name}`}>
                      Revoke
                    </Button>
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
