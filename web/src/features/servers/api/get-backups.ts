import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Backup } from '@/types/api'
import { serverKeys } from './keys'

export const getBackups = (id: number) => api.get<{ backups: Backup[] }>(`/api/servers/${id}/backups`)

export const backupsQueryOptions = (id: number) => queryOptions({ queryKey: serverKeys.backups(id), queryFn: () => getBackups(id) })

export function useBackups(id: number) {
  return useQuery(backupsQueryOptions(id))
}
