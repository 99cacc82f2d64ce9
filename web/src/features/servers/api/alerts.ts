import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { AlertRequest, ServerAlert } from '@/types/api'
import { serverKeys } from './keys'

export const getAlerts = (id: number) => api.get<{ items: ServerAlert[] }>(`/api/servers/${id}/alerts`)

export const alertsQueryOptions = (id: number) => queryOptions({ queryKey: serverKeys.alerts(id), queryFn: () => getAlerts(id) })

/** useAlerts lists the customer's alerts on a server. */
export function useAlerts(id: number) {
  return useQuery(alertsQueryOptions(id))
}

/** alertSchema checks a new alert before it is sent; the server checks it again. */
export const alertSchema = z
  .object({
    kind: z.enum(['cpu', 'traffic', 'stopped']),
    cpuPercent: z.coerce.number().int().min(1, 'Choose 1 to 100 %.').max(100, 'Choose 1 to 100 %.'),
    minutes: z.coerce.number().int().min(5, 'At least 5 minutes.').max(1440, 'At most 1440 minutes.'),
    trafficPercent: z.coerce.number().refine((v) => v === 80 || v === 100, 'Choose 80 or 100 %.'),
    cooldownMinutes: z.coerce.number().int().min(5, 'At least 5 minutes.').max(10080, 'At most 7 days.'),
    email: z.boolean(),
    webhookUrl: z
      .string()
      .trim()
      .refine((v) => v === '' || v.startsWith('https://'), 'Use an https:// webhook URL.'),
  })
  .refine((v) => v.email || v.webhookUrl !== '', { message: 'Choose email, a webhook, or both.', path: ['email'] })

export type AlertForm = z.input<typeof alertSchema>

/** toRequest keeps only the fields of the chosen kind. */
export function toRequest(v: z.output<typeof alertSchema>): AlertRequest {
  const base: AlertRequest = { kind: v.kind, email: v.email, cooldownMinutes: v.cooldownMinutes }
  if (v.webhookUrl) base.webhookUrl = v.webhookUrl
  if (v.kind === 'cpu') return { ...base, cpuPercent: v.cpuPercent, minutes: v.minutes }
  if (v.kind === 'traffic') return { ...base, trafficPercent: v.trafficPercent }
  return base
}

export function useCreateAlert(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (input: AlertRequest) => api.post<{ alert: ServerAlert }>(`/api/servers/${id}/alerts`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: serverKeys.alerts(id) }),
  })
}

/** useToggleAlert turns an alert on or off, keeping its settings and webhook. */
export function useToggleAlert(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (a: ServerAlert) =>
      api.put<{ alert: ServerAlert }>(`/api/servers/${id}/alerts/${a.id}`, {
        kind: a.kind,
        email: a.email,
        cpuPercent: a.cpuPercent,
        minutes: a.minutes,
        trafficPercent: a.trafficPercent,
        cooldownMinutes: a.cooldownMinutes,
        enabled: !a.enabled,
      } satisfies AlertRequest),
    onSuccess: () => qc.invalidateQueries({ queryKey: serverKeys.alerts(id) }),
  })
}

export function useDeleteAlert(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (alertId: string) => api.delete<void>(`/api/servers/${id}/alerts/${alertId}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: serverKeys.alerts(id) }),
  })
}
