// Types of the notifications endpoints (internal/api/notifications), kept in
// this feature so the generated OpenAPI types can replace them in one place.

/** NotificationPrefs is GET/PUT /api/account/notifications (panel.NotificationPrefs). */
export interface NotificationPrefs {
  nonEssentialOff: boolean
  updatedAt?: string
}

/** DeliveryState is where a message is in the outbox. */
export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped'

/** MailItem is one message in a customer's mail history: what and when, never its content. */
export interface MailItem {
  id: string
  kind: string
  subject: string
  state: DeliveryState
  createdAt: string
  sentAt?: string
}

/** FailedNotification is a notification that gave up after its last attempt, as admins see it. */
export interface FailedNotification {
  id: string
  kind: string
  userId?: string
  email?: string
  attempts: number
  lastError: string
  createdAt: string
}

/** CursorPage is the backend's generic list: items plus the cursor of the next page ("" at the end). */
export interface CursorPage<T> {
  items: T[]
  nextCursor: string
}
