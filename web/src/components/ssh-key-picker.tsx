import { KeyRoundIcon } from 'lucide-react'
import { Checkbox } from '@/components/ui/checkbox'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import type { SshKey } from '@/types/api'

/** SshKeyPicker selects any number of saved SSH keys to install on a server. */
export function SshKeyPicker({
  keys,
  value,
  onChange,
  loading,
  emptyHint,
}: {
  keys: SshKey[] | undefined
  value: number[]
  onChange: (ids: number[]) => void
  loading?: boolean
  emptyHint?: React.ReactNode
}) {
  if (loading) return <Skeleton className="h-14 w-full" />
  if (!keys || keys.length === 0)
    return (
      <p className="flex items-center gap-2 rounded-lg border border-dashed p-3 text-sm text-muted-foreground">
        <KeyRoundIcon className="size-4" aria-hidden="true" />
        {emptyHint ?? 'No SSH keys saved. You can sign in with the root password.'}
      </p>
    )
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-2 text-sm font-medium">SSH keys</legend>
      {keys.map((k) => {
        const id = `ssh-key-${k.id}`
        const checked = value.includes(k.id)
        return (
          <div key={k.id} className="flex items-center gap-3 rounded-lg border bg-background/30 p-3 has-[[data-state=checked]]:border-primary/60">
            <Checkbox
              id={id}
              checked={checked}
              onCheckedChange={(c) => onChange(c === true ? [...value, k.id] : value.filter((v) => v !== k.id))}
            />
            <Label htmlFor={id} className="grid min-w-0 flex-1 cursor-pointer gap-1">
              <span>{k.name}</span>
              <span className="truncate font-mono text-xs font-normal text-muted-foreground">
                {k.type} · {k.fingerprint}
              </span>
            </Label>
          </div>
        )
      })}
    </fieldset>
  )
}
