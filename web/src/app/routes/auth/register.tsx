import { Link, Redirect, useLocation } from 'wouter'
import { paths } from '@/config/paths'
import { useMe } from '@/features/auth/api/get-me'
import { Auth0Button, OrDivider } from '@/features/auth/components/auth0-button'
import { usePublicSettings } from '@/features/status/api/get-public-settings'
import { RegisterForm } from '@/features/auth/components/register-form'
import { AuthLayout } from './auth-layout'

/** RegisterRoute is the sign-up page. */
export default function RegisterRoute() {
  const [, navigate] = useLocation()
  const me = useMe()
  const ssoLabel = usePublicSettings().data?.ssoLabel
  if (me.data) return <Redirect to={paths.dashboard} replace />
  return (
    <AuthLayout
      title="Create your account"
      description="Deploy your first server in minutes. Add funds only when you need them."
      footer={
        <>
          Already have an account?{' '}
          <Link href={paths.login} className="font-medium text-primary underline-offset-4 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <Auth0Button label={ssoLabel} returnTo={paths.dashboard} />
      <OrDivider />
      <RegisterForm onSuccess={() => navigate(paths.dashboard, { replace: true })} />
    </AuthLayout>
  )
}
