import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { SshKey } from '@/types/api'
import { accountKeys } from './keys'

export const getSshKeys = () => api.get<{ keys: SshKey[] }>('/api/account/ssh-keys')

export const sshKeysQueryOptions = () => queryOptions({ queryKey: accountKeys.sshKeys, queryFn: getSshKeys, select: (r) => r.keys })

export function useSshKeys() {
  return useQuery(sshKeysQueryOptions())
}
