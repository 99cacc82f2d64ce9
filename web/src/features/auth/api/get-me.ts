import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, setCsrfToken } from '@/lib/api-client'
import type { AuthResponse, User } from '@/types/api'

export const authKeys = { me: ['auth', 'me'] as const }

/** getMe probes the session; it also picks up the CSRF token for later writes. */
export async function getMe(): Promise<AuthResponse> {
  const res = await api.get<AuthResponse>('/api/auth/me', { allow401: true })
  setCsrfToken(res.csrfToken)
  return res
}

export const meQueryOptions = () =>
  queryOptions({ queryKey: authKeys.me, queryFn: getMe, staleTime: 5 * 60_000, retry: false, refetchOnWindowFocus: false })

export function useMe() {
  return useQuery(meQueryOptions())
}

/** useUser returns the signed-in user; use it only below the signed-in guard. */
export function useUser(): User {
  const qc = useQueryClient()
  const { data } = useMe()
  const user = data?.user ?? qc.getQueryData<AuthResponse>(authKeys.me)?.user
  if (!user) throw new Error('useUser used outside the signed-in area')
  return user
}
