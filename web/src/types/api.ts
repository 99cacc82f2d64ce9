/** Types mirror the Go JSON (camelCase) in /work/notes/api-contract.md field for field. */

export type Role = 'customer' | 'admin'

export interface User {
  id: string
  email: string
  name: string
  role: Role
  vfUserId?: number
  createdAt: string
  /** Top-ups and orders need a verified email (error code email_unverified). */
  emailVerified?: boolean
}

export interface AuthResponse {
  user: User
  csrfToken: string
  /** This sign-in passed a second factor. */
  mfa?: boolean
  /** After a recovery code: its replacement, shown this once. */
  recoveryCode?: string
}

/** One second factor in GET /api/account/mfa. */
export interface Authenticator {
  id: string
  type: 'otp' | 'recovery-code' | string
  active: boolean
}

/** GET /api/account/mfa. */
export interface MfaStatus {
  enrolled: boolean
  authenticators: Authenticator[]
}

/** POST /api/account/mfa/enroll: a new authenticator to confirm; qrCode is a PNG data URL made by the server. */
export interface MfaEnrolment {
  secret: string
  barcodeUri: string
  qrCode: string
  recoveryCodes: string[]
}

/** POST /api/auth/register's answer: the same for new and existing emails; it signs nobody in. */
export interface RegistrationAccepted {
  message: string
}

export interface Session {
  id: string
  current: boolean
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  ip: string
  userAgent: string
}

export type Provisioning = 'allocated' | 'building' | 'complete' | 'failed'
export type PowerState = 'running' | 'stopped' | 'unknown'

export interface ServerSummary {
  id: number
  uuid: string
  name: string
  hostname: string
  provisioning: Provisioning
  power: PowerState
  suspended: boolean
  ipv4: string[]
  ipv6: string[]
  os: { name: string; icon: string }
  // null when VirtFusion does not say (or the server is gone and only its billing record remains)
  location: { id: number; name: string } | null
  package: { id: number; name: string } | null
  resources: { cpuCores: number; memoryMb: number; storageGb: number; trafficGb: number }
  // absent when VirtFusion did not say (its per-user list carries no created date)
  createdAt?: string
  // addresses on private networks (VirtFusion's secondary interfaces)
  privateIpv4?: string[]
}

export interface ServerDetail extends ServerSummary {
  traffic?: { usedBytes: number; limitGb: number; periodStart: string; periodEnd: string }
  build?: { state: string; progress: number }
  vncEnabled?: boolean
}

export type PowerAction = 'boot' | 'shutdown' | 'restart' | 'poweroff'

export interface Task {
  id: string
  action: string
  status: 'pending' | 'running' | 'done' | 'failed'
  progress: number
  startedAt: string
  finishedAt: string | null
}

export interface Template {
  id: number
  name: string
  version: string
  variant: string
  type: string
  eol: boolean
}

export interface TemplateGroup {
  id: number
  name: string
  icon: string
  templates: Template[]
}

export interface TrafficPeriod {
  start: string
  end: string
  rxBytes: number
  txBytes: number
  totalBytes: number
  limitGb: number
}

export interface Metrics {
  sampledAt: string
  running: boolean
  cpuPercent: number
  memory: { usedBytes: number; totalBytes: number }
  disk: { usedBytes: number; totalBytes: number; readBytes: number; writeBytes: number }
}

export interface ConsoleAccess {
  url: string
  password: string
  expiresAt: string
}

export interface Backup {
  id: string
  createdAt: string
  complete: boolean
  progress: number
  storage: string
}

export interface SshKey {
  id: string
  name: string
  type: string
  fingerprint: string
  createdAt: string
}

export interface ActivityItem {
  id: string
  action: string
  target: string
  outcome: 'ok' | 'error'
  detail: string
  ip: string
  at: string
}

export interface Location {
  id: number
  name: string
  description: string
  available: boolean
  freeServers: number
}

export interface Price {
  hourlyMinor: number
  monthlyCapMinor: number
  currency: string
}

export interface Package {
  id: number
  name: string
  description: string
  cpuCores: number
  memoryMb: number
  storageGb: number
  trafficGb: number
  price: Price | null
}

export interface Balance {
  balanceMinor: number
  currency: string
  burnPerHourMinor: number
  hoursRemaining: number
  low: boolean
}

export type TransactionType = 'topup' | 'charge' | 'refund' | 'reversal' | 'adjustment'

export interface Transaction {
  id: string
  type: TransactionType
  amountMinor: number
  balanceAfterMinor: number
  description: string
  createdAt: string
  ref: string
}

export interface Invoice {
  id: string
  periodStart: string
  periodEnd: string
  openingMinor: number
  creditsMinor: number
  chargesMinor: number
  closingMinor: number
  currency: string
}

export interface Page<T> {
  items: T[]
  nextCursor: string
}

export interface AdminUser extends User {
  balanceMinor: number
  serverCount: number
}

/** A personal API token (GET /api/account/tokens); the secret itself is only in NewApiToken. */
export interface ApiToken {
  id: string
  name: string
  scope: 'read' | 'power' | 'full'
  createdAt: string
  expiresAt: string
  lastUsedAt: string | null
}

/** POST /api/account/tokens: the token, shown once. */
export interface NewApiToken extends ApiToken {
  token: string
}
