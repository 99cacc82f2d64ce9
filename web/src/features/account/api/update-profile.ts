import { useMutation, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { api } from '@/lib/api-client'
import type { User } from '@/types/api'

export const profileSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters.'),
})

export function updateProfile(input: { name: string }) {
  return api.patch<{ user: User }>('/api/account/profile', input)
}

/** useUpdateProfile saves the name and refreshes the signed-in user. */
export function useUpdateProfile() {
  const qc = useQueryClient()
  return useMutation({ mutationFn: updateProfile, onSuccess: () => qc.invalidateQueries({ queryKey: ['auth', 'me'] }) })
}
