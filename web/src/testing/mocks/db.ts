import type {
  ActivityItem,
  ApiToken,
  AdminAuditEntry,
  AdminUser,
  ConsoleServer,
  Balance,
  Location,
  MetricPoint,
  Package,
  PublicStatus,
  ServerAlert,
  ServerDetail,
  Session,
  SshKey,
  Task,
  TemplateGroup,
  Ticket,
  TicketMessage,
  CannedReply,
  Transaction,
  User,
} from '@/types/api'
import type { FailedNotification, MailItem, NotificationPrefs } from '@/features/notifications/types'

/** Test data the MSW handlers serve and change; resetDb() restores it between tests. */

export const customer: User = {
  id: 'u_cust',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  role: 'customer',
  vfUserId: 12,
  createdAt: '2026-10-01T10:00:00Z',
  emailVerified: true,
  blocked: false,
}
export const admin: User = { ...customer, id: 'u_admin', email: 'grace@example.com', name: 'Grace Hopper', role: 'admin' }

function server(id: number, name: string, extra: Partial<ServerDetail> = {}): ServerDetail {
  return {
    id,
    uuid: `uuid-${id}`,
    name,
    hostname: `${name}.example.com`,
    provisioning: 'complete',
    power: 'running',
    suspended: false,
    ipv4: [`203.0.113.${id}`],
    ipv6: [`2001:db8::${id}`],
    os: { name: 'Ubuntu 24.04', icon: 'ubuntu' },
    location: { id: 1, name: 'London' },
    package: { id: 2, name: 'Standard 2GB' },
    resources: { cpuCores: 2, memoryMb: 2048, storageGb: 40, trafficGb: 2000 },
    createdAt: '2026-11-01T10:00:00Z',
    traffic: { usedBytes: 5 * 1024 ** 3, limitGb: 2000, periodStart: '2026-11-01T00:00:00Z', periodEnd: '2026-12-01T00:00:00Z' },
    build: { state: 'complete', progress: 100 },
    vncEnabled: true,
    ...extra,
  }
}

const templates: TemplateGroup[] = [
  {
    id: 1,
    name: 'Ubuntu',
    icon: 'ubuntu',
    templates: [{ id: 51, name: 'Ubuntu', version: '24.04 LTS', variant: 'Minimal', type: 'linux', eol: false }],
  },
  {
    id: 2,
    name: 'Debian',
    icon: 'debian',
    templates: [{ id: 46, name: 'Debian', version: '12 (Bookworm)', variant: 'Minimal', type: 'linux', eol: false }],
  },
]

