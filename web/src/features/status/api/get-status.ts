import { useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { PublicStatus } from '@/types/api'

export const statusKeys = { all: ['status'] as const }

export const getStatus = () => api.get<PublicStatus>('/api/status')

/** useStatus reads the public status; CloudFront caches it 30 s, so polling every minute is plenty. */
export function useStatus() {
  return useQuery({ queryKey: statusKeys.all, queryFn: getStatus, refetchInterval: 60_000, staleTime: 30_000 })
}
