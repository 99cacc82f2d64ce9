import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { components } from '@/types/openapi'
import { serverKeys } from './keys'

export type ResizePreview = components['schemas']['ResizePreview']
export type ResizeResult = components['schemas']['ResizeResult']

export const previewResize = (id: number, packageId: number) =>
  api.post<ResizePreview>(`/api/servers/${id}/resize/preview`, { packageId })

export const resizePreviewQueryOptions = (id: number, packageId: number) =>
  queryOptions({
    queryKey: [...serverKeys.detail(id), 'resize', packageId] as const,
    queryFn: () => previewResize(id, packageId),
    retry: false,
  })

/** useResizePreview asks what moving to packageId would cost and do (nothing while packageId is 0). */
export function useResizePreview(id: number, packageId: number) {
  return useQuery({ ...resizePreviewQueryOptions(id, packageId), enabled: packageId > 0 })
}

/** resizeServer changes the plan; the idempotency key makes a retried request change (and charge) once. */
export function resizeServer(id: number, packageId: number, idempotencyKey: string) {
  return api.post<ResizeResult>(`/api/servers/${id}/resize`, { packageId }, { headers: { 'Idempotency-Key': idempotencyKey } })
}

export function useResizeServer(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ packageId, idempotencyKey }: { packageId: number; idempotencyKey: string }) => resizeServer(id, packageId, idempotencyKey),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: serverKeys.all })
      qc.invalidateQueries({ queryKey: ['billing'] })
    },
  })
}
