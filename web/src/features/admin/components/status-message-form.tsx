import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { NativeSelect } from '@/components/ui/native-select'
import { Textarea } from '@/components/ui/textarea'
import { Field } from '@/components/field'
import { errorMessage } from '@/lib/api-client'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { statusMessageSchema, useClearStatusMessage, useSetStatusMessage } from '../api/status-message'

/** StatusMessageForm posts or clears the maintenance or incident notice shown on /status and in every signed-in page. */
export function StatusMessageForm({ hasMessage }: { hasMessage: boolean }) {
  const [kind, setKind] = useState('incident')
  const [text, setText] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const save = useSetStatusMessage()
  const clear = useClearStatusMessage()

  function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = statusMessageSchema.safeParse({ kind, text })
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error))
    setErrors({})
    save.mutate(parsed.data, {
      onSuccess: () => {
        toast.success('Status message posted')
        setText('')
      },
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Status message</CardTitle>
        <CardDescription>Shown on the public status page and as a banner to signed-in customers.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={submit} noValidate aria-label="Status message">
          <Field label="Kind" error={errors.kind}>
            {(p) => (
              <NativeSelect {...p} value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="incident">Incident</option>
                <option value="maintenance">Maintenance</option>
              </NativeSelect>
            )}
          </Field>
          <Field label="Message" error={errors.text} hint="Up to 500 characters.">
            {(p) => <Textarea {...p} value={text} onChange={(e) => setText(e.target.value)} rows={3} />}
          </Field>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={save.isPending}>
              Post message
            </Button>
            {hasMessage && (
              <Button
                type="button"
                variant="outline"
                disabled={clear.isPending}
                onClick={() =>
                  clear.mutate(undefined, {
                    onSuccess: () => toast.success('Status message cleared'),
                    onError: (err) => toast.error(errorMessage(err)),
                  })
                }
              >
                Clear message
              </Button>
            )}
          </div>
        </form>
      </CardContent>
    </Card>
  )
}
