import { lazy, Suspense } from 'react'
import { Link, useLocation, useParams } from 'wouter'
import {
  ActivityIcon,
  ArchiveIcon,
  ChevronLeftIcon,
  HammerIcon,
  HistoryIcon,
  InfoIcon,
  MonitorIcon,
  NetworkIcon,
  PowerIcon,
  RefreshCwIcon,
  ServerOffIcon,
  SettingsIcon,
  Maximize2Icon,
} from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Progress } from '@/components/ui/progress'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { OsIcon } from '@/components/os-icon'
import { useDocumentTitle } from '@/hooks/use-document-title'
import { paths } from '@/config/paths'
import { useSshKeys } from '@/features/account/api/get-ssh-keys'
import { usePackages } from '@/features/catalog/api/get-packages'
import { ActivityList } from '@/features/account/components/activity-list'
import { useServer } from '@/features/servers/api/get-server'
import { BackupPlanCard } from '@/features/servers/components/backup-plan-card'
import { BackupsPanel } from '@/features/servers/components/backups-panel'
import { NetworkPanel } from '@/features/servers/components/network-panel'
import { OverviewPanel } from '@/features/servers/components/overview-panel'
import { PowerPanel } from '@/features/servers/components/power-panel'
import { ReinstallPanel } from '@/features/servers/components/reinstall-panel'
import { ResizePanel } from '@/features/servers/components/resize-panel'
import { ServerStatusBadge } from '@/features/servers/components/server-status'
import { SettingsPanel } from '@/features/servers/components/settings-panel'
import { isApiError } from '@/lib/api-client'
import type { ServerDetail } from '@/types/api'

// Heavy tabs: noVNC and Recharts load only when their tab opens.
const ConsolePanel = lazy(() => import('@/features/servers/components/console-panel'))
const MetricsPanel = lazy(() => import('@/features/servers/components/metrics-panel'))

const tabs = [
  { value: 'overview', label: 'Overview', icon: InfoIcon },
  { value: 'power', label: 'Power', icon: PowerIcon },
  { value: 'console', label: 'Console', icon: MonitorIcon },
  { value: 'metrics', label: 'Metrics', icon: ActivityIcon },
  { value: 'resize', label: 'Resize', icon: Maximize2Icon },
  { value: 'network', label: 'Network', icon: NetworkIcon },
  { value: 'reinstall', label: 'Reinstall', icon: RefreshCwIcon },
  { value: 'settings', label: 'Settings', icon: SettingsIcon },
  { value: 'backups', label: 'Backups', icon: ArchiveIcon },
  { value: 'activity', label: 'Activity', icon: HistoryIcon },
] as const

function TabFallback() {
  return <Skeleton className="h-80 w-full" aria-label="Loading" />
}

function BuildBanner({ server }: { server: ServerDetail }) {
  if (server.provisioning === 'complete') return null
  if (server.provisioning === 'failed')
    return <ErrorAlert error={new Error('The build failed. Reinstall the server or contact support.')} title="Build failed" />
  const pct = server.build?.progress ?? 0
  return (
    <Alert data-testid="build-banner">
      <HammerIcon />
      <AlertTitle>Your server is being built</AlertTitle>
      <AlertDescription className="w-full">
        <p>This usually takes a minute or two. This page updates by itself.</p>
        <div className="flex w-full items-center gap-3">
          <Progress value={Math.max(pct, 5)} aria-label="Build progress" className="flex-1" />
          <span className="font-mono text-xs tabular-nums">{pct}%</span>
        </div>
      </AlertDescription>
    </Alert>
  )
}

function Header({ server }: { server: ServerDetail }) {
  useDocumentTitle(server.name)
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
      <span className="glass grid size-14 shrink-0 place-items-center rounded-xl border">
        <OsIcon icon={server.os.icon} title={server.os.name} className="size-8" />
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="truncate font-display text-2xl font-semibold tracking-tight sm:text-3xl" title={server.name}>
            {server.name}
          </h1>
          <ServerStatusBadge server={server} />
        </div>
        <p className="truncate text-sm text-muted-foreground">
          {server.hostname} · {server.ipv4[0] ?? server.ipv6[0] ?? 'no IP yet'} · {server.location?.name ?? 'unknown location'}
        </p>
      </div>
    </div>
  )
}

