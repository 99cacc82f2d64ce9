import { Badge } from '@/components/ui/badge'
import type { DeliveryState } from '../types'

const states: Record<DeliveryState, { label: string; variant: 'success' | 'destructive' | 'secondary' | 'outline' }> = {
  queued: { label: 'Queued', variant: 'secondary' },
  sending: { label: 'Sending', variant: 'secondary' },
  sent: { label: 'Sent', variant: 'success' },
  failed: { label: 'Failed', variant: 'destructive' },
  skipped: { label: 'Not sent', variant: 'outline' },
}

/** DeliveryStateBadge says where a message is: queued, sending, sent, failed or deliberately not sent. */
export function DeliveryStateBadge({ state }: { state: string }) {
  const s = states[state as DeliveryState] ?? { label: state, variant: 'outline' as const }
  return <Badge variant={s.variant}>{s.label}</Badge>
}
