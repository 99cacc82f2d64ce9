import { AlertTriangleIcon, WrenchIcon } from 'lucide-react'
import { Link } from 'wouter'
import { useStatus } from '../api/get-status'

/** StatusBanner tells signed-in people about maintenance or an incident; it shows nothing while all is well. */
export function StatusBanner({ statusHref }: { statusHref: string }) {
  const status = useStatus()
  const s = status.data
  if (!s) return null
  const msg = s.message
  if (!msg && s.status !== 'outage') return null
  const maintenance = msg?.kind === 'maintenance'
  const Icon = maintenance ? WrenchIcon : AlertTriangleIcon
  return (
    <div
      role="status"
      data-testid="status-banner"
      className={`flex items-start gap-3 border-b px-4 py-2.5 text-sm sm:px-6 ${maintenance ? 'bg-primary/10' : 'bg-warning/15'}`}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <p className="min-w-0 flex-1">
        <span className="font-medium">{maintenance ? 'Scheduled maintenance' : 'Service incident'}: </span>
        {msg ? msg.text : 'Some parts of the service are down. We are working on it.'}
      </p>
      <Link href={statusHref} className="shrink-0 underline underline-offset-2">
        Status
      </Link>
    </div>
  )
}