function initial() {
  return {
    me: customer as User | null,
    balance: { balanceMinor: 2500, currency: 'USD', burnPerHourMinor: 3, hoursRemaining: 833, low: false } as Balance,
    servers: [
      server(101, 'web-1'),
      server(102, 'db-1', { power: 'stopped', location: { id: 2, name: 'Frankfurt' }, os: { name: 'Debian 12', icon: 'debian' } }),
    ],
    templates,
    tasks: new Map<string, Task[]>(),
    sshKeys: [
      { id: 1, name: 'laptop', type: 'ssh-ed25519', fingerprint: 'SHA256:abc', createdAt: '2026-10-02T10:00:00Z' },
    ] as SshKey[],
    sessions: [
      { id: 's1', current: true, createdAt: '2026-11-20T10:00:00Z', lastSeenAt: '2026-11-22T10:00:00Z', expiresAt: '2026-11-29T10:00:00Z', ip: '198.51.100.1', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
      { id: 's2', current: false, createdAt: '2026-11-10T10:00:00Z', lastSeenAt: '2026-11-21T10:00:00Z', expiresAt: '2026-11-27T10:00:00Z', ip: '198.51.100.2', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' },
    ] as Session[],
    activity: [
      { id: 'a1', action: 'server.power', target: 'server:101', outcome: 'ok', detail: 'restart', ip: '198.51.100.1', at: '2026-11-22T09:00:00Z' },
      { id: 'a2', action: 'auth.signin', target: 'user:u_cust', outcome: 'ok', detail: '', ip: '198.51.100.1', at: '2026-11-22T08:00:00Z' },
      { id: 'a3', action: 'server.reinstall', target: 'server:101', outcome: 'ok', detail: 'Ubuntu 24.04 LTS, hostname web-1', ip: '198.51.100.1', at: '2026-11-22T07:00:00Z' },
      { id: 'a4', action: 'server.built', target: 'server:101', outcome: 'ok', detail: 'web-1 finished installing.', ip: '', at: '2026-11-22T06:00:00Z' },
      { id: 'a5', action: 'ssh_key.create', target: 'ssh-key:7', outcome: 'ok', detail: 'laptop', ip: '198.51.100.1', at: '2026-11-22T05:00:00Z' },
    ] as ActivityItem[],
    transactions: [
      { id: 't1', type: 'topup', amountMinor: 2500, balanceAfterMinor: 2500, description: 'PayPal top-up', createdAt: '2026-11-20T10:00:00Z', ref: 'o1' },
      { id: 't2', type: 'charge', amountMinor: -3, balanceAfterMinor: 2497, description: 'web-1: 2026-11-22 10:00 UTC', createdAt: '2026-11-22T10:00:00Z', ref: '' },
      { id: 't3', type: 'adjustment', amountMinor: 100, balanceAfterMinor: 2597, description: 'Goodwill credit', createdAt: '2026-11-22T11:00:00Z', ref: '' },
    ] as Transaction[],
    locations: [
      { id: 1, name: 'London', description: 'Docklands, UK', available: true, freeServers: 12 },
      { id: 2, name: 'Frankfurt', description: 'Germany', available: false, freeServers: 0 },
    ] as Location[],
    packages: [
      { id: 2, name: 'Standard 2GB', description: '', cpuCores: 2, memoryMb: 2048, storageGb: 40, trafficGb: 2000, price: { hourlyMinor: 1, monthlyCapMinor: 600, currency: 'USD' } },
      { id: 3, name: 'Legacy 1GB', description: '', cpuCores: 1, memoryMb: 1024, storageGb: 20, trafficGb: 1000, price: null },
    ] as Package[],
    retried: [] as string[],
    notificationPrefs: { nonEssentialOff: false } as NotificationPrefs,
    // 25 messages, newest first, so the history has a second page.
    mail: Array.from({ length: 25 }, (_, i): MailItem => {
      const at = new Date(Date.UTC(2026, 10, 22, 10) - i * 3_600_000).toISOString().replace('.000', '')
      if (i === 0) return { id: 'topup-credited#o9', kind: 'topup-credited', subject: '', state: 'queued', createdAt: at }
      if (i === 1) return { id: 'low-balance#72h', kind: 'low-balance', subject: 'Your balance runs out in 3 days', state: 'failed', createdAt: at }
      if (i === 2) return { id: 'order-built#201', kind: 'order-built', subject: 'Your server web-2 is ready', state: 'skipped', createdAt: at }
      return { id: `new-device#s${i}`, kind: 'new-device', subject: `New sign-in to your account (${i})`, state: 'sent', createdAt: at, sentAt: at }
    }),
    failedNotifications: [
      { id: 'welcome#u_cust', kind: 'welcome', userId: 'u_cust', email: 'ada@example.com', attempts: 8, lastError: '550 5.1.1 mailbox unavailable', createdAt: '2026-11-22T09:00:00Z' },
      { id: 'staff-billing-error#2026-11-22T10', kind: 'staff-billing-error', attempts: 8, lastError: 'discord: 401 Unauthorized', createdAt: '2026-11-22T10:00:00Z' },
    ] as FailedNotification[],
    status: {
      status: 'operational',
      components: [
        { name: 'api', label: 'API', state: 'operational' },
        { name: 'billing', label: 'Billing', state: 'operational' },
        { name: 'serverControl', label: 'Server control', state: 'operational' },
        { name: 'payments', label: 'Payments', state: 'operational' },
        { name: 'signIn', label: 'Sign-in', state: 'operational' },
      ],
      message: null,
      checkedAt: '2026-03-01T12:00:00Z',
    } as PublicStatus,
    metricsHistory: [] as MetricPoint[],
    alerts: [] as ServerAlert[],
    adminUsers: [
      { ...customer, balanceMinor: 2500 },
      { ...admin, balanceMinor: 0 },
      { ...customer, id: 'u_bob', email: 'bob@example.com', name: 'Bob Stone', balanceMinor: -150 },
    ] as AdminUser[],
    // Support tickets: one of the customer's with an unread staff reply.
    tickets: [
      {
        id: 't_1', userId: 'u_cust', email: 'ada@example.com', name: 'Ada Lovelace', subject: 'Disk full on web-1', category: 'technical',
        priority: 'high', status: 'open', serverId: 101, serverName: 'web-1', assigneeId: '', assigneeName: '', waitingOn: 'customer',
        createdAt: '2026-11-22T09:00:00Z', lastActivityAt: '2026-11-22T10:00:00Z', unread: true,
      },
    ] as Ticket[],
    ticketMessages: {
      t_1: [
        { id: 'm_1', ticketId: 't_1', authorId: 'u_cust', authorName: 'Ada Lovelace', staff: false, internal: false, body: 'My disk is **full**.\n\n<script>alert(1)</script>', createdAt: '2026-11-22T09:00:00Z' },
        { id: 'm_2', ticketId: 't_1', authorId: 'u_admin', authorName: 'Grace Hopper', staff: true, internal: true, body: 'Legacy plan.', createdAt: '2026-11-22T09:30:00Z' },
        { id: 'm_3', ticketId: 't_1', authorId: 'u_admin', authorName: 'Grace Hopper', staff: true, internal: false, body: 'We can grow it. See [the guide](https://example.com/resize).', createdAt: '2026-11-22T10:00:00Z' },
      ],
    } as Record<string, TicketMessage[]>,
    canned: [{ id: 'c_1', title: 'Disk resize', body: 'You can resize the disk from the server page.', updatedAt: '2026-11-01T10:00:00Z' }] as CannedReply[],
    userQueries: [] as string[],
    consoleServers: [
      {
        id: 41,
        name: 'ada-web',
        ownerVfId: 12,
        owner: { id: 'u_cust', email: 'ada@example.com', name: 'Ada Lovelace' },
        hypervisorId: 1,
        packageId: 1,
        state: 'complete',
        suspended: false,
        unbilled: false,
        createdAt: '2026-11-01T10:00:00Z',
        billing: {
          status: 'active',
          hourlyMinor: 2,
          monthlyCapMinor: 1000,
          activeSince: '2026-11-01T10:00:00Z',
          billedThrough: '2026-12-01T11:00:00Z',
          stoppedAt: null,
          suspended: false,
        },
      },
    ] as ConsoleServer[],
    audit: [
      { id: 'a_sign', userId: 'u_cust', actor: 'u_cust', action: 'auth.signin', target: 'user:u_cust', outcome: 'ok', detail: '', ip: '192.0.2.1', at: '2026-12-01T09:00:00Z', before: '', after: '' },
    ] as AdminAuditEntry[],
    tokens: [
      { id: 'tok_ci', name: 'ci', scope: 'read', createdAt: '2026-11-01T10:00:00Z', expiresAt: '2027-11-01T10:00:00Z', lastUsedAt: '2026-11-30T10:00:00Z' },
    ] as ApiToken[],
  }
}

export let db = initial()

export function resetDb() {
  db = initial()
}

export { server as makeServer }
