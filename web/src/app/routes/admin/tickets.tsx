import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { CannedReplies } from '@/features/tickets/components/canned-replies'
import { Queue } from '@/features/tickets/components/queue'

/** AdminTicketsRoute is the support queue and the team's canned replies. */
export default function AdminTicketsRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader title="Tickets" description="The support queue, latest activity first." />
      <Queue href={paths.adminTicket} />
      <Card>
        <CardHeader>
          <CardTitle>Canned replies</CardTitle>
          <CardDescription>Saved answers to insert in replies; the AI drafter uses them as the company's knowledge.</CardDescription>
        </CardHeader>
        <CardContent>
          <CannedReplies />
        </CardContent>
      </Card>
    </div>
  )
}
