import { Component, useEffect, useState, type ErrorInfo, type ReactNode } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { navigate } from 'wouter/use-browser-location'
import { Toaster } from '@/components/ui/sonner'
import { TooltipProvider } from '@/components/ui/tooltip'
import { paths } from '@/config/paths'
import { authKeys } from '@/features/auth/api/get-me'
import { setUnauthorizedHandler } from '@/lib/api-client'
import { makeQueryClient } from '@/lib/react-query'

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null }
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack)
  }
  render() {
    if (!this.state.error) return this.props.children
    const chunkFailed = /dynamically imported module|Loading chunk|Importing a module script failed/i.test(this.state.error.message)
    return (
      <div role="alert" className="grid min-h-dvh place-items-center p-6 text-center">
        <div className="glass grid max-w-md gap-4 rounded-xl border p-8">
          <h1 className="font-display text-2xl font-semibold">{chunkFailed ? 'A new version is available' : 'Something went wrong'}</h1>
          <p className="text-sm text-muted-foreground">
            {chunkFailed ? 'Reload the page to get the latest version of the panel.' : this.state.error.message}
          </p>
          <button
            className="h-9 rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
            onClick={() => window.location.reload()}
          >
            Reload
          </button>
        </div>
      </div>
    )
  }
}

/** AppProvider wires the query cache, toasts, tooltips and what a 401 does. */
export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient)

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search
      queryClient.clear()
      queryClient.removeQueries({ queryKey: authKeys.me })
      if (!window.location.pathname.startsWith(paths.login)) {
        navigate(`${paths.login}?returnTo=${encodeURIComponent(here)}`, { replace: true })
      }
    })
    return () => setUnauthorizedHandler(null)
  }, [queryClient])

  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <TooltipProvider delayDuration={300}>
          {children}
          <Toaster />
        </TooltipProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  )
}
