import { useState, type ReactNode } from 'react'
import { useLocation } from 'wouter'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog'
import { paths } from '@/config/paths'
import { errorMessage } from '@/lib/api-client'
import type { User } from '@/types/api'
import { useBlockUser, useDeleteUser, useLinkVirtFusion, useSendPasswordReset, useSetRole } from '../api/user-actions'

/** Confirm is an action behind a confirmation dialog; children are extra inputs, ok says whether it may run. */
function Confirm({
  label,
  title,
  description,
  confirmLabel,
  destructive,
  ok = true,
  children,
  onConfirm,
}: {
  label: string
  title: string
  description: ReactNode
  confirmLabel: string
  destructive?: boolean
  ok?: boolean
  children?: ReactNode
  onConfirm: () => void
}) {
  const [open, setOpen] = useState(false)
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button variant={destructive ? 'destructive' : 'outline'} className="h-10 justify-start">
          {label}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        {children}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction destructive={destructive} disabled={!ok} onClick={onConfirm}>
            {confirmLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}

const fail = (err: unknown) => toast.error(errorMessage(err))

/** UserActions are the console's actions on one account, each confirmed and audited by the server. */
export function UserActions({ user, onDone }: { user: User; onDone: () => void }) {
  const [suspend, setSuspend] = useState(false)
  const [role, setRole] = useState(user.role)
  const [vfId, setVfId] = useState('')
  const [confirmEmail, setConfirmEmail] = useState('')
  const [, navigate] = useLocation()
  const block = useBlockUser(user.id)
  const setUserRole = useSetRole(user.id)
  const link = useLinkVirtFusion(user.id)
  const reset = useSendPasswordReset(user.id)
  const del = useDeleteUser(user.id)
  const who = user.name || user.email
  const done = (msg: string) => () => {
    toast.success(msg)
    onDone()
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Actions</CardTitle>
        <CardDescription>Every action is recorded in the audit log.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        {user.blocked ? (
          <Confirm
            label="Unblock"
            title={`Unblock ${who}?`}
            description="They can sign in again."
            confirmLabel="Unblock"
            onConfirm={() => block.mutate({ blocked: false, suspendServers: false }, { onSuccess: done(`${who} is unblocked`), onError: fail })}
          />
        ) : (
          <Confirm
            label="Block"
            destructive
            title={`Block ${who}?`}
            description="They are signed out everywhere at once, their API tokens stop working and they cannot sign in until unblocked."
            confirmLabel="Block"
            onConfirm={() =>
              block.mutate(
                { blocked: true, suspendServers: suspend },
                {
                  onSuccess: (r) => done(`${who} is blocked${r.suspendedServers.length ? `; ${r.suspendedServers.length} server(s) suspended` : ''}`)(),
                  onError: fail,
                },
              )
            }
          >
            <div className="flex items-center gap-2">
              <Checkbox id="block-suspend" checked={suspend} onCheckedChange={(v) => setSuspend(v === true)} />
              <Label htmlFor="block-suspend">Also suspend their servers</Label>
            </div>
          </Confirm>
        )}
        <Confirm
          label="Change role"
          title={`Change the role of ${who}`}
          description="Their sessions end, so the next sign-in carries the new role."
          confirmLabel="Change role"
          ok={role !== user.role}
          onConfirm={() => setUserRole.mutate(role, { onSuccess: done(`${who} is now ${role === 'admin' ? 'an admin' : 'a customer'}`), onError: fail })}
        >
          <div className="grid gap-1.5">
            <Label htmlFor="user-new-role">Role</Label>
            <NativeSelect id="user-new-role" value={role} onChange={(e) => setRole(e.target.value as User['role'])}>
              <option value="customer">Customer</option>
              <option value="admin">Admin</option>
            </NativeSelect>
          </div>
        </Confirm>
        {user.vfUserId === 0 && (
          <Confirm
            label="Link VirtFusion account"
            title={`Link an existing VirtFusion user to ${who}`}
            description="For an email VirtFusion already had: the panel uses that VirtFusion user from now on."
            confirmLabel="Link"
            ok={/^\d+$/.test(vfId) && Number(vfId) > 0}
            onConfirm={() => link.mutate(Number(vfId), { onSuccess: done(`Linked to VirtFusion user ${vfId}`), onError: fail })}
          >
            <div className="grid gap-1.5">
              <Label htmlFor="user-vf-id">VirtFusion user id</Label>
              <Input id="user-vf-id" inputMode="numeric" className="h-10" value={vfId} onChange={(e) => setVfId(e.target.value.trim())} />
            </div>
          </Confirm>
        )}
        <Confirm
          label="Send password reset"
          title={`Send ${who} a password-reset email?`}
          description={`A reset link goes to ${user.email}.`}
          confirmLabel="Send"
          onConfirm={() => reset.mutate(undefined, { onSuccess: done(`Reset email sent to ${user.email}`), onError: fail })}
        />
        <Confirm
          label="Delete user"
          destructive
          title={`Delete ${who}?`}
          description="Their Auth0 and VirtFusion users and personal data are erased; the ledger is kept. Servers must be deleted and credit refunded first."
          confirmLabel="Delete"
          ok={confirmEmail.trim().toLowerCase() === user.email.toLowerCase()}
          onConfirm={() =>
            del.mutate(confirmEmail, {
              onSuccess: () => {
                toast.success(`${who} was deleted`)
                navigate(paths.adminUsers)
              },
              onError: fail,
            })
          }
        >
          <div className="grid gap-1.5">
            <Label htmlFor="user-delete-confirm">Type {user.email} to confirm</Label>
            <Input id="user-delete-confirm" autoComplete="off" className="h-10" value={confirmEmail} onChange={(e) => setConfirmEmail(e.target.value)} />
          </div>
        </Confirm>
      </CardContent>
    </Card>
  )
}
