import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { ErrorAlert } from '@/components/error-alert'
import { PageHeader } from '@/components/page-header'
import { useTicket, useTicketAction } from '../api/customer'
import { label, StatusBadge } from './labels'
import { Thread } from './thread'

/** CustomerTicket is one of the customer's tickets: the thread, a reply box, close and reopen. */
export function CustomerTicket({ id }: { id: string }) {
  const ticket = useTicket(id)
  const action = useTicketAction(id)
  const [body, setBody] = useState('')
  if (ticket.isPending) return <Skeleton className="h-64 w-full" />
  if (ticket.isError) return <ErrorAlert error={ticket.error} title="Couldn't load the ticket" onRetry={() => ticket.refetch()} />
  const t = ticket.data.ticket!
  const closed = t.status === 'closed'

  const send = (e: FormEvent) => {
    e.preventDefault()
    if (!body.trim()) return
    action.mutate({ kind: 'reply', body }, { onSuccess: () => setBody('') })
  }
  const setStatus = (kind: 'close' | 'reopen') =>
    action.mutate({ kind }, { onSuccess: () => toast.success(kind === 'close' ? 'Ticket closed.' : 'Ticket reopened.') })

  return (
    <div className="grid gap-6">
      <PageHeader
        title={t.subject}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={t.status} /> {label(t.category)} · {label(t.priority)} priority
            {t.serverName && <> · Server {t.serverName}</>}
          </span>
        }
        actions={
          closed ? (
            <Button variant="outline" className="min-h-10" onClick={() => setStatus('reopen')} disabled={action.isPending}>
              Reopen ticket
            </Button>
          ) : (
            <Button variant="outline" className="min-h-10" onClick={() => setStatus('close')} disabled={action.isPending}>
              Close ticket
            </Button>
          )
        }
      />
      <Thread messages={ticket.data.messages} viewer="customer" />
      {closed ? (
        <p className="text-sm text-muted-foreground">This ticket is closed. Reopen it to write again.</p>
      ) : (
        <form onSubmit={send} className="grid gap-2" aria-label="Reply">
          <Label htmlFor="reply-body">Your reply</Label>
          <Textarea id="reply-body" rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
          {action.isError && <ErrorAlert error={action.error} title="Couldn't send" />}
          <Button type="submit" className="min-h-10 justify-self-start" disabled={action.isPending || !body.trim()}>
            Send reply
          </Button>
        </form>
      )}
    </div>
  )
}
