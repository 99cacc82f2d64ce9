import { delay, http, HttpResponse } from 'msw'
import type { Task } from '@/types/api'
import { db, makeServer } from './db'

export const CSRF = 'csrf-test-token'

/** apiError builds the Go error body. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string>) {
  return HttpResponse.json({ error: { code, message, requestId: 'req-test', fields } }, { status })
}

function needUser() {
  return db.me ? null : apiError(401, 'unauthorized', 'Sign in to continue.')
}

/** needCsrf mirrors the backend: cookie-authenticated writes must carry the token. */
function needCsrf(request: Request) {
  return request.headers.get('X-CSRF-Token') === CSRF ? null : apiError(403, 'csrf', 'Your session expired. Reload the page.')
}

function findServer(id: string) {
  return db.servers.find((s) => s.id === Number(id))
}

/** cursorPage pages a list as the Go handlers do: ?limit (default 25) and an opaque ?cursor, "" after the last page. */
function cursorPage<T>(all: T[], url: URL) {
  const limit = Number(url.searchParams.get('limit') ?? 25)
  const start = Number(url.searchParams.get('cursor') ?? 0)
  const end = start + limit
  return { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : '' }
}

let taskSeq = 1000
/** startTask queues a task whose polls go pending → running → done. */
function startTask(serverId: number, action: string): Task {
  const id = String(++taskSeq)
  const base: Task = { id, action, status: 'pending', progress: 0, startedAt: '2026-11-22T10:00:00Z', finishedAt: null }
  db.tasks.set(`${serverId}/${id}`, [
    { ...base, status: 'running', progress: 50 },
    { ...base, status: 'done', progress: 100, finishedAt: '2026-11-22T10:00:10Z' },
  ])
  return base
}

