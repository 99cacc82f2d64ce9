import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { formatMemory } from '@/lib/format'
import type { Package } from '@/types/api'
import { useUpdatePackagePrice } from '../api/update-package-price'

const toDollars = (minor?: number) => (minor === undefined ? '' : (minor / 100).toFixed(2))
const money = /^\d+(\.\d{1,2})?$/

function PriceRow({ pkg }: { pkg: Package }) {
  const [hourly, setHourly] = useState(toDollars(pkg.price?.hourlyMinor))
  const [cap, setCap] = useState(toDollars(pkg.price?.monthlyCapMinor))
  const [error, setError] = useState<string>()
  const update = useUpdatePackagePrice()
  const id = `pkg-${pkg.id}`

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!money.test(hourly) || !money.test(cap)) return setError('Enter prices like 0.01 and 6.00.')
    const hourlyMinor = Math.round(Number(hourly) * 100)
    const monthlyCapMinor = Math.round(Number(cap) * 100)
    if (monthlyCapMinor < hourlyMinor) return setError('The monthly cap must be at least the hourly price.')
    setError(undefined)
    update.mutate(
      { packageId: pkg.id, hourlyMinor, monthlyCapMinor },
      {
        onSuccess: () => toast.success(`Price of ${pkg.name} saved`),
        onError: (err) => setError(errorMessage(err)),
      },
    )
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-3 rounded-lg border bg-background/30 p-4 md:grid-cols-[1.5fr_1fr_1fr_auto] md:items-end" aria-label={`Price of ${pkg.name}`}>
      <div className="min-w-0">
        <p className="font-medium">{pkg.name}</p>
        <p className="text-xs text-muted-foreground">
          {pkg.cpuCores} vCPU · {formatMemory(pkg.memoryMb)} · {pkg.storageGb} GB{!pkg.price && ' · not for sale'}
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
