import { Link } from 'wouter'
import { paths } from '@/config/paths'
import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form'
import { AuthLayout } from './auth-layout'

/** ForgotPasswordRoute asks for an email to send a reset link to. */
export default function ForgotPasswordRoute() {
  return (
    <AuthLayout
      title="Reset your password"
      description="Enter the email you signed up with and we'll send you a link to choose a new password."
      footer={
        <Link href={paths.login} className="font-medium text-primary underline-offset-4 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <ForgotPasswordForm />
    </AuthLayout>
  )
}
