import { LaptopIcon, SmartphoneIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { errorMessage } from '@/lib/api-client'
import { formatRelative } from '@/lib/format'
import { useSessions } from '../api/get-sessions'
import { useRevokeSession } from '../api/revoke-session'

/** describeAgent turns a User-Agent into "Firefox on Linux". */
export function describeAgent(ua: string) {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl/i.test(ua) ? 'curl' : 'Browser'
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : ''
  return os ? `${browser} on ${os}` : browser
}

/** SessionsCard lists signed-in devices and revokes any but this one. */
export function SessionsCard({ footer }: { footer?: React.ReactNode }) {
  const q = useSessions()
  const revoke = useRevokeSession()
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>Devices signed in to your account.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {q.isPending ? (
          <div className="grid gap-2" aria-busy="true" aria-label="Loading sessions">
            <Skeleton className="h-14" />
            <Skeleton className="h-14" />
          </div>
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load sessions" onRetry={() => q.refetch()} />
        ) : (
          <ul className="grid gap-2" aria-label="Sessions">
            {q.data.map((s) => {
              const mobile = /Android|iPhone|iPad/.test(s.userAgent)
              const Icon = mobile ? SmartphoneIcon : LaptopIcon
              const name = describeAgent(s.userAgent)
              return (
                <li key={s.id} className="flex items-center gap-3 rounded-lg border bg-background/30 p-3">
                  <Icon className="size-5 shrink-0 text-primary" aria-hidden="true" />
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      {name}
                      {s.current && <Badge variant="success">This device</Badge>}
                    </p>
                    <p className="truncate text-xs text-muted-foreground">
                      {s.ip} · active {formatRelative(s.lastSeenAt)}
                    </p>
                  </div>
                  {!s.current && (
                    <ConfirmDialog
                      title="Sign out this device?"
                      description={`${name} (${s.ip}) will have to sign in again.`}
                      confirmLabel="Sign out device"
                      destructive
                      onConfirm={() =>
                        revoke.mutate(s.id, {
                          onSuccess: () => toast.success('Device signed out'),
                          onError: (e) => toast.error(errorMessage(e)),
                        })
                      }
                      trigger={
                        <Button variant="outline" size="sm" aria-label={`Revoke session ${name} ${s.ip}`}>
                          Revoke
                        </Button>
                      }
                    />
                  )}
                </li>
              )
            })}
          </ul>
        )}
        {footer}
      </CardContent>
    </Card>
  )
}
