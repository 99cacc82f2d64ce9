import { Link } from 'wouter'
import { CheckIcon, FileTextIcon, KeyRoundIcon, PlusIcon, WalletIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { useSshKeys } from '@/features/account/api/get-ssh-keys'
import { useUser } from '@/features/auth/api/get-me'
import { useBalance } from '@/features/billing/api/get-balance'
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

/** FirstRunChecklist walks a new customer through add funds → add an SSH key → deploy, until the first server exists. */
function FirstRunChecklist({ hasServers }: { hasServers: boolean }) {
  const balance = useBalance()
  const keys = useSshKeys()
  if (hasServers || !balance.data || !keys.data) return null
  const funded = balance.data.balanceMinor > 0
  const keyed = keys.data.length > 0
  const item = (done: boolean, label: string, action: ReactNode) => (
    <li className="flex min-h-10 flex-wrap items-center gap-3">
      <span
        className={done ? 'grid size-6 place-items-center rounded-full bg-success/20 text-success' : 'grid size-6 place-items-center rounded-full border text-muted-foreground'}
        aria-hidden="true"
      >
        {done && <CheckIcon className="size-4" />}
      </span>
      <span className={done ? 'text-muted-foreground line-through' : 'font-medium'}>
        {label}
        <span className="sr-only">{done ? ' (done)' : ' (to do)'}</span>
      </span>
      {!done && <span className="ml-auto">{action}</span>}
    </li>
  )
  return (
    <Card aria-labelledby="checklist-title">
      <CardHeader>
        <CardTitle id="checklist-title" className="text-base">
          Get started in three steps
        </CardTitle>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-2 text-sm" aria-label="Getting started">
          {item(funded, 'Add funds to your balance', <TopUpDialog trigger={<button type="button" className="text-primary underline-offset-4 hover:underline min-h-10 px-2">Add funds</button>} />)}
          {item(keyed, 'Add an SSH key (optional)', <Link href="/account/ssh-keys" className="inline-flex min-h-10 items-center px-2 text-primary underline-offset-4 hover:underline">Add a key</Link>)}
          {item(false, 'Deploy your first server', <Link href={paths.deploy} className="inline-flex min-h-10 items-center px-2 text-primary underline-offset-4 hover:underline">Deploy</Link>)}
        </ol>
      </CardContent>
    </Card>
  )
}

/** isNewAccount: signed up within the last hour, so "Welcome back" would be wrong. */
const isNewAccount = (createdAt?: string) => Boolean(createdAt) && Date.now() - Date.parse(createdAt!) < 60 * 60 * 1000

/** DashboardRoute is the home page: balance, live servers and quick actions. */
export default function DashboardRoute() {
  const user = useUser()
  const first = user.name?.split(' ')[0]
  // Same query (and cache entry) as ServersGlance; the runway is noise until there is a server.
  const servers = useServers()
  const hasServers = (servers.data?.servers.length ?? 0) > 0
  return (
    <div className="grid gap-6">
      <PageHeader title="Dashboard" description={`${isNewAccount(user.createdAt) ? 'Welcome' : 'Welcome back'}${first ? `, ${first}` : ''}.`} />
      <LowBalanceBanner />
      {servers.data && <FirstRunChecklist hasServers={hasServers} />}
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
