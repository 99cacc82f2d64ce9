import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { SshKey } from '@/types/api'
import { accountKeys } from './keys'

const keyTypes = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/

export const sshKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name, like "laptop".').max(64, 'Use at most 64 characters.'),
  publicKey: z
    .string()
    .trim()
    .min(1, 'Paste your public key.')
    .refine((v) => !v.includes('PRIVATE KEY'), 'That is a private key. Paste the public key (the .pub file) instead.')
    .refine((v) => keyTypes.test(v), 'Paste one OpenSSH public key starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-….'),
})
export type SshKeyInput = z.infer<typeof sshKeySchema>

export function createSshKey(input: SshKeyInput) {
  return api.post<{ key: SshKey }>('/api/account/ssh-keys', input)
}

export function useCreateSshKey() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: createSshKey, onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.sshKeys }) })
}
