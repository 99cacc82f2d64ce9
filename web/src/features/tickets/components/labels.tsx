import { Badge } from '@/components/ui/badge'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import type { Ticket } from '@/types/api'

export const categories = ['billing', 'technical', 'sales', 'abuse'] as const
export const priorities = ['low', 'normal', 'high', 'urgent'] as const
export const statuses = ['open', 'pending', 'closed'] as const

export const label = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** StatusBadge shows a ticket's status. */
export function StatusBadge({ status }: { status: Ticket['status'] }) {
  const variant = status === 'closed' ? 'secondary' : status === 'pending' ? 'outline' : 'default'
  return <Badge variant={variant}>{label(status)}</Badge>
}

/** ChoiceField is a labelled select over one of the ticket vocabularies above. */
export function ChoiceField<T extends string>(props: {
  id: string
  title: string
  choices: readonly T[]
  value: string
  onChange: (v: T) => void
  disabled?: boolean
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={props.id}>{props.title}</Label>
      <NativeSelect id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as T)} disabled={props.disabled}>
        {props.choices.map((c) => (
          <option key={c} value={c}>
            {label(c)}
          </option>
        ))}
      </NativeSelect>
    </div>
  )
}
