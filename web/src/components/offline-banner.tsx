import { WifiOffIcon } from 'lucide-react'
import { useOnline } from '@/hooks/use-online'

/** OfflineBanner says, on every page, that the connection is gone and that nothing will be sent until it is back. */
export function OfflineBanner() {
  const online = useOnline()
  if (online) return null
  return (
    <div role="status" className="sticky top-0 z-50 flex items-center justify-center gap-2 border-b border-warning/40 bg-warning/15 px-4 py-2 text-center text-sm font-medium">
      <WifiOffIcon className="size-4 shrink-0 text-warning" aria-hidden="true" />
      You're offline. Actions that change your servers or balance are paused until the connection is back.
    </div>
  )
}
