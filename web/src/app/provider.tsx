import { useEffect, useState, type ReactNode } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { navigate } from 'wouter/use-browser-location'
import { ErrorBoundary } from '@/components/error-boundary'
import { OfflineBanner } from '@/components/offline-banner'
import { Toaster } from '@/components/ui/sonner'
import { TooltipProvider } from '@/components/ui/tooltip'
import { paths } from '@/config/paths'
import { authKeys } from '@/features/auth/api/get-me'
import { setUnauthorizedHandler } from '@/lib/api-client'
import { makeQueryClient } from '@/lib/react-query'

/** AppProvider wires the query cache, toasts, tooltips and what a 401 does. */
export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient)

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search
      queryClient.clear()
      queryClient.removeQueries({ queryKey: authKeys.me })
      if (!window.location.pathname.startsWith(paths.login)) {
        navigate(`${paths.login}?returnTo=${encodeURIComponent(here)}&reason=expired`, { replace: true })
      }
    })
    return () => setUnauthorizedHandler(null)
  }, [queryClient])

  return (
    <ErrorBoundary fullPage>
      <QueryClientProvider client={queryClient}>
        <TooltipProvider delayDuration={300}>
          <OfflineBanner />
          {children}
          <Toaster />
        </TooltipProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  )
}
