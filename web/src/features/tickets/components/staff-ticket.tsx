import { useState, type FormEvent } from 'react'
import { SparklesIcon } from 'lucide-react'
import { Link } from 'wouter'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { ErrorAlert } from '@/components/error-alert'
import { PageHeader } from '@/components/page-header'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime, formatMoney } from '@/lib/format'
import { useCannedReplies, useChangeTicket, useCustomerContext, useDraftReply, useStaffReply, useStaffTicket } from '../api/staff'
import { ChoiceField, label, priorities, StatusBadge, statuses } from './labels'
import { Thread } from './thread'

/** StaffTicket is the help desk's view of a ticket: thread, reply box (canned replies, AI draft, internal notes), triage and the customer's context. */
export function StaffTicket({ id, userHref }: { id: string; userHref: (userId: string) => string }) {
  const ticket = useStaffTicket(id)
  if (ticket.isPending) return <Skeleton className="h-64 w-full" />
  if (ticket.isError) return <ErrorAlert error={ticket.error} title="Couldn't load the ticket" onRetry={() => ticket.refetch()} />
  const t = ticket.data.ticket!
  return (
    <div className="grid gap-6">
      <PageHeader
        title={t.subject}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={t.status} /> {label(t.category)} · {t.email}
            {t.serverName && <> · Server {t.serverName}</>}
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="grid min-w-0 content-start gap-6">
          <Thread messages={ticket.data.messages} viewer="staff" />
          <ReplyBox id={id} />
        </div>
        <div className="grid min-w-0 content-start gap-6">
          <Triage id={id} status={t.status} priority={t.priority} assignee={t.assigneeName} />
          <ContextPanel id={id} userHref={userHref(t.userId)} />
        </div>
      </div>
    </div>
  )
}

function ReplyBox({ id }: { id: string }) {
  const reply = useStaffReply(id)
  const draft = useDraftReply(id)
  const canned = useCannedReplies()
  const [body, setBody] = useState('')
  const [internal, setInternal] = useState(false)

  const send = (e: FormEvent) => {
    e.preventDefault()
    if (!body.trim()) return
    reply.mutate(
      { body, internal },
      { onSuccess: () => (setBody(''), setInternal(false), toast.success(internal ? 'Note added.' : 'Reply sent.')) },
    )
  }
  const askAI = () => draft.mutate(undefined, { onSuccess: (d) => setBody(d.text) })

  return (
    <form onSubmit={send} className="grid gap-3" aria-label="Reply to customer">
      <div className="flex flex-wrap items-end gap-2">
        <div className="grid min-w-0 flex-1 gap-2">
          <Label htmlFor="canned">Canned reply</Label>
          <NativeSelect
            id="canned"
            value=""
            onChange={(e) => {
              const c = canned.data?.items.find((x) => x.id === e.target.value)
              if (c) setBody((b) => (b.trim() ? `${b}\n\n${c.body}` : c.body))
            }}
          >
            <option value="">Insert a canned reply…</option>
            {canned.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="button" variant="outline" className="min-h-10" onClick={askAI} disabled={draft.isPending}>
          <SparklesIcon aria-hidden="true" /> {draft.isPending ? 'Drafting…' : 'Draft with AI'}
        </Button>
      </div>
      {draft.isError && (
        <p role="alert" className="text-sm text-destructive">
          AI draft failed: {errorMessage(draft.error)}
        </p>
      )}
      <Label htmlFor="staff-reply">{internal ? 'Internal note (the customer never sees it)' : 'Reply'}</Label>
      <Textarea id="staff-reply" rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
      {draft.isSuccess && body && (
        <p className="text-xs text-muted-foreground">AI draft from {draft.data.model}: check and edit it before sending.</p>
      )}
      <label className="flex min-h-10 items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-primary" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
        Internal note
      </label>
      {reply.isError && <ErrorAlert error={reply.error} title="Couldn't send" />}
      <Button type="submit" className="min-h-10 justify-self-start" disabled={reply.isPending || !body.trim()}>
        {internal ? 'Add note' : 'Send reply'}
      </Button>
    </form>
  )
}

function Triage({ id, status, priority, assignee }: { id: string; status: string; priority: string; assignee: string }) {
  const change = useChangeTicket(id)
  const apply = (c: { status?: string; priority?: string; assignee?: string }, done: string) =>
    change.mutate(c, { onSuccess: () => toast.success(done), onError: (e) => toast.error(errorMessage(e)) })
  return (
    <Card>
      <CardHeader>
        <CardTitle>Triage</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <ChoiceField id="triage-status" title="Status" choices={statuses} value={status} onChange={(v) => apply({ status: v }, 'Status changed.')} disabled={change.isPending} />
        <ChoiceField id="triage-priority" title="Priority" choices={priorities} value={priority} onChange={(v) => apply({ priority: v }, 'Priority changed.')} disabled={change.isPending} />
        <p className="text-sm">Assigned to {assignee || 'nobody'}</p>
        <div className="flex flex-wrap gap-2">
          <Button variant="outline" className="min-h-10" onClick={() => apply({ assignee: 'me' }, 'Assigned to you.')} disabled={change.isPending}>
            Assign to me
          </Button>
          {assignee && (
            <Button variant="ghost" className="min-h-10" onClick={() => apply({ assignee: '' }, 'Unassigned.')} disabled={change.isPending}>
              Unassign
            </Button>
          )}
        </div>
      </CardContent>
    </Card>
  )
}

function ContextPanel({ id, userHref }: { id: string; userHref: string }) {
  const ctx = useCustomerContext(id)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Customer</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {ctx.isPending && <Skeleton className="h-32 w-full" />}
        {ctx.isError && <ErrorAlert error={ctx.error} title="Couldn't load the customer" onRetry={() => ctx.refetch()} />}
        {ctx.data && (
          <>
            <div className="grid gap-1">
              <Link href={userHref} className="font-medium text-primary underline-offset-2 hover:underline">
                {ctx.data.user.name || ctx.data.user.email}
              </Link>
              <span className="text-muted-foreground">{ctx.data.user.email}</span>
              <span>
                Balance <strong>{formatMoney(ctx.data.balanceMinor, ctx.data.currency)}</strong>
              </span>
            </div>
            <section aria-label="Servers" className="grid gap-1">
              <h3 className="font-medium">Servers</h3>
              {ctx.data.servers.length === 0 && <p className="text-muted-foreground">None</p>}
              <ul className="grid gap-1">
                {ctx.data.servers.map((s) => (
                  <li key={s.id} className="flex justify-between gap-2">
                    <span className="truncate">{s.name}</span>
                    <span className="text-muted-foreground">
                      {s.state}
                      {s.suspended && ', suspended'}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-label="Recent payments" className="grid gap-1">
              <h3 className="font-medium">Recent payments</h3>
              {ctx.data.payments.length === 0 && <p className="text-muted-foreground">None</p>}
              <ul className="grid gap-1">
                {ctx.data.payments.map((p) => (
                  <li key={p.id} className="flex justify-between gap-2">
                    <span>{formatDateTime(p.createdAt)}</span>
                    <span>{formatMoney(p.amountMinor, p.currency)}</span>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-label="Recent activity" className="grid gap-1">
              <h3 className="font-medium">Recent activity</h3>
              {ctx.data.activity.length === 0 && <p className="text-muted-foreground">None</p>}
              <ul className="grid gap-1">
                {ctx.data.activity.map((a) => (
                  <li key={a.id} className="text-muted-foreground">
                    {formatDateTime(a.at)} · {a.action} {a.target}
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </CardContent>
    </Card>
  )
}
