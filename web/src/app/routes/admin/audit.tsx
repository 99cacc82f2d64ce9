import { Card, CardContent } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { AuditLog } from '@/features/admin/components/audit-log'

/** AdminAuditRoute is the audit log viewer. */
export default function AdminAuditRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader title="Audit log" description="Admin actions and sign-ins: who, what, when, and what changed." />
      <Card>
        <CardContent>
          <AuditLog />
        </CardContent>
      </Card>
    </div>
  )
}
