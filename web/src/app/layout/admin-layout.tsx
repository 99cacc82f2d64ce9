import type { ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import {
  ActivityIcon,
  CreditCardIcon,
  ReceiptIcon,
  WebhookIcon,
  LayoutGridIcon,
  LifeBuoyIcon,
  MailWarningIcon,
  PackageIcon,
  ScrollTextIcon,
  ServerIcon,
  SettingsIcon,
  TicketPercentIcon,
  UsersIcon,
  type LucideIcon,
} from 'lucide-react'
import { paths } from '@/config/paths'
import { cn } from '@/lib/utils'

/** AdminSection is one entry of the operator console's navigation. */
export interface AdminSection {
  href: string
  label: string
  icon: LucideIcon
  /** exact: only this path is the section (the overview), not the paths under it. */
  exact?: boolean
}

/**
 * adminSections is the operator console's navigation, in order. A section
 * another part of the console builds adds its entry here and its route in
 * signed-in-area.tsx (inside AdminLayout via adminPage).
 */
export const adminSections: AdminSection[] = [
  { href: paths.admin, label: 'Overview', icon: LayoutGridIcon, exact: true },
  { href: paths.adminUsers, label: 'Users', icon: UsersIcon },
  { href: paths.adminServers, label: 'Servers', icon: ServerIcon },
  { href: paths.adminPayments, label: 'Payments', icon: CreditCardIcon },
  // Operator console: billing runs and webhook deliveries (ops2).
  { href: paths.adminBilling, label: 'Billing', icon: ReceiptIcon },
  { href: paths.adminWebhooks, label: 'Webhooks', icon: WebhookIcon },
  { href: paths.adminTickets, label: 'Tickets', icon: LifeBuoyIcon },
  { href: paths.adminPackages, label: 'Packages', icon: PackageIcon },
  { href: paths.adminNotifications, label: 'Notifications', icon: MailWarningIcon },
  { href: paths.adminStatus, label: 'Status', icon: ActivityIcon },
  { href: paths.adminCoupons, label: 'Promo codes', icon: TicketPercentIcon },
  { href: paths.adminSettings, label: 'Settings', icon: SettingsIcon },
  { href: paths.adminAudit, label: 'Audit', icon: ScrollTextIcon },
]

export function sectionActive(s: AdminSection, location: string) {
  return s.exact ? location === s.href : location === s.href || location.startsWith(s.href + '/')
}

/** AdminLayout is the operator console's frame: its own section navigation above the page. */
export function AdminLayout({ children }: { children: ReactNode }) {
  const [location] = useLocation()
  return (
    <div className="grid min-w-0 gap-6">
      <nav aria-label="Admin sections" className="-mx-1 overflow-x-auto px-1 pb-1">
        <ul className="flex w-max gap-1 rounded-xl border bg-card/40 p-1 backdrop-blur">
          {adminSections.map((s) => {
            const active = sectionActive(s, location)
            return (
              <li key={s.href}>
                <Link
                  href={s.href}
                  aria-current={active ? 'page' : undefined}
                  className={cn(
                    'flex h-10 items-center gap-2 rounded-lg px-3 text-sm font-medium whitespace-nowrap text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50',
                    active && 'bg-primary/15 text-foreground',
                  )}
                >
                  <s.icon className="size-4" aria-hidden="true" />
                  {s.label}
                </Link>
              </li>
            )
          })}
        </ul>
      </nav>
      {children}
    </div>
  )
}
