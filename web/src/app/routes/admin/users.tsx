import { Card, CardContent } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { UsersTable } from '@/features/admin/components/users-table'
import { RebuildIndexButton } from '@/features/admin/components/rebuild-index-button'

/** AdminUsersRoute lists all customers. */
export default function AdminUsersRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Users"
        description="Find any account by email, name or id; filter by role, access and balance."
        actions={<RebuildIndexButton />}
      />
      <Card>
        <CardContent>
          <UsersTable />
        </CardContent>
      </Card>
    </div>
  )
}
