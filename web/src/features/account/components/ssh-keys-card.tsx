import { useState, type FormEvent } from 'react'
import { KeyRoundIcon, LoaderCircleIcon, PlusIcon, Trash2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { errorMessage } from '@/lib/api-client'
import { formatDate } from '@/lib/format'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { sshKeySchema, useCreateSshKey } from '../api/create-ssh-key'
import { useDeleteSshKey } from '../api/delete-ssh-key'
import { useSshKeys } from '../api/get-ssh-keys'

function AddKeyDialog() {
  const [open, setOpen] = useState(false)
  const [errors, setErrors] = useState<FieldErrors>({})
  const create = useCreateSshKey()
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const parsed = sshKeySchema.safeParse(Object.fromEntries(new FormData(e.currentTarget)))
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error))
    setErrors({})
    create.mutate(parsed.data, {
      onSuccess: () => {
        toast.success('SSH key added')
        setOpen(false)
      },
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) {
          setErrors({})
          create.reset()
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm">
          <PlusIcon aria-hidden="true" /> Add SSH key
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form className="grid gap-4" onSubmit={submit} noValidate>
          <DialogHeader>
            <DialogTitle>Add an SSH key</DialogTitle>
            <DialogDescription>Paste a public key. It is installed for root on servers you deploy or reinstall with it.</DialogDescription>
          </DialogHeader>
          {create.isError && <ErrorAlert error={create.error} title="Couldn't add the key" />}
          <Field label="Name" error={errors.name}>
            {(p) => <Input {...p} name="name" placeholder="laptop" autoComplete="off" />}
          </Field>
          <Field
            label="Public key"
            error={errors.publicKey}
            hint={
              <>
                Starts with <code className="font-mono">ssh-ed25519</code>, <code className="font-mono">ssh-rsa</code> or{' '}
                <code className="font-mono">ecdsa-sha2-…</code>. Find it in <code className="font-mono">~/.ssh/id_ed25519.pub</code>.
              </>
            }
          >
            {(p) => <Textarea {...p} name="publicKey" rows={5} className="font-mono text-xs" spellCheck={false} placeholder="ssh-ed25519 AAAA… you@laptop" />}
          </Field>
          <DialogFooter>
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
              Add key
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}

/** SshKeysCard lists, adds and deletes the account's SSH keys. */
export function SshKeysCard() {
  const keys = useSshKeys()
  const del = useDeleteSshKey()
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle>SSH keys</CardTitle>
          <CardDescription>Sign in to your servers without a password.</CardDescription>
        </div>
        <AddKeyDialog />
      </CardHeader>
      <CardContent>
        {keys.isPending ? (
          <div className="grid gap-2" aria-busy="true" aria-label="Loading SSH keys">
            <Skeleton className="h-14" />
            <Skeleton className="h-14" />
          </div>
        ) : keys.isError ? (
          <ErrorAlert error={keys.error} title="Couldn't load SSH keys" onRetry={() => keys.refetch()} />
        ) : keys.data.length === 0 ? (
          <EmptyState icon={KeyRoundIcon} title="No SSH keys yet" description="Add one to install it when you deploy a server." />
        ) : (
          <ul className="grid gap-2" aria-label="SSH keys">
            {keys.data.map((k) => (
              <li key={k.id} className="flex items-center gap-3 rounded-lg border bg-background/30 p-3">
                <KeyRoundIcon className="size-4 shrink-0 text-primary" aria-hidden="true" />
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium">{k.name}</p>
                  <p className="truncate font-mono text-xs text-muted-foreground">
                    {k.type} · {k.fingerprint}
                  </p>
                </div>
                <span className="hidden text-xs text-muted-foreground sm:block">Added {formatDate(k.createdAt)}</span>
                <ConfirmDialog
                  title={`Delete the key “${k.name}”?`}
                  description="Servers that already have it keep it. It won't be offered for new servers."
                  confirmLabel="Delete key"
                  destructive
                  onConfirm={() =>
                    del.mutate(k.id, {
                      onSuccess: () => toast.success('SSH key deleted'),
                      onError: (e) => toast.error(errorMessage(e)),
                    })
                  }
                  trigger={
                    <Button variant="ghost" size="icon" aria-label={`Delete SSH key ${k.name}`}>
                      <Trash2Icon />
                    </Button>
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
