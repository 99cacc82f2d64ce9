import { useState } from 'react'
import { LifeBuoyIcon } from 'lucide-react'
import { useLocation } from 'wouter'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { useServers } from '@/features/servers/api/get-servers'
import { useMyTickets } from '@/features/tickets/api/customer'
import { label, statuses } from '@/features/tickets/components/labels'
import { NewTicketForm } from '@/features/tickets/components/new-ticket-form'
import { TicketList } from '@/features/tickets/components/ticket-list'

/** SupportRoute lists the customer's tickets and opens new ones. */
export default function SupportRoute() {
  const [status, setStatus] = useState('')
  const [creating, setCreating] = useState(false)
  const [, navigate] = useLocation()
  const tickets = useMyTickets(status)
  const servers = useServers()
  const items = tickets.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Support"
        description="Ask us anything about billing, your servers or your account."
        actions={
          !creating && (
            <Button className="min-h-10" onClick={() => setCreating(true)}>
              New ticket
            </Button>
          )
        }
      />
      {creating && (
        <Card>
          <CardHeader>
            <CardTitle>New ticket</CardTitle>
          </CardHeader>
          <CardContent>
            <NewTicketForm servers={(servers.data?.servers ?? []).map((s) => ({ id: s.id, name: s.name }))} onCreated={(id) => navigate(paths.supportTicket(id))} />
          </CardContent>
        </Card>
      )}
      <div className="flex flex-wrap gap-2" role="group" aria-label="Filter by status">
        {['', ...statuses].map((s) => (
          <Button key={s} variant={status === s ? 'default' : 'outline'} className="min-h-10" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {s ? label(s) : 'All'}
          </Button>
        ))}
      </div>
      {tickets.isPending && <Skeleton className="h-40 w-full" />}
      {tickets.isError && <ErrorAlert error={tickets.error} title="Couldn't load your tickets" onRetry={() => tickets.refetch()} />}
      {tickets.isSuccess && items.length === 0 && (
        <EmptyState icon={LifeBuoyIcon} title="No tickets" description={status ? `You have no ${status} tickets.` : 'When you need help, open a ticket.'} />
      )}
      {items.length > 0 && <TicketList tickets={items} href={paths.supportTicket} />}
      {tickets.hasNextPage && (
        <Button variant="outline" className="min-h-10 justify-self-center" onClick={() => tickets.fetchNextPage()} disabled={tickets.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </div>
  )
}
