import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { components } from '@/types/openapi'

export type FirewallPresets = components['schemas']['FirewallPresets']
export type FirewallPreset = components['schemas']['FirewallPreset']

const key = ['admin', 'firewall-presets'] as const

/** useFirewallPresets is the operator's presets: names for VirtFusion firewall rulesets. */
export function useFirewallPresets() {
  return useQuery({ queryKey: key, queryFn: () => api.get<FirewallPresets>('/api/admin/firewall-presets') })
}

/** useSaveFirewallPresets saves the whole list; version is the one loaded (a newer save is a conflict). */
export function useSaveFirewallPresets() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (p: FirewallPresets) => api.put<FirewallPresets>('/api/admin/firewall-presets', p),
    onSuccess: (data) => qc.setQueryData(key, data),
  })
}

/** parsePreset checks the add form the way the API does; it returns the preset or a message. */
export function parsePreset(f: { id: string; name: string; description: string; rulesets: string }, taken: string[]): FirewallPreset | string {
  const id = f.id.trim()
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(id)) return 'Use 1–32 lowercase letters, digits or dashes for the id.'
  if (taken.includes(id)) return 'Another preset has this id.'
  const name = f.name.trim()
  if (name === '' || name.length > 40) return 'Give a name of at most 40 characters.'
  if (f.description.length > 200) return 'Keep the description to 200 characters.'
  const parts = f.rulesets.split(',').map((s) => s.trim()).filter(Boolean)
  if (parts.length === 0 || parts.length > 10 || parts.some((s) => !/^[1-9]\d*$/.test(s))) return 'Give 1–10 VirtFusion ruleset ids, separated by commas.'
  return { id, name, description: f.description.trim(), rulesetIds: parts.map(Number) }
}
