import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { components } from '@/types/openapi'
import { serverKeys } from './keys'

export type FirewallView = components['schemas']['FirewallView']
export type FirewallRequest = components['schemas']['FirewallRequest']

const firewallKey = (id: number, iface: string) => [...serverKeys.detail(id), 'firewall', iface] as const

/** useFirewall is an interface's firewall: the rules in effect, the presets offered and the last change; polls while a change is pending. */
export function useFirewall(id: number, iface = 'primary') {
  return useQuery({
    queryKey: firewallKey(id, iface),
    queryFn: () => api.get<FirewallView>(`/api/servers/${id}/firewall/${iface}`),
    refetchInterval: (q) => (q.state.data?.change?.status === 'pending' ? 3000 : false),
  })
}

/** useSetFirewall applies an on/off switch and presets; the answer carries the change's state (applied or failed). */
export function useSetFirewall(id: number, iface = 'primary') {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: FirewallRequest) => api.put<FirewallView>(`/api/servers/${id}/firewall/${iface}`, body),
    onSuccess: (data) => qc.setQueryData(firewallKey(id, iface), data),
  })
}

/** validateFirewall is the form's rule (the API enforces the same). */
export function validateFirewall(body: FirewallRequest): string | null {
  if (body.enabled && body.presets.length === 0) return 'Choose at least one preset, or turn the firewall off.'
  return null
}
