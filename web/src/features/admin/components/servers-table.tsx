import { useState } from 'react'
import { Link } from 'wouter'
import { MoreHorizontalIcon, ServerIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
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
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { paths } from '@/config/paths'
import { errorMessage } from '@/lib/api-client'
import { formatDate, formatMoney } from '@/lib/format'
import type { ConsoleServer } from '@/types/api'
import { useAdminServers, useDeleteServer, usePowerServer, useSuspendServer, type ServerFilters } from '../api/get-servers'
import { TransferDialog } from './transfer-dialog'

const fail = (err: unknown) => toast.error(errorMessage(err))

type Dialog = { kind: 'transfer' | 'delete' | 'suspend' | 'poweroff'; server: ConsoleServer } | null

/** ServersTable is every server across customers, filtered, sorted and paged by the server. */
export function ServersTable() {
  const [f, setF] = useState<ServerFilters>({ state: '', suspended: '', unbilled: '', sort: '-id' })
  const [cursors, setCursors] = useState<string[]>([])
  const list = useAdminServers({ ...f, cursor: cursors.at(-1) })
  const set = (patch: Partial<ServerFilters>) => {
    setCursors([])
    setF((x) => ({ ...x, ...patch }))
  }
  const [dialog, setDialog] = useState<Dialog>(null)
  const [confirm, setConfirm] = useState('')
  const power = usePowerServer()
  const suspend = useSuspendServer()
  const del = useDeleteServer()
  const close = () => {
    setDialog(null)
    setConfirm('')
  }
  const select = (id: string, label: string, key: keyof ServerFilters, options: [string, string][]) => (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <NativeSelect id={id} value={f[key] ?? ''} onChange={(e) => set({ [key]: e.target.value })}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </NativeSelect>
    </div>
  )
  const rows = list.data?.items ?? []
  return (
    <div className="grid gap-4">
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
        {select('srv-state', 'State', 'state', [
          ['', 'Any state'],
          ['complete', 'Built'],
          ['building', 'Building'],
          ['gone', 'Gone from VirtFusion'],
        ])}
        {select('srv-suspended', 'Suspended', 'suspended', [
          ['', 'Any'],
          ['true', 'Suspended'],
          ['false', 'Not suspended'],
        ])}
        {select('srv-unbilled', 'Billing', 'unbilled', [
          ['', 'Any'],
          ['true', 'Unbilled'],
          ['false', 'Billed'],
        ])}
        <div className="grid gap-1.5">
          <Label htmlFor="srv-owner">Owner (user id)</Label>
          <Input id="srv-owner" className="h-10" value={f.owner ?? ''} onChange={(e) => set({ owner: e.target.value.trim() })} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="srv-package">Package id</Label>
          <Input id="srv-package" inputMode="numeric" className="h-10" value={f.package ?? ''} onChange={(e) => set({ package: e.target.value.trim() })} />
        </div>
        {select('srv-sort', 'Sort', 'sort', [
          ['-id', 'Newest id'],
          ['id', 'Oldest id'],
          ['name', 'Name A–Z'],
          ['-name', 'Name Z–A'],
          ['-created', 'Newest'],
          ['created', 'Oldest'],
        ])}
      </div>
      {list.isPending ? (
        <div className="grid gap-2" aria-busy="true" aria-label="Loading servers">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-11" />
          ))}
        </div>
      ) : list.isError ? (
        <ErrorAlert error={list.error} title="Couldn't load servers" onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={ServerIcon} title="No servers match" />
      ) : (
        <>
          <p className="text-sm text-muted-foreground">{list.data.total} servers</p>
          <Table aria-label="Servers" aria-busy={list.isFetching || undefined}>
            <TableHeader>
              <TableRow>
                <TableHead>Server</TableHead>
                <TableHead>Owner</TableHead>
                <TableHead>State</TableHead>
                <TableHead className="text-right">Hourly</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <span className="font-medium">{s.name}</span>
                    <div className="text-xs text-muted-foreground">#{s.id}</div>
                  </TableCell>
                  <TableCell>
                    {s.owner ? (
                      <Link href={paths.adminUser(s.owner.id)} className="text-primary underline-offset-4 hover:underline">
                        {s.owner.email || s.owner.id}
                      </Link>
                    ) : (
                      <span className="text-muted-foreground">VirtFusion user {s.ownerVfId}</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <span className="flex flex-wrap gap-1">
                      <Badge variant={s.state === 'complete' ? 'secondary' : 'warning'}>{s.state}</Badge>
                      {s.suspended && <Badge variant="destructive">suspended</Badge>}
                      {s.unbilled && <Badge variant="warning">unbilled</Badge>}
                    </span>
                  </TableCell>
                  <TableCell className="text-right font-mono tabular-nums">{s.billing ? formatMoney(s.billing.hourlyMinor) : '—'}</TableCell>
                  <TableCell className="text-muted-foreground">{formatDate(s.createdAt)}</TableCell>
                  <TableCell>
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button variant="ghost" size="icon" className="size-10" aria-label={`Actions for ${s.name}`}>
                          <MoreHorizontalIcon aria-hidden="true" />
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end">
                        <DropdownMenuItem disabled={s.state === 'gone'} onSelect={() => power.mutate({ id: s.id, action: 'boot' }, { onSuccess: () => toast.success(`Booting ${s.name}`), onError: fail })}>
                          Boot
                        </DropdownMenuItem>
                        <DropdownMenuItem disabled={s.state === 'gone'} onSelect={() => power.mutate({ id: s.id, action: 'restart' }, { onSuccess: () => toast.success(`Restarting ${s.name}`), onError: fail })}>
                          Restart
                        </DropdownMenuItem>
                        <DropdownMenuItem disabled={s.state === 'gone'} onSelect={() => setDialog({ kind: 'poweroff', server: s })}>
                          Power off…
                        </DropdownMenuItem>
                        <DropdownMenuItem disabled={s.state === 'gone'} onSelect={() => setDialog({ kind: 'suspend', server: s })}>
                          {s.suspended ? 'Unsuspend…' : 'Suspend…'}
                        </DropdownMenuItem>
                        <DropdownMenuItem disabled={!s.billing || s.state === 'gone'} onSelect={() => setDialog({ kind: 'transfer', server: s })}>
                          Transfer…
                        </DropdownMenuItem>
                        <DropdownMenuSeparator />
                        <DropdownMenuItem variant="destructive" onSelect={() => setDialog({ kind: 'delete', server: s })}>
                          Delete…
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
      <div className="flex justify-center gap-2">
        {cursors.length > 0 && (
          <Button variant="outline" className="h-10" onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous
          </Button>
        )}
        {list.data?.nextCursor && (
          <Button variant="outline" className="h-10" onClick={() => setCursors((c) => [...c, list.data!.nextCursor])}>
            Next
          </Button>
        )}
      </div>
      {dialog?.kind === 'transfer' && <TransferDialog server={dialog.server} open onOpenChange={(o) => !o && close()} />}
      {dialog && dialog.kind !== 'transfer' && (
        <AlertDialog open onOpenChange={(o) => !o && close()}>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>
                {dialog.kind === 'delete' ? `Delete ${dialog.server.name}?` : dialog.kind === 'poweroff' ? `Power off ${dialog.server.name}?` : `${dialog.server.suspended ? 'Unsuspend' : 'Suspend'} ${dialog.server.name}?`}
              </AlertDialogTitle>
              <AlertDialogDescription>
                {dialog.kind === 'delete'
                  ? 'VirtFusion deletes it at once with its data, and billing stops. This cannot be undone.'
                  : dialog.kind === 'poweroff'
                    ? 'A hard stop, like pulling the plug.'
                    : dialog.server.suspended
                      ? 'The customer can use it again.'
                      : 'The customer cannot use it until it is unsuspended.'}
              </AlertDialogDescription>
            </AlertDialogHeader>
            {dialog.kind === 'delete' && (
              <div className="grid gap-1.5">
                <Label htmlFor="srv-delete-confirm">Type {dialog.server.name} to confirm</Label>
                <Input id="srv-delete-confirm" autoComplete="off" className="h-10" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
              </div>
            )}
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction
                destructive={dialog.kind !== 'suspend' || !dialog.server.suspended}
                disabled={dialog.kind === 'delete' && confirm !== dialog.server.name}
                onClick={() => {
                  const s = dialog.server
                  if (dialog.kind === 'delete') del.mutate({ id: s.id, confirm }, { onSuccess: () => toast.success(`${s.name} deleted`), onError: fail })
                  else if (dialog.kind === 'poweroff') power.mutate({ id: s.id, action: 'poweroff' }, { onSuccess: () => toast.success(`Powering off ${s.name}`), onError: fail })
                  else suspend.mutate({ id: s.id, suspended: !s.suspended }, { onSuccess: () => toast.success(`${s.name} ${s.suspended ? 'unsuspended' : 'suspended'}`), onError: fail })
                  close()
                }}
              >
                {dialog.kind === 'delete' ? 'Delete' : dialog.kind === 'poweroff' ? 'Power off' : dialog.server.suspended ? 'Unsuspend' : 'Suspend'}
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      )}
    </div>
  )
}
