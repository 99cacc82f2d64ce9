import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminSettings, AdminSettingsView } from '@/types/api'

const settingsKey = ['admin', 'settings'] as const

export const getAdminSettings = () => api.get<AdminSettingsView>('/api/admin/settings')
export const putAdminSettings = (s: AdminSettings) => api.put<AdminSettingsView>('/api/admin/settings', s)

export const adminSettingsQueryOptions = () => queryOptions({ queryKey: settingsKey, queryFn: getAdminSettings })

/** useAdminSettings reads the run-time settings in force and their defaults. */
export function useAdminSettings() {
  return useQuery(adminSettingsQueryOptions())
}

/** useSaveSettings saves them; every function obeys within a minute. */
export function useSaveSettings() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: putAdminSettings, onSuccess: (v) => qc.setQueryData(settingsKey, v) })
}
