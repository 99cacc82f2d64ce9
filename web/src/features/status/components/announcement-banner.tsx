import { MegaphoneIcon } from 'lucide-react'
import { usePublicSettings } from '../api/get-public-settings'

/** AnnouncementBanner shows the administrators' announcement to signed-in people; nothing when there is none. */
export function AnnouncementBanner() {
  const text = usePublicSettings().data?.announcement?.trim()
  if (!text) return null
  return (
    <div role="note" aria-label="Announcement" data-testid="announcement-banner" className="flex items-start gap-3 border-b bg-accent/40 px-4 py-2.5 text-sm sm:px-6">
      <MegaphoneIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <p className="min-w-0 flex-1">{text}</p>
    </div>
  )
}
