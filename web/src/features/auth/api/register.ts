import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api, setCsrfToken } from '@/lib/api-client'
import type { AuthResponse } from '@/types/api'
import { authKeys } from './get-me'

export const registerSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters.'),
  email: z.string().trim().min(1, 'Enter your email address.').pipe(z.email('Enter a valid email address.')),
  password: z.string().min(10, 'Use at least 10 characters.').max(128, 'Use at most 128 characters.'),
})
export type RegisterInput = z.infer<typeof registerSchema>

export function register(input: RegisterInput) {
  return api.post<AuthResponse>('/api/auth/register', input, { allow401: true })
}

export function useRegister() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: register,
    onSuccess: (res) => {
      setCsrfToken(res.csrfToken)
      qc.setQueryData(authKeys.me, res)
    },
  })
}
