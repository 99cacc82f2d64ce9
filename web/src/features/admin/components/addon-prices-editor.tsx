import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon, Trash2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { formatMoney } from '@/lib/format'
import { useDeleteBackupPlanPrice, useSetBackupPlanPrice, useSetIpv4Price, type AddonPrices } from '../api/addon-prices'
import { addonImpact, PriceImpactDialog } from './price-impact-dialog'

const money = /^\d+(\.\d{1,2})?$/
const toMinor = (s: string) => Math.round(Number(s) * 100)

function Ipv4PriceForm({ prices }: { prices: AddonPrices }) {
  const [hourly, setHourly] = useState((prices.ipv4.hourlyMinor / 100).toFixed(2))
  const [max, setMax] = useState(String(prices.ipv4.maxPerServer))
  const [error, setError] = useState<string>()
  const save = useSetIpv4Price()
  const [pending, setPending] = useState<{ hourlyMinor: number; maxPerServer: number }>()
  function submit(e: FormEvent) {
    e.preventDefault()
    if (!money.test(hourly) || !/^\d+$/.test(max)) return setError('Enter a price like 0.01 and a whole number of addresses.')
    setError(undefined)
    setPending({ hourlyMinor: toMinor(hourly), maxPerServer: Number(max) }) // confirm with the impact first
  }
  function confirm() {
    if (!pending) return
    save.mutate(pending, { onSuccess: () => toast.success('Extra IPv4 price saved'), onError: (err) => setError(errorMessage(err)) })
    setPending(undefined)
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Extra IPv4 price" className="grid gap-3 rounded-lg border bg-background/30 p-4 md:grid-cols-[1.5fr_1fr_1fr_auto] md:items-end">
      <div>
        <p className="font-medium">Extra IPv4 address</p>
        <p className="text-xs text-muted-foreground">Per address, on top of a server's first. 0 addresses: not sold.</p>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="ipv4-hourly">Per hour (USD)</Label>
        <Input id="ipv4-hourly" inputMode="decimal" value={hourly} onChange={(e) => setHourly(e.target.value)} aria-invalid={error ? true : undefined} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="ipv4-max">Most per server</Label>
        <Input id="ipv4-max" inputMode="numeric" value={max} onChange={(e) => setMax(e.target.value)} aria-invalid={error ? true : undefined} />
      </div>
      <Button type="submit" variant="outline" disabled={save.isPending}>
        {save.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Save
      </Button>
      {error && <p className="text-xs font-medium text-destructive md:col-span-4" role="alert">{error}</p>}
      <PriceImpactDialog
        title="Change the extra IPv4 price?"
        impact={pending && addonImpact('extra IPv4 addresses', prices.ipv4.hourlyMinor, pending.hourlyMinor, (m) => formatMoney(m))}
        onConfirm={confirm}
        onCancel={() => setPending(undefined)}
      />
    </form>
  )
}

function BackupPlanForm() {
  const [planId, setPlanId] = useState('')
  const [name, setName] = useState('')
  const [hourly, setHourly] = useState('')
  const [error, setError] = useState<string>()
  const save = useSetBackupPlanPrice()
  function submit(e: FormEvent) {
    e.preventDefault()
    if (!/^[1-9]\d*$/.test(planId) || name.trim() === '' || !money.test(hourly))
      return setError("Enter the plan's VirtFusion id, a name and a price like 0.01.")
    setError(undefined)
    save.mutate(
      { planId: Number(planId), name: name.trim(), hourlyMinor: toMinor(hourly) },
      {
        onSuccess: () => {
          toast.success(`Backup plan ${name.trim()} saved`)
          setPlanId('')
          setName('')
          setHourly('')
        },
        onError: (err) => setError(errorMessage(err)),
      },
    )
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Price a backup plan" className="grid gap-3 rounded-lg border bg-background/30 p-4 md:grid-cols-[1fr_1.5fr_1fr_auto] md:items-end">
      <div className="grid gap-1.5">
        <Label htmlFor="bp-id">VirtFusion plan id</Label>
        <Input id="bp-id" inputMode="numeric" value={planId} onChange={(e) => setPlanId(e.target.value)} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="bp-name">Name customers see</Label>
        <Input id="bp-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="bp-hourly">Per hour (USD)</Label>
        <Input id="bp-hourly" inputMode="decimal" value={hourly} onChange={(e) => setHourly(e.target.value)} />
      </div>
      <Button type="submit" variant="outline" disabled={save.isPending}>
        {save.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Save plan
      </Button>
      {error && <p className="text-xs font-medium text-destructive md:col-span-4" role="alert">{error}</p>}
    </form>
  )
}

/** AddonPricesEditor prices VirtFusion backup plans and extra IPv4 addresses (hourly add-ons). */
export function AddonPricesEditor({ prices }: { prices: AddonPrices }) {
  const remove = useDeleteBackupPlanPrice()
  return (
    <div className="grid gap-3">
      <Ipv4PriceForm prices={prices} />
      <ul className="grid gap-2" aria-label="Priced backup plans">
        {prices.backupPlans.map((b) => (
          <li key={b.planId} className="flex min-h-10 items-center justify-between gap-2 rounded-lg border bg-background/30 px-4 py-1">
            <span>
              <span className="font-medium">{b.name}</span>{' '}
              <span className="text-sm text-muted-foreground">
                plan {b.planId} · {formatMoney(b.hourlyMinor)}/h
              </span>
            </span>
            <Button
              variant="ghost"
              size="icon"
              className="size-10"
              aria-label={`Stop offering ${b.name}`}
              disabled={remove.isPending}
              onClick={() => remove.mutate(b.planId, { onSuccess: () => toast.success(`${b.name} is no longer offered`) })}
            >
              <Trash2Icon aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <BackupPlanForm />
    </div>
  )
}
