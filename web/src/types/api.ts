/**
 * The API's types, named for the UI. Every one is an alias of a schema in
 * ./openapi.ts, which `npm run gen:api` generates from the Go side's OpenAPI
 * document (internal/openapi/openapi.json): change the Go types, regenerate,
 * never edit by hand. `npm run check:api` (in make lint and make test) fails
 * when openapi.ts is stale.
 */
import type { components } from './openapi'

type Schemas = components['schemas']

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

export type User = Schemas['User']
export type Role = User['role']
export type AuthResponse = Schemas['SignedIn'] & { recoveryCode?: string }
/** POST /api/auth/register's answer: the same for new and existing emails; it signs nobody in. */
export type RegistrationAccepted = Schemas['Registered']
export type Session = Schemas['SessionView']

export type ServerSummary = Schemas['Server']
export type Provisioning = ServerSummary['provisioning']
export type PowerState = ServerSummary['power']
export type ServerDetail = Schemas['ServerDetail']
export type PowerAction = Schemas['PowerRequest']['action']
export type Task = Schemas['Task']
export type Template = Schemas['Template']
export type TemplateGroup = Schemas['TemplateGroup']
export type TrafficPeriod = Schemas['TrafficPeriod']
export type Metrics = Schemas['Metrics']
export type ConsoleAccess = Schemas['ConsoleAccess']
export type SsoLink = Schemas['SSOLink']
export type Backup = Schemas['Backup']
export type SshKey = Schemas['SSHKey']
export type ActivityItem = Schemas['AuditEntry']
export type ActivityKind = Schemas['ActivityKind']
export type OrderRequest = Schemas['OrderRequest']
export type OrderCreated = Schemas['OrderCreated']

export type Location = Schemas['Location']
export type Price = Schemas['Price']
export type Package = Schemas['Package']

export type Balance = Schemas['BalanceView']
export type Transaction = Schemas['LedgerEntry']
export type TransactionType = Transaction['type']
export type Invoice = Schemas['Invoice']
export type Checkout = Schemas['Checkout']
export type TopupOrder = Schemas['TopupStarted']
/** Coupons and auto top-up (issue 19). */
export type CouponPreview = Schemas['CouponPreview']
export type AutoTopup = Schemas['AutoTopupView']
export type VaultStarted = Schemas['VaultStarted']
export type Coupon = Schemas['Coupon']
export type CouponRedemption = Schemas['CouponRedemption']
export type CaptureResult = Schemas['CaptureResult']

export type AdminUser = Schemas['ConsoleUser']
export type AdminServer = Schemas['AdminServer']
export type AdminUserDetail = Schemas['ConsoleUserDetail']
export type ConsoleServer = Schemas['ConsoleServer']
export type ConsoleServerList = Schemas['ConsoleServerList']
export type AdminAuditEntry = Schemas['AdminAuditEntry']
export type Delivery = Schemas['Delivery']
export type BlockedUser = Schemas['Blocked']
export type ConsoleUserBody = Schemas['ConsoleUserBody']
export type Transferred = Schemas['Transferred']
export type Adjusted = Schemas['Adjusted']

/** Page is the API's paged list (Go's panel.Page): items, and the cursor of the next page ("" on the last). */
export interface Page<T> {
  items: T[]
  nextCursor: string
}

/** ApiErrorBody is every error's body. */
export type ApiErrorBody = Schemas['ErrorBody']

/** MetricsRange is a span of metric history the sampler keeps (every 5 minutes, 30 days). */
export type MetricsRange = '1h' | '24h' | '7d' | '30d'

/** MetricPoint is one step of history: averages, and disk I/O in bytes per second (null when unknown). */
export interface MetricPoint {
  at: string
  cpuPercent: number
  memUsedBytes: number
  memTotalBytes: number
  diskReadPerSec: number | null
  diskWritePerSec: number | null
}

export interface MetricsHistory {
  range: MetricsRange
  stepSeconds: number
  points: MetricPoint[]
}

export type ComponentState = 'operational' | 'degraded' | 'outage' | 'unknown'

export interface StatusComponent {
  name: string
  label: string
  state: ComponentState
}

export interface StatusMessage {
  kind: 'maintenance' | 'incident'
  text: string
  updatedAt: string
}

/** PublicStatus is GET /api/status: no sign-in needed, cached 30 s. */
export interface PublicStatus {
  status: 'operational' | 'degraded' | 'outage' | 'maintenance'
  components: StatusComponent[]
  message: StatusMessage | null
  statusPageUrl?: string
  checkedAt: string
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

// Support tickets (issue 15).
export type Ticket = Schemas['Ticket']
export type TicketMessage = Schemas['TicketMessage']
export type TicketThread = Schemas['Thread']
export type TicketStatus = Ticket['status']
export type TicketCategory = Ticket['category']
export type TicketPriority = Ticket['priority']
export type CustomerContext = Schemas['CustomerContext']
export type CannedReply = Schemas['CannedReply']
export type AiDraft = Schemas['Draft']
/** A customer's alert on a server (GET /api/servers/{id}/alerts); the webhook URL shows only as its host. */
export type ServerAlert = Schemas['AlertView']
/** POST /api/servers/{id}/alerts and PUT …/alerts/{alertId}. */
export type AlertRequest = Schemas['AlertRequest']
// Operator console (admin-ops).
export type AdminSettings = Schemas['Settings']
export type AdminSettingsView = Schemas['SettingsView']
export type PublicSettings = Schemas['PublicSettings']
export type AdminTopup = Schemas['AdminTopup']
export type MonthRevenue = Schemas['MonthRevenue']
export type RevenueReport = Schemas['Revenue']
export type RefundResult = Schemas['Refunded']
export type AdminPackage = Schemas['AdminPackage']
// Invoices (issue 20, item 9).
export type BillingProfile = Schemas['BillingProfile']
// Admin overview (issue 20, item 10).
export type AdminOverview = Schemas['AdminOverview']

// Operator console: billing runs and webhook deliveries (ops2).
export type BillingRun = Schemas['BillingRun']
export type RerunResult = Schemas['RerunResult']
export type WebhookDelivery = Schemas['WebhookDelivery']
export type Reprocessed = Schemas['Reprocessed']
