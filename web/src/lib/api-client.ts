/**
 * The one HTTP client for /api. It sends the session cookie, adds the CSRF header to
 * state-changing requests, and turns the Go error body into a typed ApiError.
 */

export type ApiErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf'
  | 'not_found'
  | 'conflict'
  | 'server_suspended'
  | 'server_busy'
  | 'payment_required'
  | 'too_large'
  | 'idempotency_mismatch'
  | 'amount_out_of_range'
  | 'rate_limited'
  | 'upstream'
  | 'unavailable'
  | 'timeout'
  | 'internal'
  | 'network'
  | 'offline'
  | 'mfa_required'
  | 'mfa_reauth'
  | 'mfa_required_for_staff'
  | 'email_unverified'

interface ErrorBody {
  error?: {
    code?: string
    message?: string
    requestId?: string
    fields?: Record<string, string>
    retryAfter?: number
  }
}

/** ApiError is every failed API call: the server's code and message, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly code: ApiErrorCode
  readonly fields: Record<string, string>
  readonly requestId?: string
  readonly retryAfter?: number

  constructor(init: {
    status: number
    code: ApiErrorCode
    message: string
    fields?: Record<string, string>
    requestId?: string
    retryAfter?: number
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.fields = init.fields ?? {}
    this.requestId = init.requestId
    this.retryAfter = init.retryAfter
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError
}

/** errorMessage returns what to show a person for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message
  return 'Something went wrong. Please try again.'
}

// The CSRF token lives in memory only: it comes with /api/auth/me and login.
let csrfToken: string | null = null
export function setCsrfToken(token: string | null) {
  csrfToken = token
}
export function getCsrfToken() {
  return csrfToken
}

let onUnauthorized: (() => void) | null = null
/** setUnauthorizedHandler registers what happens when a call answers 401 (sign the user out, go to /login). */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  params?: Record<string, string | number | undefined | null>
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Leave a 401 to the caller instead of redirecting to /login (sign-in form, session probe). */
  allow401?: boolean
}

function buildUrl(path: string, params?: RequestOptions['params']) {
  if (!params) return path
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v))
  }
  const s = qs.toString()
  return s ? `${path}?${s}` : path
}

/** fallbackMessage is what to say when the answer is not ours (a proxy's HTML error page, a bare status). */
function fallbackMessage(status: number) {
  if (status === 502 || status === 503 || status === 504)
    return "The panel can't be reached right now. Please try again in a minute."
  if (status === 401) return 'Your session has ended. Please sign in again.'
  if (status === 429) return 'Too many requests. Please wait a moment and try again.'
  if (status >= 500) return 'Something went wrong on our side. Please try again.'
  return `The request failed (HTTP ${status}).`
}

async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers }
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken

  // A change made offline is refused now rather than sent whenever the connection returns.
  if (method !== 'GET' && typeof navigator !== 'undefined' && navigator.onLine === false) {
    throw new ApiError({
      status: 0,
      code: 'offline',
      message: "You're offline, so nothing was sent. Reconnect and try again.",
    })
  }

  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.params), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'include',
      signal: opts.signal,
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new ApiError({
      status: 0,
      code: 'network',
      message: 'Could not reach the server. Check your connection and try again.',
    })
  }

  if (res.ok) {
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  let body: ErrorBody = {}
  try {
    body = (await res.json()) as ErrorBody
  } catch {
    // Not JSON (a proxy error page): fall back to the status text below.
  }
  const e = body.error ?? {}
  const err = new ApiError({
    status: res.status,
    code: (e.code as ApiErrorCode) ?? (res.status === 401 ? 'unauthorized' : res.status >= 502 && res.status <= 504 ? 'unavailable' : 'internal'),
    message: e.message || fallbackMessage(res.status),
    fields: e.fields,
    requestId: e.requestId ?? res.headers.get('X-Request-Id') ?? undefined,
    retryAfter: e.retryAfter,
  })
  if (res.status === 401 && !opts.allow401) {
    csrfToken = null
    onUnauthorized?.()
  }
  throw err
}

/** api is the client every feature uses. */
export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...opts, method: 'GET' }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...opts, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...opts, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...opts, method: 'PATCH', body }),
  delete: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...opts, method: 'DELETE', body }),
}
