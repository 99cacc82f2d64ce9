import { Card, CardContent } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { ServersTable } from '@/features/admin/components/servers-table'

/** AdminServersRoute is every server across customers. */
export default function AdminServersRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader title="Servers" description="Every server in VirtFusion and in billing, across customers." />
      <Card>
        <CardContent>
          <ServersTable />
        </CardContent>
      </Card>
    </div>
  )
}
