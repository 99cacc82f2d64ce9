import { useId } from 'react'
import { LockIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { errorMessage } from '@/lib/api-client'
import { formatDateTime } from '@/lib/format'
import { useNotificationPrefs } from '../api/get-notification-prefs'
import { useUpdateNotificationPrefs } from '../api/update-notification-prefs'
import { essentialMail, optionalMail } from '../lib/kinds'

/** NotificationPrefsCard turns optional mail on or off and shows the mail that is always sent, locked on. */
export function NotificationPrefsCard({ email }: { email?: string }) {
  const id = useId()
  const q = useNotificationPrefs()
  const update = useUpdateNotificationPrefs()
  const optionalId = `${id}-optional`
  const whyId = `${id}-why`

  function change(receive: boolean) {
    update.mutate(
      { nonEssentialOff: !receive },
      {
        onSuccess: () => toast.success(receive ? 'Updates and receipts turned on' : 'Updates and receipts turned off'),
        onError: (e) => toast.error(errorMessage(e)),
      },
    )
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Email notifications</CardTitle>
        <CardDescription className="wrap-anywhere">{email ? <>What we send to {email}.</> : 'What we send you by email.'}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {q.isPending ? (
          <div className="grid gap-2" aria-busy="true" aria-label="Loading email preferences">
            <Skeleton className="h-16" />
            <Skeleton className="h-40" />
          </div>
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load your email preferences" onRetry={() => q.refetch()} />
        ) : (
          <>
            <section className="grid gap-3" aria-labelledby={`${id}-optional-title`}>
              <h4 id={`${id}-optional-title`} className="text-sm font-medium">
                Optional
              </h4>
              <div className="flex items-start gap-3 rounded-lg border bg-background/30 p-3 has-[[data-state=checked]]:border-primary/60">
                <Checkbox
                  id={optionalId}
                  className="mt-0.5"
                  checked={!q.data.nonEssentialOff}
                  disabled={update.isPending}
                  aria-describedby={`${optionalId}-hint`}
                  onCheckedChange={(c) => change(c === true)}
                />
                <div className="grid min-w-0 flex-1 gap-1">
                  <Label htmlFor={optionalId} className="cursor-pointer">
                    Updates and receipts
                  </Label>
                  <p id={`${optionalId}-hint`} className="text-xs text-muted-foreground">
                    {optionalMail.join(', ')}. The panel shows the same facts, so you can turn these off. Each of these mails also has an unsubscribe
                    link that does the same in one click.
                  </p>
                </div>
              </div>
              <p className="text-xs text-muted-foreground" role="status" aria-live="polite">
                {update.isPending ? 'Saving…' : q.data.updatedAt ? `Last changed ${formatDateTime(q.data.updatedAt)}` : ''}
              </p>
            </section>

            <section className="grid gap-3" aria-labelledby={`${id}-essential-title`}>
              <h4 id={`${id}-essential-title`} className="flex items-center gap-2 text-sm font-medium">
                <LockIcon className="size-3.5 text-muted-foreground" aria-hidden="true" /> Always sent
              </h4>
              <p id={whyId} className="text-xs text-muted-foreground">
                These protect your account, your money and your servers, so they stay on whatever you choose above.
              </p>
              <ul className="grid gap-2" aria-label="Always sent">
                {essentialMail.map((m, i) => {
                  const itemId = `${id}-essential-${i}`
                  return (
                    <li key={m.title} className="flex items-start gap-3 rounded-lg border border-dashed p-3">
                      <Checkbox id={itemId} className="mt-0.5" checked disabled aria-describedby={`${itemId}-detail ${whyId}`} />
                      <div className="grid min-w-0 flex-1 gap-1">
                        <Label htmlFor={itemId}>
                          {m.title}
                        </Label>
                        <p id={`${itemId}-detail`} className="text-xs text-muted-foreground">
                          {m.detail}
                        </p>
                      </div>
                      <LockIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                    </li>
                  )
                })}
              </ul>
            </section>
          </>
        )}
      </CardContent>
    </Card>
  )
}
