import { useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { PublicSettings } from '@/types/api'

export const getPublicSettings = () => api.get<PublicSettings>('/api/settings')

/** usePublicSettings reads how the company presents itself and its announcement (public; cached a minute). */
export function usePublicSettings() {
  return useQuery({ queryKey: ['settings', 'public'], queryFn: getPublicSettings, refetchInterval: 120_000, staleTime: 60_000 })
}
