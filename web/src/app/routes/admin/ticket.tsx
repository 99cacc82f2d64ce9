import { Link, useParams } from 'wouter'
import { ArrowLeftIcon } from 'lucide-react'
import { paths } from '@/config/paths'
import { StaffTicket } from '@/features/tickets/components/staff-ticket'

/** AdminTicketRoute is one ticket in the help desk, with the customer's context. */
export default function AdminTicketRoute() {
  const { id } = useParams<{ id: string }>()
  return (
    <div className="grid gap-4">
      <Link href={paths.adminTickets} className="inline-flex min-h-10 items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeftIcon className="size-4" aria-hidden="true" /> Queue
      </Link>
      <StaffTicket id={id} userHref={paths.adminUser} />
    </div>
  )
}
