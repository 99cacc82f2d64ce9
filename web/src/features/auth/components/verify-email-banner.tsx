import { MailWarningIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'
import { useUser } from '../api/get-me'
import { useCheckVerification, useResendVerification } from '../api/verify-email'

/** VerifyEmailBanner asks an unverified customer to open the emailed link; adding funds and ordering wait for it. */
export function VerifyEmailBanner() {
  const user = useUser()
  const resend = useResendVerification()
  const check = useCheckVerification()
  if (user.emailVerified !== false) return null
  return (
    <Alert variant="warning" className="mb-6" aria-label="Verify your email">
      <MailWarningIcon />
      <AlertTitle>Verify your email address</AlertTitle>
      <AlertDescription>
        <p>
          Open the link we emailed to {user.email}. Until then you can't add funds or order servers.
        </p>
        <div className="mt-2 flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="outline"
            disabled={resend.isPending}
            onClick={() =>
              resend.mutate(undefined, { onSuccess: (r) => toast.success(r.message), onError: (e) => toast.error(errorMessage(e)) })
            }
          >
            Resend verification email
          </Button>
          <Button
            size="sm"
            disabled={check.isPending}
            onClick={() =>
              check.mutate(undefined, {
                onSuccess: (r) =>
                  r.emailVerified ? toast.success('Email verified') : toast.info("We haven't seen the link opened yet."),
                onError: (e) => toast.error(errorMessage(e)),
              })
            }
          >
            I've verified my email
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  )
}
