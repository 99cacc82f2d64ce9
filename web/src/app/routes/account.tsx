import { useLocation, useParams } from 'wouter'
import { HistoryIcon, KeyRoundIcon, LogOutIcon, MailIcon, MonitorSmartphoneIcon, ShieldCheckIcon, UserIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { AccountDataCard } from '@/features/account/components/account-data-card'
import { ActivityList } from '@/features/account/components/activity-list'
import { ApiTokensCard } from '@/features/account/components/api-tokens-card'
import { MfaCard } from '@/features/account/components/mfa-card'
import { ProfileCard } from '@/features/account/components/profile-card'
import { SessionsCard } from '@/features/account/components/sessions-card'
import { SshKeysCard } from '@/features/account/components/ssh-keys-card'
import { useUser } from '@/features/auth/api/get-me'
import { BillingAddressCard } from '@/features/billing/components/billing-address-card'
import { useLogoutAll } from '@/features/auth/api/logout'
import { MailHistory } from '@/features/notifications/components/mail-history'
import { NotificationPrefsCard } from '@/features/notifications/components/notification-prefs-card'
import { errorMessage } from '@/lib/api-client'

const tabs = [
  { value: 'profile', label: 'Profile', icon: UserIcon },
  { value: 'ssh-keys', label: 'SSH keys', icon: KeyRoundIcon },
  { value: 'security', label: 'Security', icon: ShieldCheckIcon },
  { value: 'sessions', label: 'Sessions', icon: MonitorSmartphoneIcon },
  { value: 'notifications', label: 'Email', icon: MailIcon },
  { value: 'activity', label: 'Activity', icon: HistoryIcon },
] as const

function SignOutEverywhere() {
  const logoutAll = useLogoutAll()
  const [, navigate] = useLocation()
  return (
    <ConfirmDialog
      title="Sign out everywhere?"
      description="Every device, this one included, is signed out. You'll need to sign in again."
      confirmLabel="Sign out everywhere"
      destructive
      onConfirm={() =>
        logoutAll.mutate(undefined, {
          onSuccess: () => {
            toast.success('Signed out of every device')
            navigate(paths.login, { replace: true })
          },
          onError: (e) => toast.error(errorMessage(e)),
        })
      }
      trigger={
        <Button variant="outline" className="justify-self-start text-destructive" disabled={logoutAll.isPending}>
          <LogOutIcon aria-hidden="true" /> Sign out everywhere
        </Button>
      }
    />
  )
}

/** AccountRoute: profile, SSH keys, sessions, email and the activity log, one tab each (/account/ssh-keys). */
export default function AccountRoute() {
  const user = useUser()
  const params = useParams<{ tab?: string }>()
  const [, navigate] = useLocation()
  const tab = tabs.some((t) => t.value === params.tab) ? params.tab! : 'profile'
  return (
    <div className="grid gap-6">
      <PageHeader title="Account" description={user.email} />
      <Tabs value={tab} onValueChange={(v) => navigate(v === 'profile' ? paths.account : `${paths.account}/${v}`, { replace: true })}>
        <TabsList aria-label="Account sections">
          {tabs.map((t) => (
            <TabsTrigger key={t.value} value={t.value}>
              <t.icon aria-hidden="true" /> {t.label}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="profile">
          <div className="grid gap-6">
            <ProfileCard user={user} />
            <BillingAddressCard />
            <AccountDataCard email={user.email} />
          </div>
        </TabsContent>
        <TabsContent value="ssh-keys">
          <SshKeysCard />
        </TabsContent>
        <TabsContent value="security">
          <div className="grid gap-6">
            <MfaCard />
            <ApiTokensCard />
          </div>
        </TabsContent>
        <TabsContent value="sessions">
          <SessionsCard footer={<SignOutEverywhere />} />
        </TabsContent>
        <TabsContent value="notifications" className="grid gap-6">
          <NotificationPrefsCard email={user.email} />
          <MailHistory />
        </TabsContent>
        <TabsContent value="activity">
          <Card>
            <CardHeader>
              <CardTitle>Activity</CardTitle>
              <CardDescription>Sign-ins and changes on your account, newest first.</CardDescription>
            </CardHeader>
            <CardContent>
              <ActivityList />
            </CardContent>
          </Card>
        </TabsContent>
      </Tabs>
    </div>
  )
}
