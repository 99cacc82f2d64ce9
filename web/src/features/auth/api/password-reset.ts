import { useMutation } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'

export const passwordResetSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.').pipe(z.email('Enter a valid email address.')),
})

export function requestPasswordReset(input: { email: string }) {
  return api.post<{ ok: boolean }>('/api/auth/password-reset', input, { allow401: true })
}

export function usePasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset })
}
