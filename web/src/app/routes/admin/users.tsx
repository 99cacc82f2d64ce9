import { Link } from 'wouter'
import { PackageIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { UsersTable } from '@/features/admin/components/users-table'

/** AdminUsersRoute lists all customers. */
export default function AdminUsersRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Users"
        description="Every account, with balance and server count."
        actions={
          <Button asChild variant="outline">
            <Link href={paths.adminPackages}>
              <PackageIcon aria-hidden="true" /> Package prices
            </Link>
          </Button>
        }
      />
      <Card>
        <CardContent>
          <UsersTable />
        </CardContent>
      </Card>
    </div>
  )
}
