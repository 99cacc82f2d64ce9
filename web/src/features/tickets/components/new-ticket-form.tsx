import { useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Textarea } from '@/components/ui/textarea'
import { isApiError } from '@/lib/api-client'
import { ErrorAlert } from '@/components/error-alert'
import { newTicketSchema, useCreateTicket, type NewTicketInput } from '../api/customer'
import { categories, ChoiceField, priorities } from './labels'

/** NewTicketForm opens a ticket, optionally about one of the customer's servers. */
export function NewTicketForm({ servers, onCreated }: { servers: { id: number; name: string }[]; onCreated: (id: string) => void }) {
  const create = useCreateTicket()
  const [input, setInput] = useState<NewTicketInput>({ subject: '', category: 'technical', priority: 'normal', serverId: 0, body: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = <K extends keyof NewTicketInput>(k: K, v: NewTicketInput[K]) => setInput((s) => ({ ...s, [k]: v }))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const parsed = newTicketSchema.safeParse(input)
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])))
      return
    }
    setErrors({})
    create.mutate(parsed.data, { onSuccess: (t) => onCreated(t.ticket!.id) })
  }
  const fieldErrors = { ...(isApiError(create.error) ? create.error.fields : {}), ...errors }
  const err = (k: string) =>
    fieldErrors[k] ? (
      <p id={`ticket-${k}-error`} className="text-sm text-destructive">
        {fieldErrors[k]}
      </p>
    ) : null

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate aria-label="New ticket">
      <div className="grid gap-2">
        <Label htmlFor="ticket-subject">Subject</Label>
        <Input id="ticket-subject" value={input.subject} onChange={(e) => set('subject', e.target.value)} aria-invalid={!!fieldErrors.subject} aria-describedby={fieldErrors.subject ? 'ticket-subject-error' : undefined} />
        {err('subject')}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <ChoiceField id="ticket-category" title="Category" choices={categories} value={input.category} onChange={(v) => set('category', v)} />
        <ChoiceField id="ticket-priority" title="Priority" choices={priorities} value={input.priority} onChange={(v) => set('priority', v)} />
        <div className="grid gap-2">
          <Label htmlFor="ticket-server">Server</Label>
          <NativeSelect id="ticket-server" value={String(input.serverId)} onChange={(e) => set('serverId', Number(e.target.value))}>
            <option value="0">None</option>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NativeSelect>
          {err('serverId')}
        </div>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="ticket-body">Message</Label>
        <Textarea id="ticket-body" rows={6} value={input.body} onChange={(e) => set('body', e.target.value)} aria-invalid={!!fieldErrors.body} aria-describedby={fieldErrors.body ? 'ticket-body-error' : 'ticket-body-hint'} />
        <p id="ticket-body-hint" className="text-xs text-muted-foreground">
          Markdown works: **bold**, `code`, lists and links.
        </p>
        {err('body')}
      </div>
      {create.isError && !(isApiError(create.error) && create.error.code === 'invalid') && <ErrorAlert error={create.error} title="Couldn't open the ticket" />}
      <Button type="submit" className="min-h-10 justify-self-start" disabled={create.isPending}>
        {create.isPending ? 'Opening…' : 'Open ticket'}
      </Button>
    </form>
  )
}
