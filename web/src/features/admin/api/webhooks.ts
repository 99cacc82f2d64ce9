import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Page, Reprocessed, WebhookDelivery } from '@/types/api'

/** WebhookFilters are the webhook log's server-side filters. */
export interface WebhookFilters {
  source: '' | 'paypal' | 'virtfusion'
  state: '' | 'processed' | 'failed' | 'ignored'
}

const hooksKey = (f: WebhookFilters) => ['admin', 'webhooks', f] as const

export const getWebhooks = (f: WebhookFilters, cursor?: string) =>
  api.get<Page<WebhookDelivery>>('/api/admin/webhooks', { params: { source: f.source || undefined, state: f.state || undefined, cursor } })

/** useWebhooks pages through webhook deliveries, newest first, server-side. */
export function useWebhooks(f: WebhookFilters) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: hooksKey(f),
      queryFn: ({ pageParam }) => getWebhooks(f, pageParam || undefined),
      initialPageParam: '',
      getNextPageParam: (last) => last.nextCursor || undefined,
    }),
  )
}

export const reprocessWebhook = (d: { source: string; id: string }) =>
  api.post<Reprocessed>(`/api/admin/webhooks/${encodeURIComponent(d.source)}/${encodeURIComponent(d.id)}/reprocess`, {})

/** useReprocessWebhook processes a stored event again; money moves at most once. */
export function useReprocessWebhook() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: reprocessWebhook, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'webhooks'] }) })
}
