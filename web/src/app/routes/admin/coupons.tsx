import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { PageHeader } from '@/components/page-header'
import { ErrorAlert } from '@/components/error-alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useCoupons, useCreateCoupon, useRedemptions, useSetCouponDisabled, type NewCoupon } from '@/features/admin/api/coupons'
import { formatMoney } from '@/lib/format'
import type { Coupon } from '@/types/api'

const kinds: { value: Coupon['kind']; label: string }[] = [
  { value: 'topup_percent', label: 'Top-up bonus, %' },
  { value: 'topup_fixed', label: 'Top-up bonus, fixed' },
  { value: 'first_order', label: 'Credit on first order' },
  { value: 'free_hours', label: 'First hours free on a plan' },
]

function describe(c: Coupon) {
  switch (c.kind) {
    case 'topup_percent':
      return `${c.percent}% on top-ups`
    case 'topup_fixed':
      return `${formatMoney(c.amountMinor)} on top-ups`
    case 'first_order':
      return `${formatMoney(c.amountMinor)} on a first order`
    default:
      return `${c.hours} h free on plan ${c.packageId}`
  }
}

/** AdminCouponsRoute lists promo codes with their use, creates and disables them, and reports redemptions. */
export default function AdminCouponsRoute() {
  const coupons = useCoupons()
  const create = useCreateCoupon()
  const disable = useSetCouponDisabled()
  const [shown, setShown] = useState<string>()
  const redemptions = useRedemptions(shown)
  const [form, setForm] = useState({ code: '', kind: 'topup_percent' as Coupon['kind'], value: '10', packageId: '', min: '0', days: '30', max: '0', per: '1' })
  const [fields, setFields] = useState<Record<string, string>>({})
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })

  function submit(e: FormEvent) {
    e.preventDefault()
    const v = Number(form.value)
    const body: NewCoupon = {
      code: form.code,
      kind: form.kind,
      minAmountMinor: Math.round(Number(form.min) * 100),
      validUntil: new Date(Date.now() + Number(form.days) * 86_400_000).toISOString(),
      maxRedemptions: Number(form.max),
      perCustomer: Number(form.per),
    }
    if (form.kind === 'topup_percent') body.percent = v
    else if (form.kind === 'free_hours') Object.assign(body, { hours: v, packageId: Number(form.packageId) })
    else body.amountMinor = Math.round(v * 100)
    setFields({})
    create.mutate(body, {
      onSuccess: (r) => toast.success(`Promo code ${r.coupon.code} created.`),
      onError: (err) => setFields((err as { fields?: Record<string, string> }).fields ?? {}),
    })
  }

  const field = (id: keyof typeof form, label: string, name: string, props: object = {}) => (
    <div className="grid gap-2">
      <Label htmlFor={`coupon-${id}`}>{label}</Label>
      <Input id={`coupon-${id}`} value={form[id]} onChange={set(id)} aria-invalid={fields[name] ? true : undefined} {...props} />
      {fields[name] && <p className="text-xs font-medium text-destructive">{fields[name]}</p>}
    </div>
  )

  return (
    <div className="grid gap-6">
      <PageHeader title="Promo codes" description="Bonuses on top-ups, credit on first orders, free hours on a plan." />
      <Card>
        <CardHeader>
          <CardTitle className="text-base">New promo code</CardTitle>
          <CardDescription>Limits are enforced when a code is redeemed, even by many customers at once.</CardDescription>
        </CardHeader>
        <CardContent>
          <form className="grid gap-4 sm:grid-cols-3" onSubmit={submit} noValidate>
            {field('code', 'Code', 'code', { autoComplete: 'off', className: 'uppercase' })}
            <div className="grid gap-2">
              <Label htmlFor="coupon-kind">Kind</Label>
              <select id="coupon-kind" value={form.kind} onChange={set('kind')} className="h-10 rounded-md border border-input bg-transparent px-3 text-sm">
                {kinds.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </select>
            </div>
            {field('value', form.kind === 'topup_percent' ? 'Percent' : form.kind === 'free_hours' ? 'Hours' : 'Amount (USD)', form.kind === 'topup_percent' ? 'percent' : form.kind === 'free_hours' ? 'hours' : 'amountMinor', { inputMode: 'decimal' })}
            {form.kind === 'free_hours' && field('packageId', 'Plan id', 'packageId', { inputMode: 'numeric' })}
            {field('min', 'Minimum amount (USD)', 'minAmountMinor', { inputMode: 'decimal' })}
            {field('days', 'Valid for (days)', 'validUntil', { inputMode: 'numeric' })}
            {field('max', 'Total uses (0 = no limit)', 'maxRedemptions', { inputMode: 'numeric' })}
            {field('per', 'Uses per customer', 'perCustomer', { inputMode: 'numeric' })}
            <div className="flex items-end">
              <Button type="submit" className="min-h-10 w-full" disabled={create.isPending}>
                Create code
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
      {coupons.isError && <ErrorAlert error={coupons.error} title="Couldn't load promo codes" />}
      <Card>
        <CardContent className="overflow-x-auto pt-6">
          <Table aria-label="Promo codes">
            <TableHeader>
              <TableRow>
                <TableHead>Code</TableHead>
                <TableHead>Gives</TableHead>
                <TableHead>Used</TableHead>
                <TableHead>Valid until</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {coupons.data?.items.map((c) => (
                <TableRow key={c.code}>
                  <TableCell className="font-mono">{c.code}</TableCell>
                  <TableCell>{describe(c)}</TableCell>
                  <TableCell>
                    {c.redeemed}
                    {c.maxRedemptions > 0 && ` / ${c.maxRedemptions}`} · {formatMoney(c.creditedMinor)}
                  </TableCell>
                  <TableCell>{new Date(c.validUntil).toLocaleDateString()}</TableCell>
                  <TableCell className="flex gap-2">
                    <Button variant="outline" className="min-h-10" onClick={() => setShown(c.code)} aria-label={`Redemptions of ${c.code}`}>
                      Redemptions
                    </Button>
                    <Button
                      variant="outline"
                      className="min-h-10"
                      disabled={disable.isPending}
                      onClick={() => disable.mutate({ code: c.code, disabled: !c.disabled })}
                      aria-label={`${c.disabled ? 'Enable' : 'Disable'} ${c.code}`}
                    >
                      {c.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      {shown && redemptions.data && (
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Redemptions of {shown}</CardTitle>
            <CardDescription>
              {redemptions.data.redemptions} redemptions, {formatMoney(redemptions.data.totalMinor)} credited.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="grid gap-1 text-sm">
              {redemptions.data.items.map((r) => (
                <li key={r.userId + r.ref}>
                  {new Date(r.at).toLocaleString()} · {r.userId} · {r.ref} · {formatMoney(r.amountMinor)}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      )}
    </div>
  )
}
