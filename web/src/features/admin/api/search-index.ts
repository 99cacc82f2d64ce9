import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'

export const rebuildSearchIndex = () => api.post<{ users: number }>('/api/admin/users/search-index', {})

/** useRebuildSearchIndex writes every user's search terms (users made before the index); safe to repeat. */
export function useRebuildSearchIndex() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: rebuildSearchIndex, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }) })
}
