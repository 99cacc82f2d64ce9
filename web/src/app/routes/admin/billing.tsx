import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { useRevenue } from '@/features/admin/api/payments'
import { BillingRunsTable } from '@/features/admin/components/billing-runs-table'
import { BillingStateTable } from '@/features/admin/components/billing-state-table'
import { RerunForm } from '@/features/admin/components/rerun-form'

/** AdminBillingRoute shows the hourly billing runs, re-runs an hour, and each server's billing state. */
export default function AdminBillingRoute() {
  const currency = useRevenue().data?.currency
  return (
    <div className="grid gap-6">
      <PageHeader title="Billing" description="Hourly billing runs, re-running an hour, and each server's billing state." />
      <Card>
        <CardHeader>
          <CardTitle>Runs</CardTitle>
          <CardDescription>Each hourly run with what it charged, skipped and failed.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          <RerunForm currency={currency} />
          <BillingRunsTable currency={currency} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Servers</CardTitle>
          <CardDescription>Where billing stands for every server, including those VirtFusion has and billing does not.</CardDescription>
        </CardHeader>
        <CardContent>
          <BillingStateTable currency={currency} />
        </CardContent>
      </Card>
    </div>
  )
}
