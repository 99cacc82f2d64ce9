import { delay, http, HttpResponse } from 'msw'
import type { AlertRequest, ServerAlert, Task, Ticket, TicketMessage } from '@/types/api'
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
  http.get('/api/billing/auto-topup', () =>
    needUser() ??
    HttpResponse.json({ available: true, saved: false, email: '', enabled: false, thresholdMinor: 0, amountMinor: 0, lastStatus: '', topupMinMinor: 500, topupMaxMinor: 100000 }),
  ),
  http.get('/api/billing/transactions', ({ request }) => {
    const type = new URL(request.url).searchParams.get('type')
    const items = db.transactions.filter((t) => !type || t.type === type)
    return HttpResponse.json({ items, nextCursor: '' })
  }),
  // Invoices (issue 20, item 9): the billing profile.
  http.get('/api/billing/profile', () => needUser() ?? HttpResponse.json({ profile: { name: '', company: '', addressLines: [], taxId: '' } })),
  http.put('/api/billing/profile', async ({ request }) => needUser() ?? HttpResponse.json({ profile: await request.json() })),
  http.get('/api/billing/invoices', () =>
    HttpResponse.json({
      invoices: [
        { id: '2026-10', periodStart: '2026-10-01T00:00:00Z', periodEnd: '2026-11-01T00:00:00Z', openingMinor: 0, creditsMinor: 2500, chargesMinor: 400, closingMinor: 2100, currency: 'USD' },
      ],
    }),
  ),
  http.get('/api/billing/checkout', () => needUser() ?? HttpResponse.json({ mode: 'redirect', clientId: 'sim-client', currency: 'USD', topupMinMinor: 500, topupMaxMinor: 100000, orderPrepayHours: 24 })),
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
  http.get('/api/servers/:id/alerts', ({ params }) =>
    findServer(String(params.id)) ? HttpResponse.json({ items: db.alerts.filter((a) => a.serverId === Number(params.id)) }) : apiError(404, 'not_found', 'server not found'),
  ),
  http.post('/api/servers/:id/alerts', async ({ params, request }) => {
    const body = (await request.json()) as AlertRequest
    if (body.webhookUrl && !body.webhookUrl.startsWith('https://')) return apiError(400, 'invalid', 'Some fields are invalid.', { webhookUrl: 'The webhook URL must start with https://.' })
    const alert: ServerAlert = {
      ...body,
      id: `al${db.alerts.length + 1}`,
      serverId: Number(params.id),
      cooldownMinutes: body.cooldownMinutes ?? 60,
      enabled: true,
      firing: false,
      createdAt: new Date().toISOString(),
      webhookHost: body.webhookUrl ? new URL(body.webhookUrl).host : undefined,
    }
    db.alerts.push(alert)
    return HttpResponse.json({ alert }, { status: 201 })
  }),
  http.delete('/api/servers/:id/alerts/:alertId', ({ params }) => {
    db.alerts = db.alerts.filter((a) => a.id !== params.alertId)
    return new HttpResponse(null, { status: 204 })
  }),
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
  // Activity per server (issue 20, item 4): filtered by the API, 404 for a server that is not the customer's.
  http.get('/api/servers/:id/activity', ({ params }) => {
    if (!db.servers.some((s) => String(s.id) === params.id)) return HttpResponse.json({ error: { code: 'not_found', message: 'Server not found.' } }, { status: 404 })
    return HttpResponse.json({ items: db.activity.filter((a) => a.target === `server:${params.id}`), nextCursor: '' })
  }),

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


  // Support tickets (issue 15).
  http.get('/api/tickets/unread', () => needUser() ?? HttpResponse.json({ count: db.tickets.filter((t) => t.userId === db.me?.id && t.unread).length })),
  http.get('/api/tickets', ({ request }) => {
    const status = new URL(request.url).searchParams.get('status')
    return needUser() ?? HttpResponse.json({ items: db.tickets.filter((t) => t.userId === db.me?.id && (!status || t.status === status)), nextCursor: '' })
  }),
  http.post('/api/tickets', async ({ request }) => {
    const denied = needUser() ?? needCsrf(request)
    if (denied) return denied
    const b = (await request.json()) as { subject: string; category: Ticket['category']; priority: Ticket['priority']; serverId?: number; body: string }
    const t: Ticket = {
      ...db.tickets[0]!, id: `t_${db.tickets.length + 1}`, userId: db.me!.id, subject: b.subject, category: b.category, priority: b.priority,
      serverId: b.serverId ?? 0, serverName: db.servers.find((s) => s.id === b.serverId)?.name ?? '', status: 'open', waitingOn: 'staff', unread: false,
    }
    const m: TicketMessage = { id: `m_${t.id}`, ticketId: t.id, authorId: db.me!.id, authorName: db.me!.name, staff: false, internal: false, body: b.body, createdAt: '2026-11-22T12:00:00Z' }
    db.tickets.unshift(t)
    db.ticketMessages[t.id] = [m]
    return HttpResponse.json({ ticket: t, messages: [m] }, { status: 201 })
  }),
  http.get('/api/tickets/:id', ({ params }) => {
    const t = db.tickets.find((x) => x.id === params.id && x.userId === db.me?.id)
    if (!t) return needUser() ?? apiError(404, 'not_found', 'No such ticket.')
    const out = { ticket: { ...t }, messages: (db.ticketMessages[t.id] ?? []).filter((m) => !m.internal) }
    t.unread = false
    return HttpResponse.json(out)
  }),
  http.post('/api/tickets/:id/:action', async ({ request, params }) => {
    const denied = needUser() ?? needCsrf(request)
    if (denied) return denied
    const t = db.tickets.find((x) => x.id === params.id && x.userId === db.me?.id)
    if (!t) return apiError(404, 'not_found', 'No such ticket.')
    if (params.action === 'close' || params.action === 'reopen') {
      t.status = params.action === 'close' ? 'closed' : 'open'
      return HttpResponse.json(t)
    }
    const b = (await request.json()) as { body: string }
    const m: TicketMessage = { id: `m_${Date.now()}`, ticketId: t.id, authorId: db.me!.id, authorName: db.me!.name, staff: false, internal: false, body: b.body, createdAt: '2026-11-22T12:00:00Z' }
    db.ticketMessages[t.id]!.push(m)
    return HttpResponse.json({ ticket: t, messages: [m] }, { status: 201 })
  }),
  // Admin overview (issue 20, item 10).
  http.get('/api/admin/overview', () =>
    db.me?.role === 'admin'
      ? HttpResponse.json({
          month: '2026-11', users: 42, newUsers: 5, failedPayments: 1, failedBuilds: 0, buildDays: 7, openTickets: 3, asOf: '2026-11-22T10:00:00Z',
          revenue: { month: '2026-11', creditsMinor: 90000, chargesMinor: 123456, topupsMinor: 80000, refundsMinor: 0, reversalsMinor: 0, adjustmentsMinor: 0, customers: 9 },
        })
      : apiError(403, 'forbidden', 'Admins only.'),
  ),
  http.get('/api/admin/tickets', () => (db.me?.role === 'admin' ? HttpResponse.json({ items: db.tickets, nextCursor: '' }) : apiError(403, 'forbidden', 'Admins only.'))),
  http.get('/api/admin/tickets/:id', ({ params }) => {
    const t = db.tickets.find((x) => x.id === params.id)
    return t ? HttpResponse.json({ ticket: t, messages: db.ticketMessages[t.id] ?? [] }) : apiError(404, 'not_found', 'No such ticket.')
  }),
  http.get('/api/admin/tickets/:id/context', () =>
    HttpResponse.json({
      user: db.me, balanceMinor: 4250, currency: 'USD', servers: [{ id: 101, name: 'web-1', state: 'running', suspended: false }],
      activity: [], payments: [{ id: 'le_1', type: 'topup', amountMinor: 2500, balanceAfterMinor: 4250, currency: 'USD', description: 'Top-up', createdAt: '2026-11-20T10:00:00Z', ref: '' }],
    }),
  ),
  http.post('/api/admin/tickets/:id/draft', () =>
    HttpResponse.json({ text: 'Hello Ada,\n\nWe will grow the disk today.', model: 'gemini-2.5-flash', promptTokens: 300, outputTokens: 20 }),
  ),
  http.post('/api/admin/tickets/:id/messages', async ({ request, params }) => {
    const denied = needCsrf(request)
    if (denied) return denied
    const b = (await request.json()) as { body: string; internal: boolean }
    const t = db.tickets.find((x) => x.id === params.id)!
    const m: TicketMessage = { id: `m_${Date.now()}`, ticketId: t.id, authorId: db.me!.id, authorName: db.me!.name, staff: true, internal: b.internal, body: b.body, createdAt: '2026-11-22T12:00:00Z' }
    db.ticketMessages[t.id]!.push(m)
    return HttpResponse.json({ ticket: t, messages: [m] }, { status: 201 })
  }),
  http.patch('/api/admin/tickets/:id', async ({ request, params }) => {
    const b = (await request.json()) as { status?: Ticket['status']; priority?: Ticket['priority']; assignee?: string }
    const t = db.tickets.find((x) => x.id === params.id)!
    if (b.status) t.status = b.status
    if (b.priority) t.priority = b.priority
    if (b.assignee !== undefined) t.assigneeName = b.assignee === 'me' ? db.me!.name : ''
    return HttpResponse.json(t)
  }),
  http.get('/api/admin/canned-replies', () => HttpResponse.json({ items: db.canned })),
  // Resize: add-ons and their prices (tests override with server.use).
  http.get('/api/servers/:id/addons', ({ params }) =>
    HttpResponse.json({
      backupPlanId: 0, backupPlans: [], ipv4: [`203.0.113.${params.id}`], extraIpv4: [], pendingIpv4: 0,
      ipv4Price: { hourlyMinor: 0, maxPerServer: 0 }, addonsHourlyMinor: 0, currency: 'USD',
    }),
  ),
  // Firewall (issue 19, fw): no presets by default (tests override with server.use).
  http.get('/api/servers/:id/firewall/:iface', () => HttpResponse.json({ interface: 'primary', enabled: false, rules: [], presets: [] })),
  http.get('/api/admin/firewall-presets', () => HttpResponse.json({ presets: [], version: 0 })),
  http.get('/api/admin/addon-prices', () => HttpResponse.json({ backupPlans: [], ipv4: { hourlyMinor: 0, maxPerServer: 0 } })),
  http.get('/api/admin/users', ({ request }) => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const url = new URL(request.url)
    db.userQueries.push(url.search)
    const q = url.searchParams.get('q')?.toLowerCase()
    const blocked = url.searchParams.get('blocked')
    const items = db.adminUsers.filter(
      (u) => (!q || [u.email, u.name, u.id].some((t) => t.toLowerCase().split(/[\s@]+/).some((w) => w.startsWith(q)) || t.toLowerCase().startsWith(q))) && (!blocked || String(u.blocked) === blocked),
    )
    return HttpResponse.json({ items, nextCursor: '' })
  }),
  http.get('/api/admin/users/:id', ({ params }) => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const u = db.adminUsers.find((x) => x.id === params.id)
    if (!u) return apiError(404, 'not_found', 'No such user.')
    const { balanceMinor, ...user } = u
    return HttpResponse.json({
      user,
      balanceMinor,
      currency: 'USD',
      servers: [],
      transactions: [],
      nextCursor: '',
      sessions: [],
      activity: db.audit.filter((e) => e.userId === u.id),
      activityCursor: '',
      notifications: [],
      notificationsCursor: '',
    })
  }),
  http.post('/api/admin/users/:id/block', async ({ params, request }) => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const body = (await request.json()) as { blocked: boolean }
    const u = db.adminUsers.find((x) => x.id === params.id)!
    db.audit.unshift({ id: `a${db.audit.length}`, userId: u.id, actor: db.me.id, action: body.blocked ? 'admin.user.block' : 'admin.user.unblock', target: `user:${u.id}`, outcome: 'ok', detail: '', ip: '127.0.0.1', at: '2026-12-01T10:00:00Z', before: `{"blocked":${u.blocked}}`, after: `{"blocked":${body.blocked}}` })
    u.blocked = body.blocked
    const { balanceMinor: _, ...user } = u
    return HttpResponse.json({ user, suspendedServers: [] })
  }),
  http.get('/api/admin/servers', () => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    return HttpResponse.json({ items: db.consoleServers, nextCursor: '', total: db.consoleServers.length })
  }),
  http.post('/api/admin/servers/:id/transfer', async ({ params, request }) => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const { userId } = (await request.json()) as { userId: string }
    const s = db.consoleServers.find((x) => x.id === Number(params.id))!
    const to = db.adminUsers.find((u) => u.id === userId)!
    const from = s.owner!
    s.owner = { id: to.id, email: to.email, name: to.name }
    return HttpResponse.json({ serverId: s.id, from, to: s.owner })
  }),
  http.get('/api/admin/audit', ({ request }) => {
    if (db.me?.role !== 'admin') return apiError(403, 'forbidden', 'Admins only.')
    const action = new URL(request.url).searchParams.get('action') ?? ''
    return HttpResponse.json({ items: db.audit.filter((e) => e.action.startsWith(action)), nextCursor: '' })
  }),
]
