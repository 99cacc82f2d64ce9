import { useEffect, useState, type FormEvent } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { apiFieldErrors, type FieldErrors } from '@/lib/form'
import type { BillingProfile } from '@/types/api'
import { useBillingProfile, useSaveBillingProfile } from '../api/billing-profile'

const empty: BillingProfile = { name: '', company: '', addressLines: [], taxId: '' }

/** addressLines turns the textarea into the lines an invoice prints (blank lines dropped). */
export function addressLines(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}

/** BillingAddressCard edits who invoices are made out to: name, company, address and tax id. */
export function BillingAddressCard() {
  const q = useBillingProfile()
  const save = useSaveBillingProfile()
  const [form, setForm] = useState(empty)
  const [address, setAddress] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  useEffect(() => {
    if (q.data) {
      setForm(q.data.profile)
      setAddress(q.data.profile.addressLines.join('\n'))
    }
  }, [q.data])
  const set = (patch: Partial<BillingProfile>) => setForm((f) => ({ ...f, ...patch }))
  function submit(e: FormEvent) {
    e.preventDefault()
    const lines = addressLines(address)
    if (lines.length > 5) return setErrors({ addressLines: 'Use at most 5 lines.' })
    setErrors({})
    save.mutate(
      { ...form, addressLines: lines },
      { onSuccess: () => toast.success('Billing address saved'), onError: (err) => setErrors(apiFieldErrors(err)) },
    )
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Billing address</CardTitle>
        <CardDescription>Who your invoices are made out to. Leave a field empty to leave it off.</CardDescription>
      </CardHeader>
      <CardContent>
        {q.isPending ? (
          <Skeleton className="h-48 w-full" aria-label="Loading billing address" />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load your billing address" onRetry={() => q.refetch()} />
        ) : (
          <form className="grid max-w-lg gap-4" onSubmit={submit} noValidate aria-label="Billing address">
            {save.isError && !Object.keys(errors).length && <ErrorAlert error={save.error} title="Couldn't save your billing address" />}
            <Field label="Name on invoices" hint="Your account name when empty." error={errors.name}>
              {(p) => <Input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} autoComplete="name" />}
            </Field>
            <Field label="Company" error={errors.company}>
              {(p) => <Input {...p} value={form.company} onChange={(e) => set({ company: e.target.value })} autoComplete="organization" />}
            </Field>
            <Field label="Address" hint="One line each, up to 5 lines." error={errors.addressLines}>
              {(p) => <Textarea {...p} rows={4} value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="street-address" />}
            </Field>
            <Field label="Tax ID" hint="For example a VAT number." error={errors.taxId}>
              {(p) => <Input {...p} value={form.taxId} onChange={(e) => set({ taxId: e.target.value })} />}
            </Field>
            <Button type="submit" className="justify-self-start" disabled={save.isPending}>
              {save.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
              Save billing address
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  )
}
