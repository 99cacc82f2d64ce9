import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api, setCsrfToken } from '@/lib/api-client'
import type { AuthResponse, RegistrationAccepted } from '@/types/api'
import { authKeys } from './get-me'
import { login } from './login'

export const registerSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters.'),
  email: z.string().trim().min(1, 'Enter your email address.').pipe(z.email('Enter a valid email address.')),
  password: z.string().min(10, 'Use at least 10 characters.').max(128, 'Use at most 128 characters.'),
})
export type RegisterInput = z.infer<typeof registerSchema>

/**
 * register creates the account, then signs in. The server answers
 * registration the same whether or not the email already had an account
 * (so it cannot be used to find out who has one) and signs nobody in.
 */
export async function register(input: RegisterInput): Promise<AuthResponse> {
  await api.post<RegistrationAccepted>('/api/auth/register', input, { allow401: true })
  return login({ email: input.email, password: input.password })
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
