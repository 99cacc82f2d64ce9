import { Card, CardContent } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { WebhooksTable } from '@/features/admin/components/webhooks-table'

/** AdminWebhooksRoute lists PayPal and VirtFusion webhook deliveries (30 days) and re-processes them. */
export default function AdminWebhooksRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Webhooks"
        description="PayPal and VirtFusion deliveries of the last 30 days, secrets redacted. Re-processing is safe: nothing is applied twice."
      />
      <Card>
        <CardContent className="pt-6">
          <WebhooksTable />
        </CardContent>
      </Card>
    </div>
  )
}
