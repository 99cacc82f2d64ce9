import type { ServerDetail } from '@/types/api'
import { FirewallCard } from './firewall-card'
import { Ipv4Card } from './ipv4-card'

/**
 * NetworkPanel is the server's Network tab: a two-column grid of cards,
 * the IPv4 list first; the firewall card sits beside it.
 */
export function NetworkPanel({ server }: { server: ServerDetail }) {
  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <Ipv4Card server={server} />
      <FirewallCard server={server} />
    </div>
  )
}
