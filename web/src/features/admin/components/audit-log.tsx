import { useState, type FormEvent } from 'react'
import { ScrollTextIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { useAudit, type AuditFilters } from '../api/get-audit'
import { AuditRows } from './user-records'

const fields: { key: keyof AuditFilters; label: string; type?: string; placeholder?: string }[] = [
  { key: 'actor', label: 'Actor', placeholder: 'email or user id' },
  { key: 'user', label: 'Account', placeholder: 'email or user id' },
  { key: 'action', label: 'Action', placeholder: 'admin. or auth.signin' },
  { key: 'target', label: 'Target', placeholder: 'server:12' },
  { key: 'from', label: 'From', type: 'date' },
  { key: 'to', label: 'To', type: 'date' },
]

/** AuditLog is every admin action and sign-in, filtered on the server, newest first. */
export function AuditLog() {
  const [draft, setDraft] = useState<AuditFilters>({})
  const [filters, setFilters] = useState<AuditFilters>({})
  const q = useAudit(filters)
  const items = q.data?.pages.flatMap((p) => p.items) ?? []
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setFilters(draft)
  }
  return (
    <div className="grid gap-4">
      <form aria-label="Audit filters" onSubmit={submit} className="grid gap-3 sm:grid-cols-3 lg:grid-cols-[repeat(6,minmax(0,1fr))_auto] lg:items-end">
        {fields.map((f) => (
          <div key={f.key} className="grid gap-1.5">
            <Label htmlFor={`audit-${f.key}`}>{f.label}</Label>
            <Input
              id={`audit-${f.key}`}
              type={f.type ?? 'text'}
              className="h-10"
              placeholder={f.placeholder}
              value={draft[f.key] ?? ''}
              onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
            />
          </div>
        ))}
        <Button type="submit" className="h-10">
          Filter
        </Button>
      </form>
      {q.isPending ? (
        <div className="grid gap-2" aria-busy="true" aria-label="Loading the audit log">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-11" />
          ))}
        </div>
      ) : q.isError ? (
        <ErrorAlert error={q.error} title="Couldn't load the audit log" onRetry={() => q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState icon={ScrollTextIcon} title="No entries match" />
      ) : (
        <AuditRows label="Audit log" items={items} showUser />
      )}
      {q.hasNextPage && (
        <Button variant="outline" className="h-10 justify-self-center" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
          {q.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </Button>
      )}
    </div>
  )
}
