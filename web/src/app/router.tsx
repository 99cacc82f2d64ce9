import { Suspense, type ReactNode } from 'react'
import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter'
import { ErrorAlert } from '@/components/error-alert'
import { ErrorBoundary, lazyRoute } from '@/components/error-boundary'
import { Skeleton } from '@/components/ui/skeleton'
import { paths } from '@/config/paths'
import { useMe } from '@/features/auth/api/get-me'
import { isApiError } from '@/lib/api-client'

// Every page is its own chunk, so the sign-in route downloads only what it needs.
const LoginRoute = lazyRoute(() => import('./routes/auth/login'))
const RegisterRoute = lazyRoute(() => import('./routes/auth/register'))
const ForgotPasswordRoute = lazyRoute(() => import('./routes/auth/forgot-password'))
const StatusRoute = lazyRoute(() => import('./routes/status'))
const SignedInArea = lazyRoute(() => import('./routes/signed-in-area'))
// The API reference (Scalar) is public and heavy: its own chunk, never in the sign-in route's JS.
const ApiDocsRoute = lazyRoute(() => import('./routes/api-docs'))

function FullPageFallback() {
  return (
    <div className="grid min-h-dvh place-items-center" aria-busy="true" aria-label="Loading">
      <div className="grid w-64 gap-3">
        <Skeleton className="mx-auto size-12 rounded-xl" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="mx-auto h-4 w-2/3" />
      </div>
    </div>
  )
}

/** RequireAuth lets signed-in people through and sends everyone else to sign in, remembering where they were. */
function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe()
  const [location] = useLocation()
  const search = useSearch()
  if (me.isPending) return <FullPageFallback />
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const here = location + (search ? `?${search}` : '')
      const to = here === '/' ? paths.login : `${paths.login}?returnTo=${encodeURIComponent(here)}`
      return <Redirect to={to} replace />
    }
    return (
      <div className="mx-auto grid min-h-dvh max-w-md place-items-center p-6">
        <ErrorAlert error={me.error} title="Couldn't reach the panel" onRetry={() => me.refetch()} />
      </div>
    )
  }
  return <>{children}</>
}

const publicPaths = [paths.login, paths.register, paths.forgotPassword, paths.apiDocs, paths.status]
const isPublic = (p: string) => publicPaths.some((x) => p.startsWith(x))

/** AppRouter maps URLs to pages. */
export function AppRouter() {
  const [location] = useLocation()
  // Keyed by the page, so moving on from a page that failed clears the error.
  return (
    <ErrorBoundary key={isPublic(location) ? location : 'app'} fullPage>
    <Suspense fallback={<FullPageFallback />}>
      <Switch>
        <Route path={paths.login} component={LoginRoute} />
        <Route path={paths.register} component={RegisterRoute} />
        <Route path={paths.forgotPassword} component={ForgotPasswordRoute} />
        <Route path={paths.apiDocs} component={ApiDocsRoute} />
        <Route path={paths.status} component={StatusRoute} />
        <Route>
          <RequireAuth>
            <SignedInArea />
          </RequireAuth>
        </Route>
      </Switch>
    </Suspense>
    </ErrorBoundary>
  )
}
