import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { RevenueTable } from '@/features/admin/components/revenue-table'
import { TopupsTable } from '@/features/admin/components/topups-table'

/** AdminPaymentsRoute lists PayPal top-ups (refundable) and revenue by month. */
export default function AdminPaymentsRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader title="Payments" description="PayPal top-ups with their ids, refunds, and revenue by month." />
      <Card>
        <CardHeader>
          <CardTitle>Top-ups</CardTitle>
        </CardHeader>
        <CardContent>
          <TopupsTable />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Revenue</CardTitle>
        </CardHeader>
        <CardContent>
          <RevenueTable />
        </CardContent>
      </Card>
    </div>
  )
}
