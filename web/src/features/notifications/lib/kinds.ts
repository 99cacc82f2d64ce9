// What each notification kind is called in the UI. Mirrors panel.NotificationKind
// and panel.NotificationKind.Essential in internal/panel/notification.go: keep the
// two in step when a kind is added.

/** kindLabels names every kind for people. */
export const kindLabels: Record<string, string> = {
  welcome: 'Welcome and email verification',
  'new-device': 'Sign-in from a new device',
  'topup-credited': 'Top-up receipt',
  'refund-debited': 'Refund or reversal debited',
  'order-built': 'Server ready',
  'build-failed': 'Server build failed',
  'low-balance': 'Low balance warning',
  suspended: 'Servers suspended',
  unsuspended: 'Servers running again',
  'deletion-scheduled': 'Servers scheduled for deletion',
  deleted: 'Server deleted',
  'statement-ready': 'Monthly statement',
  'staff-signup': 'Staff: new sign-up',
  'staff-topup': 'Staff: top-up',
  'staff-order': 'Staff: new order',
  'staff-build-failed': 'Staff: build failed',
  'staff-billing-error': 'Staff: billing run error',
  'staff-webhook-failure': 'Staff: webhook failure',
}

/** kindLabel names a kind, falling back to its code for kinds this build doesn't know yet. */
export const kindLabel = (kind: string) => kindLabels[kind] ?? kind

/** optionalMail is the mail a customer can turn off: the panel shows the same facts. */
export const optionalMail = ['Top-up receipts', '“server ready” with its IP address', '“running again” after a top-up']

/** essentialMail is always sent, whatever the preference, grouped as the customer thinks of it. */
export const essentialMail = [
  { title: 'Security', detail: 'Email verification and sign-ins from a new device.' },
  { title: 'Money', detail: 'Refunds or reversals taken from your balance, and failed builds we refunded.' },
  { title: 'Low balance', detail: 'Warnings 72 and 24 hours before your balance runs out.' },
  { title: 'Servers at risk', detail: 'Suspension, the final warning before deletion, and deletion.' },
  { title: 'Statements', detail: 'Your monthly statement.' },
]
