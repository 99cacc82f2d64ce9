import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, setCsrfToken } from '@/lib/api-client'

/** exportUrl downloads everything the panel holds about the caller (a JSON attachment). */
export const exportUrl = '/api/account/export'

export function eraseAccount(confirm: string) {
  return api.delete<void>('/api/account', { confirm })
}

/** useEraseAccount closes the account; the server signs the caller out. */
export function useEraseAccount() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: eraseAccount,
    onSuccess: () => {
      setCsrfToken(null)
      qc.clear()
    },
  })
}
