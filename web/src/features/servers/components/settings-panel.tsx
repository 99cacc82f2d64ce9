import { useState, type FormEvent } from 'react'
import { useLocation } from 'wouter'
import { ExternalLinkIcon, KeyRoundIcon, LoaderCircleIcon, Trash2Icon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { SecretReveal } from '@/components/secret-reveal'
import { paths } from '@/config/paths'
import { errorMessage } from '@/lib/api-client'
import { browser } from '@/lib/browser'
import { apiFieldErrors } from '@/lib/form'
import type { ServerDetail } from '@/types/api'
import { useCreateSso } from '../api/create-sso'
import { useDeleteServer } from '../api/delete-server'
import { useResetRootPassword } from '../api/reset-password'
import { serverNameSchema, useUpdateServer } from '../api/update-server'
import { TaskProgress } from './task-progress'

function RenameCard({ server }: { server: ServerDetail }) {
  const [name, setName] = useState(server.name)
  const [error, setError] = useState<string>()
  const update = useUpdateServer(server.id)
  function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = serverNameSchema.safeParse(name)
    if (!parsed.success) return setError(parsed.error.issues[0].message)
    setError(undefined)
    update.mutate(
      { name: parsed.data },
      {
        onSuccess: () => toast.success('Server renamed'),
        onError: (err) => setError(apiFieldErrors(err).name ?? errorMessage(err)),
      },
    )
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Name</CardTitle>
        <CardDescription>A label for you; it doesn't change the hostname.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="flex flex-col gap-3 sm:flex-row sm:items-start" onSubmit={submit} noValidate>
          <Field label="Server name" error={error} className="flex-1">
            {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />}
          </Field>
          <Button type="submit" className="sm:mt-[1.375rem]" disabled={update.isPending || name.trim() === server.name}>
            {update.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
            Save
          </Button>
        </form>
      </CardContent>
    </Card>
  )
}

function PasswordCard({ server }: { server: ServerDetail }) {
  const reset = useResetRootPassword(server.id)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Root password</CardTitle>
        <CardDescription>Set a new random root password. The old one stops working.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {reset.isError && <ErrorAlert error={reset.error} title="Couldn't reset the password" />}
        {reset.data ? (
          <>
            <TaskProgress serverId={server.id} task={reset.data.task} />
            <SecretReveal value={reset.data.password} label="New root password" />
            <Button variant="outline" className="justify-self-start" onClick={() => reset.reset()}>
              I've saved the password
            </Button>
          </>
        ) : (
          <ConfirmDialog
            title="Reset the root password?"
            description={`${server.name} gets a new root password right away. Anything that signs in with the old one will stop working.`}
            confirmLabel="Reset password"
            destructive
            onConfirm={() => reset.mutate(undefined, { onError: (e) => toast.error(errorMessage(e)) })}
            trigger={
              <Button variant="outline" className="justify-self-start" disabled={reset.isPending || server.provisioning !== 'complete'}>
                {reset.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <KeyRoundIcon aria-hidden="true" />}
                Reset root password
              </Button>
            }
          />
        )}
      </CardContent>
    </Card>
  )
}

function SsoCard({ server }: { server: ServerDetail }) {
  const sso = useCreateSso(server.id)
  function open() {
    // Open the tab now, inside the click, so popup blockers allow it; point it at the SSO link when it arrives.
    const tab = window.open('about:blank', '_blank')
    sso.mutate(undefined, {
      onSuccess: ({ url }) => {
        if (tab) {
          tab.opener = null
          tab.location.href = url
        } else {
          browser.open(url)
        }
      },
      onError: (err) => {
        tab?.close()
        toast.error(errorMessage(err))
      },
    })
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>VirtFusion</CardTitle>
        <CardDescription>Advanced controls (rescue mode, ISO, firewall) live in the VirtFusion panel.</CardDescription>
      </CardHeader>
      <CardContent>
        <Button variant="outline" onClick={open} disabled={sso.isPending}>
          {sso.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <ExternalLinkIcon aria-hidden="true" />}
          Open in VirtFusion
        </Button>
      </CardContent>
    </Card>
  )
}

function DeleteCard({ server }: { server: ServerDetail }) {
  const [confirm, setConfirm] = useState('')
  const del = useDeleteServer(server.id)
  const [, navigate] = useLocation()
  return (
    <Card className="border-destructive/40">
      <CardHeader>
        <CardTitle className="text-destructive">Delete server</CardTitle>
        <CardDescription>The server and its disk are destroyed and billing stops. This can't be undone.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {del.isError && <ErrorAlert error={del.error} title="Couldn't delete the server" />}
        <Field
          label={
            <span>
              Type <strong className="font-mono">{server.name}</strong> to confirm
            </span>
          }
        >
          {(p) => <Input {...p} value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <ConfirmDialog
          title={`Delete ${server.name}?`}
          description="This is your last chance. The server and all its data will be gone for good."
          confirmLabel="Delete forever"
          destructive
          onConfirm={() =>
            del.mutate(confirm, {
              onSuccess: () => {
                toast.success(`${server.name} is being deleted`)
                navigate(paths.servers)
              },
            })
          }
          trigger={
            <Button variant="destructive" className="justify-self-start" disabled={confirm !== server.name || del.isPending}>
              <Trash2Icon aria-hidden="true" /> Delete server
            </Button>
          }
        />
      </CardContent>
    </Card>
  )
}

/** SettingsPanel holds rename, root password reset, VirtFusion SSO and deletion. */
export function SettingsPanel({ server }: { server: ServerDetail }) {
  return (
    <div className="grid gap-4">
      <RenameCard key={server.name} server={server} />
      <PasswordCard server={server} />
      <SsoCard server={server} />
      <DeleteCard server={server} />
    </div>
  )
}
