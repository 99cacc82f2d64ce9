import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { serverKeys } from './keys'

export function deleteServer(id: number, confirm: string) {
  return api.delete<{ ok: boolean }>(`/api/servers/${id}`, { confirm })
}

export function useDeleteServer(id: number) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (confirm: string) => deleteServer(id, confirm),
    onSuccess: () => qc.invalidateQueries({ queryKey: serverKeys.all }),
  })
}
