import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { Field } from '@/components/field'
import { ErrorAlert } from '@/components/error-alert'
import { Skeleton } from '@/components/ui/skeleton'
import { isApiError } from '@/lib/api-client'
import { apiFieldErrors, type FieldErrors } from '@/lib/form'
import type { AdminSettings } from '@/types/api'
import { useAdminSettings, useSaveSettings } from '../api/settings'

const toMoney = (minor: number) => (minor / 100).toFixed(2)
const toMinor = (s: string) => Math.round(Number(s) * 100)

type TextKey = 'companyName' | 'legalName' | 'ssoLabel' | 'logoUrl' | 'primaryColor' | 'accentColor' | 'supportEmail' | 'taxId' | 'discordUrl' | 'geminiModel'
const textFields: { key: TextKey; label: string; hint?: string }[] = [
  { key: 'companyName', label: 'Company name' },
  { key: 'logoUrl', label: 'Logo URL', hint: 'https:// address of the logo in mail.' },
  { key: 'primaryColor', label: 'Primary colour', hint: 'Like #2563eb.' },
  { key: 'accentColor', label: 'Accent colour', hint: 'Like #2563eb.' },
  { key: 'supportEmail', label: 'Support address' },
  { key: 'taxId', label: 'Tax id', hint: 'Printed on invoices.' },
  // Issue 20, items 8 and 9.
  { key: 'legalName', label: 'Legal name', hint: 'On invoices; the company name when empty.' },
  { key: 'ssoLabel', label: 'Single sign-on label', hint: 'The sign-in button says "Continue with" this; "single sign-on" when empty.' },
  { key: 'discordUrl', label: 'Discord invite', hint: 'A discord.gg or discord.com link customers may join.' },
  { key: 'geminiModel', label: 'Gemini model' },
]

/** SettingsForm edits the run-time settings; every function obeys a save within a minute. */
export function SettingsForm() {
  const q = useAdminSettings()
  if (q.isPending) return <Skeleton className="h-96 w-full" />
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load the settings" onRetry={() => q.refetch()} />
  return <Editor key={q.data.settings.version} initial={q.data.settings} />
}

function Editor({ initial }: { initial: AdminSettings }) {
  const [s, setS] = useState(initial)
  const [topupMin, setTopupMin] = useState(toMoney(initial.topupMinMinor))
  const [topupMax, setTopupMax] = useState(toMoney(initial.topupMaxMinor))
  const [low, setLow] = useState((initial.lowBalanceHours ?? []).join(', '))
  const [errors, setErrors] = useState<FieldErrors>({})
  const save = useSaveSettings()
  const set = <K extends keyof AdminSettings>(k: K, v: AdminSettings[K]) => setS((cur) => ({ ...cur, [k]: v }))

  function submit(e: FormEvent) {
    e.preventDefault()
    const next: AdminSettings = {
      ...s,
      topupMinMinor: toMinor(topupMin),
      topupMaxMinor: toMinor(topupMax),
      lowBalanceHours: low.split(',').map((x) => Number(x.trim())).filter((n) => Number.isFinite(n) && n > 0),
    }
    save.mutate(next, {
      onSuccess: () => {
        setErrors({})
        toast.success('Settings saved; every part of the panel uses them within a minute')
      },
      onError: (err) => {
        if (isApiError(err) && err.code === 'conflict') toast.error('Someone else saved the settings; reload to see theirs.')
        setErrors(apiFieldErrors(err))
      },
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Business settings</CardTitle>
        <CardDescription>Stored in the panel; until the first save the deploy-time values apply.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4 sm:grid-cols-2" onSubmit={submit} noValidate aria-label="Settings">
          {textFields.map((f) => (
            <Field key={f.key} label={f.label} hint={f.hint} error={errors[f.key]}>
              {(p) => <Input {...p} value={s[f.key] ?? ''} onChange={(e) => set(f.key, e.target.value)} />}
            </Field>
          ))}
          <Field label="Postal address" error={errors.postalAddress} className="sm:col-span-2">
            {(p) => <Textarea {...p} rows={3} value={s.postalAddress} onChange={(e) => set('postalAddress', e.target.value)} />}
          </Field>
          <Field label="Smallest top-up" error={errors.topupMinMinor}>
            {(p) => <Input {...p} inputMode="decimal" value={topupMin} onChange={(e) => setTopupMin(e.target.value)} />}
          </Field>
          <Field label="Largest top-up" error={errors.topupMaxMinor}>
            {(p) => <Input {...p} inputMode="decimal" value={topupMax} onChange={(e) => setTopupMax(e.target.value)} />}
          </Field>
          <Field label="Prepaid hours per order" error={errors.prepayHours}>
            {(p) => <Input {...p} inputMode="numeric" value={String(s.prepayHours)} onChange={(e) => set('prepayHours', Number(e.target.value))} />}
          </Field>
          <Field label="Grace days" hint="Days servers stay suspended before the final warning." error={errors.graceDays}>
            {(p) => <Input {...p} inputMode="numeric" value={String(s.graceDays)} onChange={(e) => set('graceDays', Number(e.target.value))} />}
          </Field>
          <Field label="Low-balance warnings (hours)" hint="Largest first, e.g. 72, 24." error={errors.lowBalanceHours} className="sm:col-span-2">
            {(p) => <Input {...p} value={low} onChange={(e) => setLow(e.target.value)} />}
          </Field>
          <Field label="Announcement" hint="Shown to signed-in customers; up to 500 characters." error={errors.announcement} className="sm:col-span-2">
            {(p) => <Textarea {...p} rows={2} value={s.announcement} onChange={(e) => set('announcement', e.target.value)} />}
          </Field>
          <div className="sm:col-span-2">
            <Button type="submit" disabled={save.isPending} className="min-h-10">
              Save settings
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  )
}
