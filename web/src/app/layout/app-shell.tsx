import { useState, type ComponentType, type ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import {
  BookOpenIcon,
  CreditCardIcon,
  LayoutDashboardIcon,
  LifeBuoyIcon,
  LogOutIcon,
  MenuIcon,
  PlusIcon,
  ServerIcon,
  ShieldIcon,
  UserIcon,
} from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from '@/components/ui/sheet'
import { Logo } from '@/components/logo'
import { ThemeToggle } from '@/components/theme-toggle'
import { paths } from '@/config/paths'
import { useUser } from '@/features/auth/api/get-me'
import { useLogout } from '@/features/auth/api/logout'
import { BalanceChip } from '@/features/billing/components/balance-chip'
import { UnreadBadge } from '@/features/tickets/components/unread-badge'
import { useStatus } from '@/features/status/api/get-status'
import { StatusBanner } from '@/features/status/components/status-banner'
import { AnnouncementBanner } from '@/features/status/components/announcement-banner'
import { errorMessage } from '@/lib/api-client'
import { cn } from '@/lib/utils'
import type { User } from '@/types/api'

interface NavItem {
  href: string
  label: string
  icon: typeof ServerIcon
  match: (path: string) => boolean
  /** badge is shown after the label (e.g. unread tickets). */
  badge?: ComponentType
}

const mainNav: NavItem[] = [
  { href: paths.dashboard, label: 'Dashboard', icon: LayoutDashboardIcon, match: (p) => p === '/' },
  { href: paths.servers, label: 'Servers', icon: ServerIcon, match: (p) => p.startsWith('/servers') },
  { href: paths.deploy, label: 'Deploy', icon: PlusIcon, match: (p) => p.startsWith('/deploy') },
  { href: paths.billing, label: 'Billing', icon: CreditCardIcon, match: (p) => p.startsWith('/billing') },
  { href: paths.support, label: 'Support', icon: LifeBuoyIcon, match: (p) => p.startsWith('/support'), badge: UnreadBadge },
  { href: paths.account, label: 'Account', icon: UserIcon, match: (p) => p.startsWith('/account') },
]
const adminNav: NavItem[] = [
  { href: paths.admin, label: 'Admin console', icon: ShieldIcon, match: (p) => p === '/admin' || p.startsWith('/admin/') },
]

function NavLinks({ user, onNavigate }: { user: User; onNavigate?: () => void }) {
  const [location] = useLocation()
  const link = (item: NavItem) => {
    const active = item.match(location)
    return (
      <li key={item.href}>
        <Link
          href={item.href}
          onClick={onNavigate}
          aria-current={active ? 'page' : undefined}
          className={cn(
            'flex h-10 items-center gap-3 rounded-md px-3 text-sm font-medium text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50',
            active && 'bg-primary/15 text-foreground shadow-[inset_2px_0_0_0_var(--primary)]',
          )}
        >
          <item.icon className="size-4" aria-hidden="true" />
          {item.label}
          {item.badge && <item.badge />}
        </Link>
      </li>
    )
  }
  return (
    <nav aria-label="Main" className="grid gap-6">
      <ul className="grid gap-1">{mainNav.map(link)}</ul>
      {user.role === 'admin' && (
        <div className="grid gap-2">
          <p className="flex items-center gap-2 px-3 text-xs font-medium tracking-wide text-muted-foreground uppercase">
            <ShieldIcon className="size-3.5" aria-hidden="true" /> Admin
          </p>
          <ul className="grid gap-1" aria-label="Admin">
            {adminNav.map(link)}
          </ul>
        </div>
      )}
    </nav>
  )
}

function initials(user: User) {
  const src = user.name || user.email
  return src
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((s) => s[0]!.toUpperCase())
    .join('')
}

function UserMenu({ user }: { user: User }) {
  const logout = useLogout()
  const [, navigate] = useLocation()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        {/* The name comes from hidden text, not aria-label, so it doesn't clash with the visible initials (axe label-content-name-mismatch). */}
        <Button variant="ghost" size="icon" className="rounded-full">
          <span aria-hidden="true" className="grid size-8 place-items-center rounded-full bg-gradient-to-br from-sky-400 to-violet-500 text-xs font-semibold text-white">
            {initials(user)}
          </span>
          <span className="sr-only">Account menu for {user.name || user.email}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid gap-0.5">
          <span className="truncate">{user.name}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate(paths.account)}>
          <UserIcon /> Account
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => navigate(paths.billing)}>
          <CreditCardIcon /> Billing
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => navigate(paths.apiDocs)}>
          <BookOpenIcon /> API reference
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={() =>
            logout.mutate(undefined, {
              onSuccess: () => navigate(paths.login, { replace: true }),
              onError: (e) => toast.error(errorMessage(e)),
            })
          }
        >
          <LogOutIcon /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}

/** StatusLinks is the sidebar's footer: the service status page, and the external status page when one is set. */
function StatusLinks() {
  const status = useStatus()
  const external = status.data?.statusPageUrl
  return (
    <footer className="mt-auto grid gap-1 px-3 text-xs text-muted-foreground">
      <Link href={paths.status} className="underline-offset-2 hover:underline">
        Service status
      </Link>
      {external && (
        <a href={external} target="_blank" rel="noreferrer noopener" className="underline-offset-2 hover:underline">
          Uptime history
        </a>
      )}
      <p>Pay by the hour · cancel anytime</p>
    </footer>
  )
}

/** AppShell is the signed-in frame: sidebar (a sheet on phones), top bar with balance and user menu. */
export function AppShell({ children }: { children: ReactNode }) {
  const user = useUser()
  const [menuOpen, setMenuOpen] = useState(false)
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_1fr]">
      <a
        href="#main"
        className="sr-only z-[60] rounded-md bg-primary px-4 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <aside className="glass sticky top-0 hidden h-dvh flex-col gap-8 border-r p-4 lg:flex" aria-label="Sidebar">
        <Link href={paths.dashboard} className="rounded-md px-2 py-1 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50" aria-label="vfpanel home">
          <Logo />
        </Link>
        <NavLinks user={user} />
        <StatusLinks />
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="glass sticky top-0 z-40 flex h-14 items-center gap-2 border-b px-3 sm:px-6 lg:rounded-none">
          <Sheet open={menuOpen} onOpenChange={setMenuOpen}>
            <SheetTrigger asChild>
              <Button variant="ghost" size="icon" className="lg:hidden" aria-label="Open menu">
                <MenuIcon />
              </Button>
            </SheetTrigger>
            <SheetContent side="left" className="p-4 pt-5">
              <SheetTitle className="px-2">
                <Logo />
              </SheetTitle>
              <SheetDescription className="sr-only">Main navigation</SheetDescription>
              <NavLinks user={user} onNavigate={() => setMenuOpen(false)} />
            </SheetContent>
          </Sheet>
          <Link href={paths.dashboard} className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 lg:hidden" aria-label="vfpanel home">
            <Logo className="[&>span]:hidden sm:[&>span]:inline" />
          </Link>
          <div className="ml-auto flex items-center gap-1.5 sm:gap-2">
            <Button asChild size="sm" className="hidden sm:inline-flex">
              <Link href={paths.deploy}>
                <PlusIcon aria-hidden="true" /> Deploy
              </Link>
            </Button>
            <BalanceChip />
            <ThemeToggle />
            <UserMenu user={user} />
          </div>
        </header>
        <StatusBanner statusHref={paths.status} />
        <AnnouncementBanner />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 p-4 outline-none sm:p-6 lg:p-8">
          {children}
        </main>
      </div>
    </div>
  )
}
