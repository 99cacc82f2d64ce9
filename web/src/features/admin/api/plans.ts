import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AdminPackage } from '@/types/api'

const plansKey = ['admin', 'plans'] as const

export const getPlans = () => api.get<{ packages: AdminPackage[] }>('/api/admin/packages')

/** usePlans lists every VirtFusion package with its price (or none) and the servers on it. */
export function usePlans() {
  return useQuery(queryOptions({ queryKey: plansKey, queryFn: getPlans }))
}

/** useSetPlanHidden hides a priced plan from ordering, or offers it again. */
export function useSetPlanHidden() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, hidden }: { id: number; hidden: boolean }) => api.put(`/api/admin/packages/${id}/visibility`, { hidden }),
    onSuccess: () => qc.invalidateQueries({ queryKey: plansKey }),
  })
}

/** useRemovePlanPrice takes a plan off sale. */
export function useRemovePlanPrice() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/admin/packages/${id}/price`),
    onSuccess: () => qc.invalidateQueries({ queryKey: plansKey }),
  })
}