/** ServerRoute is one server's page; the tab is in the URL (/servers/12/console) so it can be linked. */
export default function ServerRoute() {
  const params = useParams<{ id: string; tab?: string }>()
  const id = Number(params.id)
  const tab = tabs.some((t) => t.value === params.tab) ? params.tab! : 'overview'
  const [, navigate] = useLocation()
  const q = useServer(id)
  const sshKeys = useSshKeys()
  const packages = usePackages()

  const back = (
    <Link href={paths.servers} className="flex w-fit items-center gap-1 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50">
      <ChevronLeftIcon className="size-4" aria-hidden="true" /> Servers
    </Link>
  )

  if (!Number.isInteger(id) || (q.isError && isApiError(q.error) && q.error.status === 404))
    return (
      <div className="grid gap-6">
        {back}
        <EmptyState
          icon={ServerOffIcon}
          title="Server not found"
          description="It may have been deleted, or it belongs to another account."
          action={
            <Button asChild variant="outline">
              <Link href={paths.servers}>Back to servers</Link>
            </Button>
          }
        />
      </div>
    )

  if (q.isPending)
    return (
      <div className="grid gap-6" aria-busy="true" aria-label="Loading server">
        {back}
        <div className="flex items-center gap-4">
          <Skeleton className="size-14 rounded-xl" />
          <div className="grid gap-2">
            <Skeleton className="h-8 w-48" />
            <Skeleton className="h-4 w-72" />
          </div>
        </div>
        <Skeleton className="h-10 w-full max-w-2xl" />
        <Skeleton className="h-64 w-full" />
      </div>
    )

  if (q.isError)
    return (
      <div className="grid gap-6">
        {back}
        <ErrorAlert error={q.error} title="Couldn't load this server" onRetry={() => q.refetch()} />
      </div>
    )

  const server = q.data
  return (
    <div className="grid gap-6">
      {back}
      <Header server={server} />
      {/* One progress source per operation: the Reinstall tab shows its own task progress. */}
      {tab !== 'reinstall' && <BuildBanner server={server} />}
      {server.suspended && (
        <ErrorAlert error={new Error('This server is suspended because the balance ran out. Add funds to resume it.')} title="Suspended" />
      )}
      <Tabs value={tab} onValueChange={(v) => navigate(paths.server(id, v === 'overview' ? undefined : v), { replace: true })}>
        <TabsList aria-label="Server sections">
          {tabs.map((t) => (
            <TabsTrigger key={t.value} value={t.value}>
              <t.icon aria-hidden="true" />
              {t.label}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="overview">
          <OverviewPanel server={server} />
        </TabsContent>
        <TabsContent value="power">
          <PowerPanel server={server} />
        </TabsContent>
        <TabsContent value="console">
          <Suspense fallback={<TabFallback />}>
            <ConsolePanel server={server} />
          </Suspense>
        </TabsContent>
        <TabsContent value="metrics">
          <Suspense fallback={<TabFallback />}>
            <MetricsPanel server={server} />
          </Suspense>
        </TabsContent>
        <TabsContent value="resize">
          {packages.isPending ? (
            <TabFallback />
          ) : packages.isError ? (
            <ErrorAlert error={packages.error} title="Couldn't load plans" onRetry={() => packages.refetch()} />
          ) : (
            <ResizePanel server={server} packages={packages.data} />
          )}
        </TabsContent>
        <TabsContent value="network">
          <NetworkPanel server={server} />
        </TabsContent>
        <TabsContent value="reinstall">
          <ReinstallPanel server={server} sshKeys={sshKeys.data} sshKeysLoading={sshKeys.isPending} />
        </TabsContent>
        <TabsContent value="settings">
          <SettingsPanel server={server} />
        </TabsContent>
        <TabsContent value="backups">
          <div className="grid gap-6">
            <BackupPlanCard server={server} />
            <BackupsPanel server={server} />
          </div>
        </TabsContent>
        <TabsContent value="activity">
          <Card>
            <CardContent>
              <ActivityList serverId={server.id} />
            </CardContent>
          </Card>
        </TabsContent>
      </Tabs>
    </div>
  )
}
