import { useEffect, useState, type ReactNode } from 'react'
import { QueryClientProvider } from '@tanstack/react-query'
import { navigate } from 'wouter/use-browser-location'
import { ErrorBoundary } from '@/components/error-boundary'
import { OfflineBanner } from '@/components/offline-banner'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Toaster } from '@/components/ui/sonner'
import { TooltipProvider } from '@/components/ui/tooltip'
import { paths } from '@/config/paths'
import { authKeys } from '@/features/auth/api/get-me'
import { LoginForm } from '@/features/auth/components/login-form'
import { setUnauthorizedHandler } from '@/lib/api-client'
import { makeQueryClient } from '@/lib/react-query'

/** AppProvider wires the query cache, toasts, tooltips and what a 401 does. */
export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient)
  // Signed in and the session ended: sign in again in a dialog over the page, so what was typed is kept.
  const [reauth, setReauth] = useState(false)

  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (queryClient.getQueryData(authKeys.me) && !window.location.pathname.startsWith(paths.login)) {
        setReauth(true)
        return
      }
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
          <Dialog open={reauth} onOpenChange={() => {}}>
            <DialogContent onEscapeKeyDown={(e) => e.preventDefault()} onInteractOutside={(e) => e.preventDefault()}>
              <DialogHeader>
                <DialogTitle>Sign in again</DialogTitle>
                <DialogDescription>Your session has ended. Sign in to carry on; what you typed on the page is kept.</DialogDescription>
              </DialogHeader>
              <LoginForm
                onSuccess={() => {
                  // useLogin has stored the new session; everything else is fetched again.
                  setReauth(false)
                  void queryClient.invalidateQueries()
                }}
              />
            </DialogContent>
          </Dialog>
          <Toaster />
        </TooltipProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  )
}