export const handlers = [
  http.get('/api/auth/me', () => needUser() ?? HttpResponse.json({ user: db.me, csrfToken: CSRF })),
  http.post('/api/auth/login', async ({ request }) => {
    const body = (await request.json()) as { email: string; password: string }
    if (body.password !== 'correct horse') return apiError(401, 'unauthorized', 'Wrong email or password.')
    db.me = { ...db.me!, email: body.email }
    return HttpResponse.json({ user: db.me, csrfToken: CSRF })
  }),
  http.post('/api/auth/logout', () => {
    db.me = null
    return new HttpResponse(null, { status: 204 })
  }),

  http.get('/api/billing/balance', () => needUser() ?? HttpResponse.json(db.balance)),
  http.get('/api/billing/transactions', ({ request }) => {
    const type = new URL(request.url).searchParams.get('type')
    const items = db.transactions.filter((t) => !type || t.type === type)
    return HttpResponse.json({ items, nextCursor: '' })
  }),
  http.get('/api/billing/invoices', () =>
    HttpResponse.json({
      invoices: [
        { id: '2026-10', periodStart: '2026-10-01T00:00:00Z', periodEnd: '2026-11-01T00:00:00Z', openingMinor: 0, creditsMinor: 2500, chargesMinor: 400, closingMinor: 2100, currency: 'USD' },
      ],
    }),
  ),
  http.get('/api/billing/checkout', () => needUser() ?? HttpResponse.json({ mode: 'redirect', clientId: 'sim-client', currency: 'USD', topupMinMinor: 500, topupMaxMinor: 100000 })),
  http.post('/api/billing/topups', async ({ request }) => {
    const body = (await request.json()) as { amount: string }
    return HttpResponse.json({ orderId: 'ORDER-1', approveUrl: `https://paypal.test/approve?amount=${body.amount}`, amountMinor: Math.round(Number(body.amount) * 100) }, { status: 201 })
  }),
  http.post('/api/billing/topups/:orderId/capture', () => {
    db.balance = { ...db.balance, balanceMinor: db.balance.balanceMinor + 2500, low: false }
    return HttpResponse.json({ status: 'COMPLETED', credited: true, balanceMinor: db.balance.balanceMinor })
  }),

  http.get('/api/servers', () => needUser() ?? HttpResponse.json({ servers: db.servers })),
  http.get('/api/servers/:id', ({ params }) => {
    const s = findServer(params.id as string)
    return s ? HttpResponse.json({ server: s }) : apiError(404, 'not_found', 'Server not found.')
  }),
  http.post('/api/servers/:id/power', async ({ request, params }) => {
    const denied = needCsrf(request)
    if (denied) return denied
    const { action } = (await request.json()) as { action: string }
    return HttpResponse.json({ task: startTask(Number(params.id), action) }, { status: 202 })
  }),
  http.get('/api/servers/:id/tasks/:taskId', ({ params }) => {
    const queue = db.tasks.get(`${params.id}/${params.taskId}`)
    if (!queue) return apiError(404, 'not_found', 'Task not found.')
    const next = queue.length > 1 ? queue.shift()! : queue[0]
    return HttpResponse.json({ task: next })
  }),
  http.get('/api/servers/:id/templates', () => HttpResponse.json({ groups: db.templates })),
  http.post('/api/servers/:id/reinstall', async ({ request, params }) => {
    const body = (await request.json()) as { confirm: string }
    const s = findServer(params.id as string)!
    if (body.confirm !== s.name) return apiError(400, 'invalid', 'Some fields are invalid.', { confirm: 'Type the server name.' })
    return HttpResponse.json({ task: startTask(s.id, 'reinstall'), rootPassword: 'N3w-R00t-Pa55' }, { status: 202 })
  }),
  http.get('/api/servers/:id/metrics/history', ({ params, request }) => {
    const range = new URL(request.url).searchParams.get('range') ?? '24h'
    return findServer(String(params.id)) ? HttpResponse.json({ range, stepSeconds: 300, points: db.metricsHistory }) : apiError(404, 'not_found', 'server not found')
  }),
  http.get('/api/servers/:id/metrics', () =>
    HttpResponse.json({
      sampledAt: new Date().toISOString(),
      running: true,
      cpuPercent: 12.5,
      memory: { usedBytes: 512 * 1024 ** 2, totalBytes: 2048 * 1024 ** 2 },
      disk: { usedBytes: 5 * 1024 ** 3, totalBytes: 40 * 1024 ** 3, readBytes: 1000, writeBytes: 2000 },
    }),
  ),
  http.get('/api/servers/:id/traffic', () => HttpResponse.json({ periods: [] })),
  http.get('/api/status', () => HttpResponse.json(db.status)),
  http.get('/api/settings', () => HttpResponse.json({ companyName: 'vfpanel', logoUrl: '', primaryColor: '#2563eb', accentColor: '#2563eb', supportEmail: '', postalAddress: '', taxId: '', announcement: '', discordUrl: '' })),
  http.put('/api/admin/status-message', async ({ request }) => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const body = (await request.json()) as { kind: 'maintenance' | 'incident'; text: string }
    const message = { kind: body.kind, text: body.text.trim(), updatedAt: new Date().toISOString() }
    db.status = { ...db.status, message, status: body.kind === 'maintenance' ? 'maintenance' : 'degraded' }
    return HttpResponse.json({ message })
  }),
  http.delete('/api/admin/status-message', () => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    db.status = { ...db.status, message: null, status: 'operational' }
    return new HttpResponse(null, { status: 204 })
  }),
  http.get('/api/servers/:id/backups', () => HttpResponse.json({ backups: [] })),
  http.get('/api/account/ssh-keys', () => HttpResponse.json({ keys: db.sshKeys })),
  http.post('/api/account/ssh-keys', async ({ request }) => {
    const body = (await request.json()) as { name: string; publicKey: string }
    const key = { id: db.sshKeys.length + 1, name: body.name, type: body.publicKey.split(' ')[0], fingerprint: 'SHA256:new', createdAt: '2026-11-22T10:00:00Z' }
    db.sshKeys.push(key)
    return HttpResponse.json({ key }, { status: 201 })
  }),
  http.delete('/api/account/ssh-keys/:id', ({ params }) => {
    db.sshKeys = db.sshKeys.filter((k) => k.id !== Number(params.id))
    return new HttpResponse(null, { status: 204 })
  }),
  http.delete('/api/account/sessions/:id', ({ params }) => {
    db.sessions = db.sessions.filter((s) => s.id !== params.id)
    return new HttpResponse(null, { status: 204 })
  }),
  http.get('/api/account/sessions', () => HttpResponse.json({ sessions: db.sessions })),
  http.delete('/api/account', async ({ request }) => {
    const denied = needUser() ?? needCsrf(request)
    if (denied) return denied
    const { confirm } = (await request.json()) as { confirm: string }
    if (confirm.toLowerCase() !== db.me!.email.toLowerCase()) return apiError(400, 'invalid', 'Type your account\'s email address to confirm.')
    if (db.servers.length > 0) return apiError(409, 'conflict', 'Delete your servers first; server "web-1" is still active.')
    db.me = null
    return new HttpResponse(null, { status: 204 })
  }),
  http.get('/api/account/tokens', () => HttpResponse.json({ tokens: db.tokens })),
  http.post('/api/account/tokens', async ({ request }) => {
    const denied = needCsrf(request)
    if (denied) return denied
    const body = (await request.json()) as { name: string; scope: 'read' | 'power' | 'full'; expiresInDays: number }
    const t = { id: `tok_${db.tokens.length + 1}`, name: body.name, scope: body.scope, createdAt: '2026-12-01T10:00:00Z', expiresAt: '2026-12-31T10:00:00Z', lastUsedAt: null }
    db.tokens = [t, ...db.tokens]
    return HttpResponse.json({ ...t, token: 'vfp_secretsecretsecret' }, { status: 201 })
  }),
  http.delete('/api/account/tokens/:id', ({ params }) => {
    db.tokens = db.tokens.filter((t) => t.id !== params.id)
    return new HttpResponse(null, { status: 204 })
  }),
  http.get('/api/account/activity', () => HttpResponse.json({ items: db.activity, nextCursor: '' })),

  http.get('/api/catalog/locations', () => HttpResponse.json({ locations: db.locations })),
  http.get('/api/catalog/packages', () => HttpResponse.json({ packages: db.packages })),
  http.get('/api/catalog/packages/:id/templates', () => HttpResponse.json({ groups: db.templates })),
  http.post('/api/servers', async ({ request }) => {
    const denied = needCsrf(request)
    if (denied) return denied
    if (!request.headers.get('Idempotency-Key')) return apiError(400, 'invalid', 'Idempotency-Key header is required.')
    const body = (await request.json()) as { name: string; hostname: string }
    if (db.balance.balanceMinor < 100)
      return apiError(402, 'payment_required', 'Your balance must cover 24 hours of this plan ($0.24).')
    await delay(5)
    const s = makeServer(201, body.name, { hostname: body.hostname, provisioning: 'building', build: { state: 'queued', progress: 10 } })
    db.servers.push(s)
    return HttpResponse.json({ server: s, rootPassword: 'F1rst-R00t-Pa55' }, { status: 201 })
  }),

  http.get('/api/account/notifications', () => needUser() ?? HttpResponse.json(db.notificationPrefs)),
  http.put('/api/account/notifications', async ({ request }) => {
    const denied = needCsrf(request)
    if (denied) return denied
    const body = (await request.json()) as { nonEssentialOff?: unknown }
    if (typeof body.nonEssentialOff !== 'boolean') return apiError(400, 'invalid', 'Some fields are invalid.', { nonEssentialOff: 'Send true or false.' })
    db.notificationPrefs = { nonEssentialOff: body.nonEssentialOff, updatedAt: '2026-11-22T12:00:00Z' }
    return HttpResponse.json(db.notificationPrefs)
  }),
  http.get('/api/account/mail', ({ request }) => needUser() ?? HttpResponse.json(cursorPage(db.mail, new URL(request.url)))),
  http.get('/api/admin/notifications/failed', ({ request }) =>
    db.me?.role === 'admin' ? HttpResponse.json(cursorPage(db.failedNotifications, new URL(request.url))) : apiError(403, 'forbidden', 'Admins only.'),
  ),
  http.post('/api/admin/notifications/:id/retry', ({ request, params }) => {
    const denied = needCsrf(request)
    if (denied) return denied
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const before = db.failedNotifications.length
    db.failedNotifications = db.failedNotifications.filter((n) => n.id !== params.id)
    if (db.failedNotifications.length === before) return apiError(409, 'conflict', 'This notification is not failed.')
    db.retried.push(params.id as string)
    return new HttpResponse(null, { status: 204 })
  }),

  http.get('/api/admin/users', () => (db.me?.role === 'admin' ? HttpResponse.json({ items: db.adminUsers, nextCursor: '' }) : apiError(403, 'forbidden', 'Admins only.'))),
]
