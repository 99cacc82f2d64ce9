import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { toast } from 'sonner'
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useDebounced } from '@/hooks/use-debounced'
import { errorMessage } from '@/lib/api-client'
import { cn } from '@/lib/utils'
import type { ConsoleServer } from '@/types/api'
import { useTransferServer } from '../api/get-servers'
import { adminKeys, getUsers } from '../api/get-users'

/** TransferDialog gives a server to another customer, found by the user search. */
export function TransferDialog({ server, open, onOpenChange }: { server: ConsoleServer; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [search, setSearch] = useState('')
  const [to, setTo] = useState<{ id: string; label: string } | null>(null)
  const q = useDebounced(search.trim())
  const found = useQuery({
    queryKey: adminKeys.userList({ q }),
    queryFn: () => getUsers({ q }),
    enabled: q.length >= 2,
  })
  const transfer = useTransferServer()
  const candidates = (found.data?.items ?? []).filter((u) => u.id !== server.owner?.id && !u.blocked)
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Transfer {server.name}</AlertDialogTitle>
          <AlertDialogDescription>
            The server moves to the chosen customer in VirtFusion, and its billing moves with it from the next hour. Now: {server.owner?.email || `VirtFusion user ${server.ownerVfId}`}.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <div className="grid gap-1.5">
          <Label htmlFor="transfer-search">New owner</Label>
          <Input id="transfer-search" type="search" className="h-10" placeholder="Email, name or id" value={search} onChange={(e) => setSearch(e.target.value)} />
          {q.length >= 2 && (
            <ul role="listbox" aria-label="Customers" className="grid max-h-48 gap-1 overflow-y-auto">
              {candidates.length === 0 && !found.isFetching && <li className="px-2 py-1 text-sm text-muted-foreground">No customer found.</li>}
              {candidates.map((u) => (
                <li
                  key={u.id}
                  role="option"
                  aria-selected={to?.id === u.id}
                  tabIndex={0}
                  onClick={() => setTo({ id: u.id, label: u.email })}
                  onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), setTo({ id: u.id, label: u.email }))}
                  className={cn(
                    'flex min-h-10 cursor-pointer flex-col justify-center rounded-md px-2 text-sm outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50',
                    to?.id === u.id && 'bg-primary/15',
                  )}
                >
                  <span className="font-medium">{u.name || u.email}</span>
                  <span className="text-xs text-muted-foreground">{u.email}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={!to || transfer.isPending}
            onClick={(e) => {
              // Stay open until the answer, so its outcome is reported here.
              e.preventDefault()
              if (!to) return
              transfer.mutate(
                { id: server.id, userId: to.id },
                {
                  onSuccess: () => {
                    toast.success(`${server.name} now belongs to ${to.label}`)
                    onOpenChange(false)
                  },
                  onError: (err) => toast.error(errorMessage(err)),
                },
              )
            }}
          >
            Transfer{to ? ` to ${to.label}` : ''}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}
