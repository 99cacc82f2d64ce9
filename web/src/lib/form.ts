import type { z } from 'zod'
import { isApiError } from './api-client'

export type FieldErrors = Record<string, string>

/** zodFieldErrors keeps the first message for each field path. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) {
    const key = issue.path.join('.')
    if (!out[key]) out[key] = issue.message
  }
  return out
}

/** apiFieldErrors returns the per-field messages of an "invalid" server answer. */
export function apiFieldErrors(err: unknown): FieldErrors {
  return isApiError(err) ? err.fields : {}
}

/** safeReturnTo keeps only same-site paths, so ?returnTo can't send people elsewhere. */
export function safeReturnTo(value: string | null | undefined, fallback = '/') {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback
  if (value.startsWith('/login') || value.startsWith('/register')) return fallback
  return value
}
