import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon, TriangleAlertIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { SecretReveal } from '@/components/secret-reveal'
import { SshKeyPicker } from '@/components/ssh-key-picker'
import { TemplatePicker } from '@/components/template-picker'
import { apiFieldErrors, type FieldErrors } from '@/lib/form'
import type { ServerDetail, SshKey, Task } from '@/types/api'
import { hostnameSchema } from '../api/create-server'
import { useTemplates } from '../api/get-templates'
import { useReinstallServer } from '../api/reinstall-server'
import { TaskProgress } from './task-progress'

/**
 * ReinstallPanel wipes the server and installs a new OS. It runs only after the person
 * types the server's name; the new root password is shown once.
 */
export function ReinstallPanel({ server, sshKeys, sshKeysLoading }: { server: ServerDetail; sshKeys?: SshKey[]; sshKeysLoading?: boolean }) {
  const templates = useTemplates(server.id)
  const reinstall = useReinstallServer(server.id)
  const [templateId, setTemplateId] = useState<number>()
  const [hostname, setHostname] = useState(server.hostname)
  const [keyIds, setKeyIds] = useState<number[]>([])
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [result, setResult] = useState<{ task: Task; rootPassword: string } | null>(null)

  const nameMatches = confirm === server.name

  function submit(e: FormEvent) {
    e.preventDefault()
    const errs: FieldErrors = {}
    if (!templateId) errs.templateId = 'Choose an operating system.'
    const h = hostnameSchema.safeParse(hostname)
    if (!h.success) errs.hostname = h.error.issues[0].message
    if (!nameMatches) errs.confirm = `Type ${server.name} to confirm.`
    setErrors(errs)
    if (Object.keys(errs).length) return
    reinstall.mutate(
      { templateId: templateId!, hostname: h.data!, sshKeyIds: keyIds, confirm },
      {
        onSuccess: (r) => {
          setResult(r)
          setConfirm('')
        },
        // Said once, by the alert in the form.
        onError: (err) => setErrors(apiFieldErrors(err)),
      },
    )
  }

  if (result)
    return (
      <Card>
        <CardHeader>
          <CardTitle>Reinstall in progress</CardTitle>
          <CardDescription>Sign in as root with this password once the reinstall finishes.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <TaskProgress serverId={server.id} task={result.task} />
          <SecretReveal value={result.rootPassword} />
          <Button variant="outline" className="justify-self-start" onClick={() => setResult(null)}>
            I've saved the password
          </Button>
        </CardContent>
      </Card>
    )

  return (
    <Card>
      <CardHeader>
        <CardTitle>Reinstall</CardTitle>
        <CardDescription>Start again with a fresh operating system.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-6" onSubmit={submit} noValidate aria-label="Reinstall server">
          <Alert variant="destructive">
            <TriangleAlertIcon />
            <AlertTitle>Everything on the disk will be erased</AlertTitle>
            <AlertDescription>Files, databases and settings on {server.name} are deleted and can't be recovered.</AlertDescription>
          </Alert>
          {reinstall.isError && <ErrorAlert error={reinstall.error} title="The reinstall did not start" />}
          <section className="grid gap-3" aria-labelledby="reinstall-os">
            <h3 id="reinstall-os" className="text-sm font-medium">
              Operating system
            </h3>
            {templates.isError ? (
              <ErrorAlert error={templates.error} title="Couldn't load operating systems" onRetry={() => templates.refetch()} />
            ) : (
              <TemplatePicker groups={templates.data?.groups} loading={templates.isPending} value={templateId} onChange={setTemplateId} />
            )}
            {errors.templateId && <p className="text-xs font-medium text-destructive">{errors.templateId}</p>}
          </section>
          <div className="grid gap-6 md:grid-cols-2">
            <Field label="Hostname" error={errors.hostname}>
              {(p) => <Input {...p} value={hostname} onChange={(e) => setHostname(e.target.value)} autoComplete="off" spellCheck={false} />}
            </Field>
            <SshKeyPicker keys={sshKeys} loading={sshKeysLoading} value={keyIds} onChange={setKeyIds} />
          </div>
          <Field
            label={
              <span>
                Type <strong className="font-mono">{server.name}</strong> to confirm
              </span>
            }
            error={errors.confirm}
          >
            {(p) => (
              <Input
                {...p}
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                data-testid="reinstall-confirm"
              />
            )}
          </Field>
          <Button type="submit" variant="destructive" className="justify-self-start" disabled={!nameMatches || reinstall.isPending}>
            {reinstall.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
            Reinstall {server.name}
          </Button>
        </form>
      </CardContent>
    </Card>
  )
}
