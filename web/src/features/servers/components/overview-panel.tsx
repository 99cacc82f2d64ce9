import { CpuIcon, GaugeIcon, HardDriveIcon, MapPinIcon, MemoryStickIcon, NetworkIcon, PackageIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Progress } from '@/components/ui/progress'
import { CopyButton } from '@/components/copy-button'
import { OsIcon } from '@/components/os-icon'
import { formatBytes, formatDate, formatMemory, formatGb } from '@/lib/format'
import type { ServerDetail } from '@/types/api'
import { ServerStatusBadge } from './server-status'

function Spec({ icon, label, value }: { icon: ReactNode; label: string; value: ReactNode }) {
  return (
    <div className="flex items-center gap-3 rounded-lg border bg-background/30 p-3">
      <span className="grid size-9 place-items-center rounded-md bg-primary/10 text-primary [&_svg]:size-4" aria-hidden="true">
        {icon}
      </span>
      <dl className="min-w-0">
        <dt className="text-xs text-muted-foreground">{label}</dt>
        <dd className="truncate font-medium">{value}</dd>
      </dl>
    </div>
  )
}

function AddressList({ title, addresses, kind }: { title: string; addresses: string[]; kind: string }) {
  return (
    <div className="grid gap-2">
      <h4 className="text-xs font-medium tracking-wide text-muted-foreground uppercase">{title}</h4>
      {addresses.length === 0 ? (
        <p className="text-sm text-muted-foreground">None assigned</p>
      ) : (
        <ul className="grid gap-1.5">
          {addresses.map((ip) => (
            <li key={ip} className="flex items-center justify-between gap-2 rounded-md border bg-background/30 py-1 pr-1 pl-3">
              <code className="min-w-0 truncate font-mono text-sm">{ip}</code>
              <CopyButton value={ip} label={`Copy ${kind} address ${ip}`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** OverviewPanel is the server's identity card: state, addresses, specs, OS and location. */
export function OverviewPanel({ server }: { server: ServerDetail }) {
  const t = server.traffic
  const limitBytes = t ? t.limitGb * 1024 ** 3 : 0
  // usedBytes is null when VirtFusion could not say how much was used.
  const trafficPct = t && t.usedBytes !== null && limitBytes > 0 ? Math.min(100, (t.usedBytes / limitBytes) * 100) : 0
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle className="flex items-center gap-2 text-base">
            <NetworkIcon className="size-4 text-primary" aria-hidden="true" /> Network
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <AddressList title="IPv4" addresses={server.ipv4} kind="IPv4" />
          <AddressList title="IPv6" addresses={server.ipv6} kind="IPv6" />
          {server.privateIpv4 && server.privateIpv4.length > 0 && (
            <AddressList title="Private IPv4" addresses={server.privateIpv4} kind="private IPv4" />
          )}
          <div className="grid gap-2 sm:col-span-2">
            <h4 className="text-xs font-medium tracking-wide text-muted-foreground uppercase">Hostname</h4>
            <div className="flex items-center justify-between gap-2 rounded-md border bg-background/30 py-1 pr-1 pl-3">
              <code className="min-w-0 truncate font-mono text-sm">{server.hostname}</code>
              <CopyButton value={server.hostname} label="Copy hostname" />
            </div>
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Status</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 text-sm">
          <div className="flex items-center justify-between">
            <span className="text-muted-foreground">State</span>
            <ServerStatusBadge server={server} />
          </div>
          <div className="flex items-center justify-between gap-3">
            <span className="text-muted-foreground">OS</span>
            <span className="flex min-w-0 items-center gap-2 font-medium">
              <OsIcon icon={server.os.icon} className="size-5" />
              <span className="truncate">{server.os.name}</span>
            </span>
          </div>
          {server.createdAt && (
            <div className="flex items-center justify-between">
              <span className="text-muted-foreground">Created</span>
              <span className="font-medium">{formatDate(server.createdAt)}</span>
            </div>
          )}
          {t && (
            <div className="grid gap-2">
              <div className="flex items-center justify-between text-xs">
                <span className="text-muted-foreground">Traffic this period</span>
                <span className="font-mono tabular-nums">
                  {t.usedBytes === null ? 'unknown' : formatBytes(t.usedBytes)} / {formatGb(t.limitGb)}
                </span>
              </div>
              <Progress value={trafficPct} aria-label="Traffic used this period" />
            </div>
          )}
        </CardContent>
      </Card>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:col-span-3 lg:grid-cols-3">
        <Spec icon={<CpuIcon />} label="CPU" value={`${server.resources.cpuCores} vCPU`} />
        <Spec icon={<MemoryStickIcon />} label="Memory" value={formatMemory(server.resources.memoryMb)} />
        <Spec icon={<HardDriveIcon />} label="Storage" value={`${formatGb(server.resources.storageGb)} SSD`} />
        <Spec icon={<GaugeIcon />} label="Traffic" value={`${formatGb(server.resources.trafficGb)} / month`} />
        <Spec icon={<MapPinIcon />} label="Location" value={server.location?.name ?? '—'} />
        <Spec icon={<PackageIcon />} label="Plan" value={server.package?.name ?? '—'} />
      </div>
    </div>
  )
}
