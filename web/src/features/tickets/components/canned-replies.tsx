import { useState, type FormEvent } from 'react'
import { TrashIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Textarea } from '@/components/ui/textarea'
import { ErrorAlert } from '@/components/error-alert'
import { errorMessage } from '@/lib/api-client'
import { useCannedReplies, useDeleteCanned, useSaveCanned } from '../api/staff'

/** CannedReplies lists, adds and deletes the team's canned replies (also the AI drafter's knowledge). */
export function CannedReplies() {
  const canned = useCannedReplies()
  const save = useSaveCanned()
  const remove = useDeleteCanned()
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const add = (e: FormEvent) => {
    e.preventDefault()
    if (!title.trim() || !body.trim()) return
    save.mutate({ title, body }, { onSuccess: () => (setTitle(''), setBody(''), toast.success('Canned reply saved.')) })
  }
  return (
    <div className="grid gap-4">
      {canned.isError && <ErrorAlert error={canned.error} title="Couldn't load canned replies" />}
      <ul className="grid gap-2" aria-label="Canned replies">
        {canned.data?.items.map((c) => (
          <li key={c.id} className="flex items-start justify-between gap-2 rounded-lg border p-3">
            <div className="min-w-0">
              <p className="font-medium">{c.title}</p>
              <p className="line-clamp-2 text-sm text-muted-foreground">{c.body}</p>
            </div>
            <Button
              variant="ghost"
              size="icon"
              className="size-10 shrink-0"
              aria-label={`Delete ${c.title}`}
              onClick={() => remove.mutate(c.id, { onError: (e) => toast.error(errorMessage(e)) })}
            >
              <TrashIcon aria-hidden="true" />
            </Button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="grid gap-2" aria-label="New canned reply">
        <Label htmlFor="canned-title">Title</Label>
        <Input id="canned-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <Label htmlFor="canned-body">Text</Label>
        <Textarea id="canned-body" rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
        {save.isError && <ErrorAlert error={save.error} title="Couldn't save" />}
        <Button type="submit" variant="outline" className="min-h-10 justify-self-start" disabled={save.isPending || !title.trim() || !body.trim()}>
          Add canned reply
        </Button>
      </form>
    </div>
  )
}
