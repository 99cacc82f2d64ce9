import { Link, Redirect, useLocation, useSearch } from 'wouter'
import { paths } from '@/config/paths'
import { useMe } from '@/features/auth/api/get-me'
import { Auth0Button, OrDivider } from '@/features/auth/components/auth0-button'
import { usePublicSettings } from '@/features/status/api/get-public-settings'
import { LoginForm } from '@/features/auth/components/login-form'
import { safeReturnTo } from '@/lib/form'
import { AuthLayout } from './auth-layout'

/** LoginRoute is the sign-in page; ?returnTo= says where to go afterwards. */
export default function LoginRoute() {
  const search = useSearch()
  const query = new URLSearchParams(search)
  const returnTo = safeReturnTo(query.get('returnTo'))
  // Sent here because the session ended mid-visit: say so, instead of a bare sign-in form.
  const expired = query.get('reason') === 'expired'
  const [, navigate] = useLocation()
  const me = useMe()
  const ssoLabel = usePublicSettings().data?.ssoLabel
  if (me.data) return <Redirect to={returnTo} replace />
  return (
    <AuthLayout
      title="Sign in"
      description={expired ? 'Your session has ended. Sign in again to carry on where you were.' : 'Welcome back. Sign in to manage your servers.'}
      footer={
        <>
          New here?{' '}
          <Link href={paths.register} className="font-medium text-primary underline-offset-4 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <Auth0Button label={ssoLabel} returnTo={returnTo} />
      <OrDivider />
      <LoginForm onSuccess={() => navigate(returnTo, { replace: true })} />
    </AuthLayout>
  )
}
