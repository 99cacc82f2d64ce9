import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, setCsrfToken } from '@/lib/api-client'

export function logout() {
  return api.post<void>('/api/auth/logout', undefined, { allow401: true })
}

export function logoutAll() {
  return api.post<void>('/api/auth/logout-all')
}

function useSignOut(fn: () => Promise<void>) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      setCsrfToken(null)
      qc.clear()
    },
  })
}

/** useLogout ends this session. */
export function useLogout() {
  return useSignOut(logout)
}

/** useLogoutAll ends every session of the account, this one included. */
export function useLogoutAll() {
  return useSignOut(logoutAll)
}
