import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { FailedNotifications } from '@/features/notifications/components/failed-notifications'

/** AdminNotificationsRoute lists emails and staff alerts that gave up, so an admin can send them again. */
export default function AdminNotificationsRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader title="Failed notifications" description="Emails and staff alerts that failed after every retry." />
      <Card>
        <CardHeader>
          <CardTitle>Failed</CardTitle>
          <CardDescription>Fix the cause (mail server settings, a bad address), then retry: the message is queued again and sent once.</CardDescription>
        </CardHeader>
        <CardContent>
          <FailedNotifications />
        </CardContent>
      </Card>
    </div>
  )
}
