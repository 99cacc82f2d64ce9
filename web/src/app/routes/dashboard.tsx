import { Link } from 'wouter'
import { FileTextIcon, KeyRoundIcon, PlusIcon, WalletIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { useUser } from '@/features/auth/api/get-me'
import { BalanceCard } from '@/features/billing/components/balance-card'
import { LowBalanceBanner } from '@/features/billing/components/low-balance-banner'
import { TopUpDialog } from '@/features/billing/components/topup-dialog'
import { useServers } from '@/features/servers/api/get-servers'
import { ServersGlance } from '@/features/servers/components/servers-glance'

const tile =
  'flex w-full items-center gap-3 rounded-lg border bg-background/30 p-3 text-left text-sm font-medium transition-colors outline-none hover:border-primary/40 hover:bg-primary/5 focus-visible:ring-[3px] focus-visible:ring-ring/50 cursor-pointer'

function TileIcon({ children }: { children: ReactNode }) {
  return <span className="grid size-8 place-items-center rounded-md bg-primary/10 text-primary [&_svg]:size-4">{children}</span>
}

/** DashboardRoute is the home page: balance, live servers and quick actions. */
export default function DashboardRoute() {
  const user = useUser()
  const first = user.name?.split(' ')[0]
  // Same query (and cache entry) as ServersGlance; the runway is noise until there is a server.
  const servers = useServers()
  const hasServers = (servers.data?.servers.length ?? 0) > 0
  return (
    <div className="grid gap-6">
      <PageHeader title="Dashboard" description={first ? `Welcome back, ${first}.` : 'Welcome back.'} />
      <LowBalanceBanner />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="grid content-start gap-6">
          <BalanceCard hasServers={hasServers} />
          <Card aria-labelledby="quick-title">
            <CardHeader>
              <CardTitle id="quick-title" className="text-base">
                Quick actions
              </CardTitle>
            </CardHeader>
            <CardContent>
              <ul className="grid gap-2">
                <li>
                  <Link href={paths.deploy} className={tile}>
                    <TileIcon>
                      <PlusIcon aria-hidden="true" />
                    </TileIcon>
                    Deploy a server
                  </Link>
                </li>
                <li>
                  <TopUpDialog
                    trigger={
                      <button type="button" className={tile}>
                        <TileIcon>
                          <WalletIcon aria-hidden="true" />
                        </TileIcon>
                        Add funds
                      </button>
                    }
                  />
                </li>
                <li>
                  <Link href="/account/ssh-keys" className={tile}>
                    <TileIcon>
                      <KeyRoundIcon aria-hidden="true" />
                    </TileIcon>
                    Manage SSH keys
                  </Link>
                </li>
                <li>
                  <Link href={paths.billing} className={tile}>
                    <TileIcon>
                      <FileTextIcon aria-hidden="true" />
                    </TileIcon>
                    Invoices and transactions
                  </Link>
                </li>
              </ul>
            </CardContent>
          </Card>
        </div>
        <ServersGlance className="lg:col-span-2" />
      </div>
    </div>
  )
}
