import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { MfaEnrolment, MfaStatus } from '@/types/api'
import { accountKeys } from './keys'

/** getMfa lists the account's second factors; it answers mfa_reauth until the password was confirmed. */
export function getMfa() {
  return api.get<MfaStatus>('/api/account/mfa')
}

export const mfaQueryOptions = () => queryOptions({ queryKey: accountKeys.mfa, queryFn: getMfa, retry: false })

export function useMfa() {
  return useQuery(mfaQueryOptions())
}

export const mfaAccessSchema = z.object({
  password: z.string().min(1, 'Enter your password.'),
  code: z
    .string()
    .transform((s) => s.replace(/\s/g, ''))
    .pipe(z.string().regex(/^(\d{6})?$/, 'Enter the 6 digits your app shows.')),
})
export type MfaAccessInput = z.infer<typeof mfaAccessSchema>

/** confirmPassword opens Account → Security for ten minutes (the server keeps Auth0's MFA token). */
export function confirmPassword(input: MfaAccessInput) {
  return api.post<{ expiresAt: string }>('/api/account/mfa/access', input, { allow401: true })
}

export function useConfirmPassword() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: confirmPassword, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.mfa }) })
}

export function enrolMfa() {
  return api.post<MfaEnrolment>('/api/account/mfa/enroll', {})
}

export function useEnrolMfa() {
  return useMutation({ mutationFn: enrolMfa })
}

export function confirmMfa(code: string) {
  return api.post<void>('/api/account/mfa/enroll/confirm', { code }, { allow401: true })
}

export function useConfirmMfa() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: confirmMfa, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.mfa }) })
}

export function deleteAuthenticator(id: string) {
  return api.delete<void>(`/api/account/mfa/authenticators/${encodeURIComponent(id)}`)
}

export function useDeleteAuthenticator() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: deleteAuthenticator, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.mfa }) })
}
