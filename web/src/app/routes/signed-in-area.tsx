import { lazy, Suspense, type ComponentType } from 'react'
import { Route, Switch } from 'wouter'
import { paths } from '@/config/paths'
import { useUser } from '@/features/auth/api/get-me'
import { VerifyEmailBanner } from '@/features/auth/components/verify-email-banner'
import { AppShell } from '../layout/app-shell'
import { PageFallback } from '@/components/page-fallback'
import NotFoundRoute from './not-found'

const DashboardRoute = lazy(() => import('./dashboard'))
const ServersRoute = lazy(() => import('./servers/servers'))
const ServerRoute = lazy(() => import('./servers/server'))
const DeployRoute = lazy(() => import('./deploy'))
const BillingRoute = lazy(() => import('./billing'))
const AccountRoute = lazy(() => import('./account'))
const AdminUsersRoute = lazy(() => import('./admin/users'))
const AdminUserRoute = lazy(() => import('./admin/user'))
const AdminPackagesRoute = lazy(() => import('./admin/packages'))
const AdminNotificationsRoute = lazy(() => import('./admin/notifications'))
const AdminStatusRoute = lazy(() => import('./admin/status'))
const AdminSettingsRoute = lazy(() => import('./admin/settings'))
const AdminPaymentsRoute = lazy(() => import('./admin/payments'))

/** adminOnly shows a 404 to non-admins, so the admin area doesn't even admit it exists. */
function adminOnly<P extends object>(Page: ComponentType<P>) {
  return function AdminGate(props: P) {
    const user = useUser()
    return user.role === 'admin' ? <Page {...props} /> : <NotFoundRoute />
  }
}
const AdminUsers = adminOnly(AdminUsersRoute)
const AdminUser = adminOnly(AdminUserRoute)
const AdminPackages = adminOnly(AdminPackagesRoute)
const AdminNotifications = adminOnly(AdminNotificationsRoute)
const AdminStatus = adminOnly(AdminStatusRoute)
const AdminSettings = adminOnly(AdminSettingsRoute)
const AdminPayments = adminOnly(AdminPaymentsRoute)

/** SignedInArea is the app shell and every page behind sign-in. */
export default function SignedInArea() {
  return (
    <AppShell>
      <VerifyEmailBanner />
      <Suspense fallback={<PageFallback />}>
        <Switch>
          <Route path={paths.dashboard} component={DashboardRoute} />
          <Route path={paths.servers} component={ServersRoute} />
          <Route path="/servers/:id/:tab?" component={ServerRoute} />
          <Route path={paths.deploy} component={DeployRoute} />
          <Route path={paths.billing} component={BillingRoute} />
          <Route path="/account/:tab?" component={AccountRoute} />
          <Route path={paths.admin} component={AdminUsers} />
          <Route path="/admin/users/:id" component={AdminUser} />
          <Route path={paths.adminPackages} component={AdminPackages} />
          <Route path={paths.adminNotifications} component={AdminNotifications} />
          <Route path={paths.adminStatus} component={AdminStatus} />
          <Route path={paths.adminSettings} component={AdminSettings} />
          <Route path={paths.adminPayments} component={AdminPayments} />
          <Route component={NotFoundRoute} />
        </Switch>
      </Suspense>
    </AppShell>
  )
}
