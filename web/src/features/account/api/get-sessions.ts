import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Session } from '@/types/api'
import { accountKeys } from './keys'

export const getSessions = () => api.get<{ sessions: Session[] }>('/api/account/sessions')

export const sessionsQueryOptions = () => queryOptions({ queryKey: accountKeys.sessions, queryFn: getSessions, select: (r) => r.sessions })

export function useSessions() {
  return useQuery(sessionsQueryOptions())
}
