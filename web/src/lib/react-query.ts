import { QueryClient } from '@tanstack/react-query'
import { isApiError } from './api-client'

/** makeQueryClient builds the app's cache: no retries for client errors, a short stale time. */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (count, err) => {
          if (isApiError(err) && err.status > 0 && err.status < 500) return false
          return count < 2
        },
      },
      // Never queue a change while offline to send it later: it runs now, and the client refuses it at once.
      mutations: { retry: false, networkMode: 'always' },
    },
  })
}
