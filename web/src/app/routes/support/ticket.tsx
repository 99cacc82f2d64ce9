import { Link, useParams } from 'wouter'
import { ArrowLeftIcon } from 'lucide-react'
import { paths } from '@/config/paths'
import { CustomerTicket } from '@/features/tickets/components/customer-ticket'

/** SupportTicketRoute is one of the customer's tickets. */
export default function SupportTicketRoute() {
  const { id } = useParams<{ id: string }>()
  return (
    <div className="grid gap-4">
      <Link href={paths.support} className="inline-flex min-h-10 items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeftIcon className="size-4" aria-hidden="true" /> All tickets
      </Link>
      <CustomerTicket id={id} />
    </div>
  )
}
