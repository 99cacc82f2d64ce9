import { PageHeader } from '@/components/page-header'
import { SettingsForm } from '@/features/admin/components/settings-form'
import { StatusMessageForm } from '@/features/admin/components/status-message-form'
import { useStatus } from '@/features/status/api/get-status'

/** AdminSettingsRoute edits the business settings and the maintenance banner (the status message every signed-in customer sees). */
export default function AdminSettingsRoute() {
  const status = useStatus()
  return (
    <div className="grid gap-6">
      <PageHeader title="Settings" description="Branding, top-up limits, dunning and the maintenance banner." />
      <StatusMessageForm hasMessage={!!status.data?.message} />
      <SettingsForm />
    </div>
  )
}
