import { Component, lazy, type ComponentProps, type ComponentType, type ErrorInfo, type ReactNode } from 'react'
import { RotateCwIcon, WifiOffIcon, TriangleAlertIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { isOnline } from '@/hooks/use-online'

/** isChunkError tells a failed download of a page's code from a bug in it. */
export const isChunkError = (err: unknown) =>
  err instanceof Error && /dynamically imported module|Loading chunk|Importing a module script failed|error loading dynamically imported|Failed to fetch/i.test(err.message)

// Bumped by "Try again": a page whose download failed starts a fresh one on the next render.
let retryGeneration = 0

/**
 * lazyRoute is React.lazy that can try again: React keeps a failed import for good, so once a
 * download failed and the person pressed "Try again", the next render starts a fresh one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyRoute<T extends ComponentType<any>>(load: () => Promise<{ default: T }>) {
  let failedAt = -1
  const attempt = () =>
    load().catch((err: unknown) => {
      failedAt = retryGeneration
      throw err
    })
  let Lazy = lazy(attempt)
  function LazyRoute(props: ComponentProps<T>) {
    if (failedAt >= 0 && failedAt < retryGeneration) {
      failedAt = -1
      Lazy = lazy(attempt)
    }
    return <Lazy {...props} />
  }
  return LazyRoute
}

interface Props {
  children: ReactNode
  /** fullPage centres the message in the window (outside the app shell). */
  fullPage?: boolean
}

/**
 * ErrorBoundary catches what a page throws while rendering. Around the routes it keeps the app
 * shell and its navigation; a page whose code could not be downloaded says the connection was lost.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  state = { error: null as Error | null }
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack)
  }
  render() {
    const { error } = this.state
    if (!error) return this.props.children
    const chunk = isChunkError(error)
    const offline = chunk && !isOnline()
    return (
      <div role="alert" className={this.props.fullPage ? 'grid min-h-dvh place-items-center p-6 text-center' : 'grid place-items-center py-10 text-center'}>
        <div className="glass grid max-w-md gap-4 rounded-xl border p-8">
          <h1 className="font-display flex items-center justify-center gap-2 text-2xl font-semibold">
            {chunk ? <WifiOffIcon className="size-6 text-warning" aria-hidden="true" /> : <TriangleAlertIcon className="size-6 text-destructive" aria-hidden="true" />}
            {chunk ? 'Connection lost' : 'Something went wrong'}
          </h1>
          <p className="text-sm text-muted-foreground">
            {offline
              ? "You're offline, so this page couldn't be loaded. Reconnect, then try again."
              : chunk
                ? "This page couldn't be loaded. Check your connection and try again."
                : 'This page ran into a problem. Try again, or go to another page.'}
          </p>
          <div className="flex flex-wrap justify-center gap-2">
            <Button
              onClick={() => {
                retryGeneration++
                this.setState({ error: null })
              }}
            >
              <RotateCwIcon aria-hidden="true" /> Try again
            </Button>
            <Button variant="outline" onClick={() => window.location.reload()}>
              Reload the panel
            </Button>
          </div>
        </div>
      </div>
    )
  }
}
