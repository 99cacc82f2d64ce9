import { useCallback, useEffect, useRef, useState } from 'react'
import { KeyboardIcon, LoaderCircleIcon, MaximizeIcon, MonitorIcon, PlugZapIcon, UnplugIcon } from 'lucide-react'
import type RFB from '@novnc/novnc'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { ErrorAlert } from '@/components/error-alert'
import type { ServerDetail } from '@/types/api'
import { useCreateConsole } from '../api/create-console'

type ConsoleState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'failed'

/**
 * ConsolePanel opens the server's VNC console in the page with noVNC, which is loaded
 * only when someone connects. The one-time url and password come from POST /console.
 */
export default function ConsolePanel({ server }: { server: ServerDetail }) {
  const screen = useRef<HTMLDivElement>(null)
  const frame = useRef<HTMLDivElement>(null)
  const rfb = useRef<RFB | null>(null)
  const [state, setState] = useState<ConsoleState>('idle')
  const [reason, setReason] = useState<string>()
  const access = useCreateConsole(server.id)

  const disconnect = useCallback(() => {
    rfb.current?.disconnect()
    rfb.current = null
  }, [])
  useEffect(() => disconnect, [disconnect])

  async function connect() {
    setReason(undefined)
    setState('connecting')
    try {
      const { url, password } = await access.mutateAsync()
      const { default: RFBClass } = await import('@novnc/novnc')
      if (!screen.current) return
      screen.current.replaceChildren()
      const client = new RFBClass(screen.current, url, { credentials: { password } })
      client.scaleViewport = true
      client.resizeSession = false
      client.background = 'transparent'
      client.addEventListener('connect', () => {
        setState('connected')
        client.focus()
      })
      client.addEventListener('disconnect', (e) => {
        const clean = (e as CustomEvent<{ clean: boolean }>).detail?.clean
        setState(clean ? 'disconnected' : 'failed')
        if (!clean) setReason('The console connection dropped. The link may have expired; connect again.')
        rfb.current = null
      })
      client.addEventListener('securityfailure', (e) => {
        setReason((e as CustomEvent<{ reason?: string }>).detail?.reason || 'The console refused the password.')
      })
      client.addEventListener('credentialsrequired', () => client.sendCredentials({ password }))
      rfb.current = client
    } catch (err) {
      setState('failed')
      if (!access.isError) setReason(err instanceof Error ? err.message : 'Could not start the console.')
    }
  }

  const unavailable = server.provisioning !== 'complete' || server.suspended

  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1.5">
          <CardTitle className="flex items-center gap-2">
            <MonitorIcon className="size-4 text-primary" aria-hidden="true" /> Console
            <Badge variant={state === 'connected' ? 'success' : 'secondary'} aria-live="polite">
              {state === 'connected' ? 'Connected' : state === 'connecting' ? 'Connecting…' : 'Not connected'}
            </Badge>
          </CardTitle>
          <CardDescription>Direct keyboard and screen access, even when SSH is down.</CardDescription>
        </div>
        <div className="flex flex-wrap gap-2">
          {state === 'connected' ? (
            <>
              <Button variant="outline" size="sm" onClick={() => rfb.current?.sendCtrlAltDel()}>
                <KeyboardIcon aria-hidden="true" /> Send Ctrl-Alt-Del
              </Button>
              <Button variant="outline" size="sm" onClick={() => frame.current?.requestFullscreen?.()}>
                <MaximizeIcon aria-hidden="true" /> Full screen
              </Button>
              <Button variant="ghost" size="sm" onClick={disconnect}>
                <UnplugIcon aria-hidden="true" /> Disconnect
              </Button>
            </>
          ) : (
            <Button size="sm" onClick={connect} disabled={unavailable || state === 'connecting'}>
              {state === 'connecting' ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <PlugZapIcon aria-hidden="true" />}
              {state === 'idle' ? 'Connect' : 'Reconnect'}
            </Button>
          )}
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        {access.isError && <ErrorAlert error={access.error} title="Couldn't open the console" />}
        {reason && !access.isError && <ErrorAlert error={new Error(reason)} title="Console" />}
        <div
          ref={frame}
          className="relative aspect-[4/3] w-full overflow-hidden rounded-lg border bg-black/80 sm:aspect-video [&:fullscreen]:rounded-none"
        >
          <div ref={screen} className="absolute inset-0" role="application" aria-label={`Console of ${server.name}`} tabIndex={-1} />
          {state !== 'connected' && (
            <div className="pointer-events-none absolute inset-0 grid place-items-center p-6 text-center text-sm text-white/70">
              {unavailable
                ? 'The console is available once the server is built and active.'
                : state === 'connecting'
                  ? 'Connecting to the console…'
                  : 'Press Connect to open the console.'}
            </div>
          )}
        </div>
      </CardContent>
    </Card>
  )
}
