import type {
  ActivityItem,
  ApiToken,
  AdminUser,
  Balance,
  Location,
  Package,
  ServerDetail,
  Session,
  SshKey,
  Task,
  TemplateGroup,
  Transaction,
  User,
} from '@/types/api'

/** Test data the MSW handlers serve and change; resetDb() restores it between tests. */

export const customer: User = {
  id: 'u_cust',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  role: 'customer',
  vfUserId: 12,
  createdAt: '2026-10-01T10:00:00Z',
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
      { id: 'k1', name: 'laptop', type: 'ssh-ed25519', fingerprint: 'SHA256:abc', createdAt: '2026-10-02T10:00:00Z' },
    ] as SshKey[],
    sessions: [
      { id: 's1', current: true, createdAt: '2026-11-20T10:00:00Z', lastSeenAt: '2026-11-22T10:00:00Z', expiresAt: '2026-11-29T10:00:00Z', ip: '198.51.100.1', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
      { id: 's2', current: false, createdAt: '2026-11-10T10:00:00Z', lastSeenAt: '2026-11-21T10:00:00Z', expiresAt: '2026-11-27T10:00:00Z', ip: '198.51.100.2', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' },
    ] as Session[],
    activity: [
      { id: 'a1', action: 'server.power', target: 'server:101', outcome: 'ok', detail: 'restart', ip: '198.51.100.1', at: '2026-11-22T09:00:00Z' },
      { id: 'a2', action: 'auth.login', target: 'user:u_cust', outcome: 'ok', detail: '', ip: '198.51.100.1', at: '2026-11-22T08:00:00Z' },
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
    adminUsers: [
      { ...customer, balanceMinor: 2500, serverCount: 2 },
      { ...admin, balanceMinor: 0, serverCount: 0 },
    ] as AdminUser[],
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
