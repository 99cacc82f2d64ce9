import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { formatGb, formatMemory, formatMoney, plural } from '@/lib/format'
import type { Package } from '@/types/api'
import { usePlans } from '../api/plans'
import { useUpdatePackagePrice } from '../api/update-package-price'
import { PriceImpactDialog } from './price-impact-dialog'

/** monthlyMinor is what a month of a plan costs: 730 hours, at most the cap (0: no cap). */
export const monthlyMinor = (hourlyMinor: number, capMinor: number) => (capMinor > 0 ? Math.min(hourlyMinor * 730, capMinor) : hourlyMinor * 730)

/**
 * priceImpact says what a price change does before it is saved: running servers keep the
 * price they were ordered at (billing copies it), so this month's revenue does not move;
 * new orders pay the new monthly price.
 */
export function priceImpact(
  name: string,
  before: { hourlyMinor: number; monthlyCapMinor: number } | undefined,
  after: { hourlyMinor: number; monthlyCapMinor: number },
  usage: { activeServers: number; customers: number } | undefined,
) {
  const next = monthlyMinor(after.hourlyMinor, after.monthlyCapMinor)
  const prev = before ? monthlyMinor(before.hourlyMinor, before.monthlyCapMinor) : undefined
  const servers = usage?.activeServers ?? 0
  const running =
    servers === 0
      ? `No server runs on ${name}, so no revenue changes now.`
      : `${plural(servers, 'running server')} on ${name} (${plural(usage?.customers ?? 0, 'customer')}) ${servers === 1 ? 'keeps' : 'keep'} the price they were ordered at: revenue changes by ${formatMoney(0)} a month now.`
  const orders =
    prev === undefined
      ? `New orders pay ${formatMoney(next)} a month.`
      : `New orders pay ${formatMoney(next)} a month instead of ${formatMoney(prev)} (${formatMoney(next - prev, 'USD', { signed: true })} per server per month).`
  return { servers, deltaNowMinor: 0, perServerDeltaMinor: prev === undefined ? next : next - prev, text: `${running} ${orders}` }
}

const toDollars = (minor?: number) => (minor === undefined ? '' : (minor / 100).toFixed(2))
const money = /^\d+(\.\d{1,2})?$/

function PriceRow({ pkg }: { pkg: Package }) {
  const [hourly, setHourly] = useState(toDollars(pkg.price?.hourlyMinor))
  const [cap, setCap] = useState(toDollars(pkg.price?.monthlyCapMinor))
  const [error, setError] = useState<string>()
  const update = useUpdatePackagePrice()
  const plans = usePlans()
  const [pending, setPending] = useState<{ hourlyMinor: number; monthlyCapMinor: number }>()
  const id = `pkg-${pkg.id}`
  const usage = plans.data?.packages.find((p) => p.id === pkg.id)

  function save() {
    if (!pending) return
    update.mutate(
      { packageId: pkg.id, ...pending },
      {
        onSuccess: () => toast.success(`Price of ${pkg.name} saved`),
        onError: (err) => setError(errorMessage(err)),
      },
    )
    setPending(undefined)
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!money.test(hourly) || !money.test(cap)) return setError('Enter prices like 0.01 and 6.00.')
    const hourlyMinor = Math.round(Number(hourly) * 100)
    const monthlyCapMinor = Math.round(Number(cap) * 100)
    if (monthlyCapMinor < hourlyMinor) return setError('The monthly cap must be at least the hourly price.')
    setError(undefined)
    setPending({ hourlyMinor, monthlyCapMinor }) // confirm with the impact first
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-3 rounded-lg border bg-background/30 p-4 md:grid-cols-[1.5fr_1fr_1fr_auto] md:items-end" aria-label={`Price of ${pkg.name}`}>
      <div className="min-w-0">
        <p className="font-medium">{pkg.name}</p>
        <p className="text-xs text-muted-foreground">
          {pkg.cpuCores} vCPU · {formatMemory(pkg.memoryMb)} · {formatGb(pkg.storageGb)}{!pkg.price && ' · not for sale'}
        </p>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-hourly`}>Per hour (USD)</Label>
        <Input id={`${id}-hourly`} inputMode="decimal" value={hourly} onChange={(e) => setHourly(e.target.value)} aria-invalid={error ? true : undefined} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-cap`}>Monthly cap (USD)</Label>
        <Input id={`${id}-cap`} inputMode="decimal" value={cap} onChange={(e) => setCap(e.target.value)} aria-invalid={error ? true : undefined} />
      </div>
      <Button type="submit" variant="outline" disabled={update.isPending}>
        {update.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
        Save
      </Button>
      {error && <p className="text-xs font-medium text-destructive md:col-span-4" role="alert">{error}</p>}
      <PriceImpactDialog
        title={`Change the price of ${pkg.name}?`}
        impact={pending && priceImpact(pkg.name, pkg.price ?? undefined, pending, usage).text}
        onConfirm={save}
        onCancel={() => setPending(undefined)}
      />
    </form>
  )
}

/** PackagePricesEditor sets each plan's hourly price and monthly cap. */
export function PackagePricesEditor({ packages }: { packages: Package[] }) {
  return (
    <div className="grid gap-3">
      {packages.map((p) => (
        <PriceRow key={p.id} pkg={p} />
      ))}
    </div>
  )
}
