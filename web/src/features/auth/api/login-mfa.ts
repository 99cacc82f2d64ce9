import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api, setCsrfToken } from '@/lib/api-client'
import type { AuthResponse } from '@/types/api'
import { authKeys } from './get-me'

export const mfaCodeSchema = z.object({
  code: z
    .string()
    .transform((s) => s.replace(/\s/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6 digits your app shows.')),
})
export const recoveryCodeSchema = z.object({
  recoveryCode: z.string().trim().min(1, 'Enter your recovery code.'),
})
export type LoginMfaInput = { code: string } | { recoveryCode: string }

/** loginMfa finishes a sign-in that answered mfa_required (the challenge is in an HttpOnly cookie). */
export function loginMfa(input: LoginMfaInput) {
  return api.post<AuthResponse>('/api/auth/login/mfa', input, { allow401: true })
}

export function useLoginMfa() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: loginMfa,
    onSuccess: (res) => {
      setCsrfToken(res.csrfToken)
      qc.setQueryData(authKeys.me, res)
    },
  })
}
