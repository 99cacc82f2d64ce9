import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api, setCsrfToken } from '@/lib/api-client'
import type { AuthResponse } from '@/types/api'
import { authKeys } from './get-me'

export const loginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.').pipe(z.email('Enter a valid email address.')),
  password: z.string().min(1, 'Enter your password.'),
})
export type LoginInput = z.infer<typeof loginSchema>

export function login(input: LoginInput) {
  return api.post<AuthResponse>('/api/auth/login', input, { allow401: true })
}

export function useLogin() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: login,
    onSuccess: (res) => {
      setCsrfToken(res.csrfToken)
      qc.setQueryData(authKeys.me, res)
    },
  })
}
