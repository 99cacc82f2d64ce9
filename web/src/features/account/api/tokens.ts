import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { ApiToken, NewApiToken } from '@/types/api'
import { accountKeys } from './keys'

export function getTokens() {
  return api.get<{ tokens: ApiToken[] }>('/api/account/tokens').then((r) => r.tokens)
}

export function useTokens() {
  return useQuery({ queryKey: accountKeys.tokens, queryFn: getTokens })
}

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, 'Name the token, e.g. after the script that uses it.').max(64, 'Use at most 64 characters.'),
  scope: z.enum(['read', 'power', 'full']),
  expiresInDays: z.coerce.number().int().min(1).max(366),
})
export type NewTokenInput = z.infer<typeof newTokenSchema>

export function createToken(input: NewTokenInput) {
  return api.post<NewApiToken>('/api/account/tokens', input)
}

export function useCreateToken() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: createToken, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.tokens }) })
}

export function revokeToken(id: string) {
  return api.delete<void>(`/api/account/tokens/${encodeURIComponent(id)}`)
}

export function useRevokeToken() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: revokeToken, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.tokens }) })
}
