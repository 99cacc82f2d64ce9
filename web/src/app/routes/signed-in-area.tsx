import { Suspense, type ComponentType } from 'react'
import { Route, Switch, useLocation } from 'wouter'
import { ErrorBoundary, lazyRoute } from '@/components/error-boundary'
import { paths } from '@/config/paths'
import { useUser } from '@/features/auth/api/get-me'
import { VerifyEmailBanner } from '@/features/auth/components/verify-email-banner'
import { AppShell } from '../layout/app-shell'
import { AdminLayout } from '../layout/admin-layout'
import { PageFallback } from '@/components/page-fallback'
import NotFoundRoute from './not-found'

const DashboardRoute = lazyRoute(() => import('./dashboard'))
const ServersRoute = lazyRoute(() => import('./servers/servers'))
const ServerRoute = lazyRoute(() => import('./servers/server'))
const DeployRoute = lazyRoute(() => import('./deploy'))
const BillingRoute = lazyRoute(() => import('./billing'))
const AccountRoute = lazyRoute(() => import('./account'))
const AdminOverviewRoute = lazyRoute(() => import('./admin/overview'))
const AdminUsersRoute = lazyRoute(() => import('./admin/users'))
const AdminServersRoute = lazyRoute(() => import('./admin/servers'))
const AdminAuditRoute = lazyRoute(() => import('./admin/audit'))
const AdminUserRoute = lazyRoute(() => import('./admin/user'))
const AdminPackagesRoute = lazyRoute(() => import('./admin/packages'))
const AdminNotificationsRoute = lazyRoute(() => import('./admin/notifications'))
const AdminStatusRoute = lazyRoute(() => import('./admin/status'))
// Support tickets (issue 15).
const SupportRoute = lazyRoute(() => import('./support/support'))
const SupportTicketRoute = lazyRoute(() => import('./support/ticket'))
const AdminTicketsRoute = lazyRoute(() => import('./admin/tickets'))
const AdminTicketRoute = lazyRoute(() => import('./admin/ticket'))
const AdminCouponsRoute = lazyRoute(() => import('./admin/coupons'))
const AdminSettingsRoute = lazyRoute(() => import('./admin/settings'))
const AdminPaymentsRoute = lazyRoute(() => import('./admin/payments'))
// Operator console: billing runs and webhook deliveries (ops2).
const AdminBillingRoute = lazyRoute(() => import('./admin/billing'))
const AdminWebhooksRoute = lazyRoute(() => import('./admin/webhooks'))

/**
 * adminOnly shows a 404 to non-admins, so the admin area doesn't even admit it exists;
 * admins see the page inside the operator console's layout and navigation.
 */
function adminOnly<P extends object>(Page: ComponentType<P>) {
  return function AdminGate(props: P) {
    const user = useUser()
    return user.role === 'admin' ? (
      <AdminLayout>
        <Suspense fallback={<PageFallback />}>
          <Page {...props} />
        </Suspense>
      </AdminLayout>
    ) : (
      <NotFoundRoute />
    )
  }
}
const AdminOverview = adminOnly(AdminOverviewRoute)
const AdminUsers = adminOnly(AdminUsersRoute)
const AdminServers = adminOnly(AdminServersRoute)
const AdminAudit = adminOnly(AdminAuditRoute)
const AdminUser = adminOnly(AdminUserRoute)
const AdminPackages = adminOnly(AdminPackagesRoute)
const AdminNotifications = adminOnly(AdminNotificationsRoute)
const AdminStatus = adminOnly(AdminStatusRoute)
const AdminTickets = adminOnly(AdminTicketsRoute)
const AdminTicket = adminOnly(AdminTicketRoute)
const AdminCoupons = adminOnly(AdminCouponsRoute)
const AdminSettings = adminOnly(AdminSettingsRoute)
const AdminPayments = adminOnly(AdminPaymentsRoute)
// Operator console: billing runs and webhook deliveries (ops2).
const AdminBilling = adminOnly(AdminBillingRoute)
const AdminWebhooks = adminOnly(AdminWebhooksRoute)

/** SignedInArea is the app shell and every page behind sign-in. */
export default function SignedInArea() {
  const [location] = useLocation()
  return (
    <AppShell>
      <VerifyEmailBanner />
      {/* Per page: an error (or a page whose code could not load) keeps the shell and its navigation. */}
      <ErrorBoundary key={location}>
      <Suspense fallback={<PageFallback />}>
        <Switch>
          <Route path={paths.dashboard} component={DashboardRoute} />
          <Route path={paths.servers} component={ServersRoute} />
          <Route path="/servers/:id/:tab?" component={ServerRoute} />
          <Route path={paths.deploy} component={DeployRoute} />
          <Route path={paths.billing} component={BillingRoute} />
          <Route path="/account/:tab?" component={AccountRoute} />
          <Route path={paths.admin} component={AdminOverview} />
          <Route path={paths.adminUsers} component={AdminUsers} />
          <Route path="/admin/users/:id" component={AdminUser} />
          <Route path={paths.adminServers} component={AdminServers} />
          <Route path={paths.adminAudit} component={AdminAudit} />
          <Route path={paths.adminPackages} component={AdminPackages} />
          <Route path={paths.adminNotifications} component={AdminNotifications} />
          <Route path={paths.adminStatus} component={AdminStatus} />
          <Route path={paths.support} component={SupportRoute} />
          <Route path="/support/:id" component={SupportTicketRoute} />
          <Route path={paths.adminTickets} component={AdminTickets} />
          <Route path="/admin/tickets/:id" component={AdminTicket} />
          <Route path={paths.adminCoupons} component={AdminCoupons} />
          <Route path={paths.adminSettings} component={AdminSettings} />
          <Route path={paths.adminPayments} component={AdminPayments} />
          {/* Operator console: billing runs and webhook deliveries (ops2). */}
          <Route path={paths.adminBilling} component={AdminBilling} />
          <Route path={paths.adminWebhooks} component={AdminWebhooks} />
          <Route component={NotFoundRoute} />
        </Switch>
      </Suspense>
      </ErrorBoundary>
    </AppShell>
  )
}
