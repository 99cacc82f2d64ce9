import { Link } from 'wouter'
import { Card, CardContent } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { OverviewFigures } from '@/features/admin/components/overview-figures'
import { adminSections } from '../../layout/admin-layout'

/** AdminOverviewRoute is the operator console's front page: every section, one tap away. */
export default function AdminOverviewRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader title="Admin console" description="Run the hosting business: customers, servers, money and the record of who did what." />
      <OverviewFigures />
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Sections">
        {adminSections
          .filter((s) => !s.exact)
          .map((s) => (
            <li key={s.href}>
              <Card className="h-full">
                <CardContent>
                  <Link href={s.href} className="flex min-h-10 items-center gap-3 rounded-md font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
                    <s.icon className="size-5 text-primary" aria-hidden="true" />
                    {s.label}
                  </Link>
                </CardContent>
              </Card>
            </li>
          ))}
      </ul>
    </div>
  )
}
