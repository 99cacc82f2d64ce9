import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { authKeys } from './get-me'

/** resendVerification asks Auth0 to email a new verification link. */
export function resendVerification() {
  return api.post<{ message: string }>('/api/account/email-verification')
}

export function useResendVerification() {
  return useMutation({ mutationFn: resendVerification })
}

/** checkVerification asks the server to re-read email_verified after the link was opened. */
export function checkVerification() {
  return api.post<{ emailVerified: boolean }>('/api/account/email-verification/check')
}

export function useCheckVerification() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: checkVerification,
    onSuccess: (res) => {
      if (res.emailVerified) void qc.invalidateQueries({ queryKey: authKeys.me })
    },
  })
}
