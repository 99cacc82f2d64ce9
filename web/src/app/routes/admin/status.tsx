import { Link } from 'wouter'
import { ChevronLeftIcon } from 'lucide-react'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { StatusMessageForm } from '@/features/admin/components/status-message-form'
import { useStatus } from '@/features/status/api/get-status'
import { StatusOverview } from '@/features/status/components/status-overview'

/** AdminStatusRoute posts the maintenance or incident notice, next to what the public status page shows. */
export default function AdminStatusRoute() {
  const status = useStatus()
  return (
    <div className="grid gap-6">
      <Link href={paths.admin} className="flex w-fit items-center gap-1 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50">
        <ChevronLeftIcon className="size-4" aria-hidden="true" /> Users
      </Link>
      <PageHeader title="Service status" description="What customers see on /status, and the notice you post there." />
      <StatusMessageForm hasMessage={!!status.data?.message} />
      <StatusOverview />
    </div>
  )
}
