import { Link } from 'wouter'
import { ChevronLeftIcon } from 'lucide-react'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { useAddonPrices } from '@/features/admin/api/addon-prices'
import { AddonPricesEditor } from '@/features/admin/components/addon-prices-editor'
import { FirewallPresetsCard } from '@/features/admin/components/firewall-presets-card'
import { PackagePricesEditor } from '@/features/admin/components/package-prices-editor'
import { PlansTable } from '@/features/admin/components/plans-table'
import { usePackages } from '@/features/catalog/api/get-packages'

/** AdminPackagesRoute edits plan prices. */
export default function AdminPackagesRoute() {
  const q = usePackages()
  const addons = useAddonPrices()
  return (
    <div className="grid gap-6">
      <Link href={paths.admin} className="flex w-fit items-center gap-1 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50">
        <ChevronLeftIcon className="size-4" aria-hidden="true" /> Users
      </Link>
      <PageHeader title="Package prices" description="What customers pay per hour, and the most they pay in a month." />
      <Card>
        <CardHeader>
          <CardTitle>Plans</CardTitle>
          <CardDescription>New orders pay the new price; running servers keep the price they were ordered at. You confirm each change after seeing its impact.</CardDescription>
        </CardHeader>
        <CardContent>
          {q.isPending ? (
            <div className="grid gap-3" aria-busy="true" aria-label="Loading plans">
              <Skeleton className="h-20" />
              <Skeleton className="h-20" />
            </div>
          ) : q.isError ? (
            <ErrorAlert error={q.error} title="Couldn't load plans" onRetry={() => q.refetch()} />
          ) : (
            <PackagePricesEditor packages={q.data} />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Add-ons</CardTitle>
          <CardDescription>Backup plans and extra IPv4 addresses, charged hourly with each server as lines of their own.</CardDescription>
        </CardHeader>
        <CardContent>
          {addons.isPending ? (
            <Skeleton className="h-20" aria-label="Loading add-on prices" />
          ) : addons.isError ? (
            <ErrorAlert error={addons.error} title="Couldn't load add-on prices" onRetry={() => addons.refetch()} />
          ) : (
            <AddonPricesEditor prices={addons.data} />
          )}
        </CardContent>
      </Card>
      <FirewallPresetsCard />
      <Card>
        <CardHeader>
          <CardTitle>Plans in VirtFusion</CardTitle>
          <CardDescription>Every package, priced or not: hide a plan from ordering or take it off sale.</CardDescription>
        </CardHeader>
        <CardContent>
          <PlansTable />
        </CardContent>
      </Card>
    </div>
  )
}
