import { Link } from 'wouter'
import { ChevronRightIcon, CpuIcon, HardDriveIcon, MapPinIcon, MemoryStickIcon, PlusIcon, ServerIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { EmptyState } from '@/components/empty-state'
import { OsIcon } from '@/components/os-icon'
import { paths } from '@/config/paths'
import { formatMemory, formatGb } from '@/lib/format'
import type { ServerSummary } from '@/types/api'
import { ServerStatusBadge } from './server-status'

/**
 * ServerRow is one server in a list: the whole row links to its page. The link itself is the name
 * and hostname (its accessible name is what it shows), stretched over the row.
 */
export function ServerRow({ server }: { server: ServerSummary }) {
  const ip = server.ipv4[0] ?? server.ipv6[0]
  return (
    <li>
      <div className="glass group relative grid grid-cols-[auto_1fr_auto] items-center gap-x-4 gap-y-2 rounded-xl border p-4 transition-all hover:border-primary/40 hover:bg-primary/5 has-[a:focus-visible]:ring-[3px] has-[a:focus-visible]:ring-ring/50 md:grid-cols-[auto_minmax(0,2fr)_minmax(0,1.3fr)_minmax(0,1.5fr)_auto_auto]">
        <span className="grid size-10 place-items-center rounded-lg bg-background/50">
          <OsIcon icon={server.os.icon} title={server.os.name} />
        </span>
        <Link href={paths.server(server.id)} className="min-w-0 outline-none after:absolute after:inset-0 after:rounded-xl after:content-['']">
          <span className="block truncate font-medium" title={server.name}>
            {server.name}
            <span className="sr-only">,</span>
          </span>
          <span className="block truncate text-xs text-muted-foreground" title={server.hostname}>
            {server.hostname}
          </span>
        </Link>
        <span className="hidden min-w-0 truncate font-mono text-sm text-muted-foreground md:block">{ip ?? '—'}</span>
        <span className="col-span-3 col-start-2 row-start-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground md:col-span-1 md:col-start-auto md:row-start-auto">
          <span className="flex items-center gap-1">
            <MapPinIcon className="size-3.5" aria-hidden="true" />
            {server.location?.name ?? '—'}
          </span>
          <span className="flex items-center gap-1">
            <CpuIcon className="size-3.5" aria-hidden="true" />
            {server.resources.cpuCores} vCPU
          </span>
          <span className="flex items-center gap-1">
            <MemoryStickIcon className="size-3.5" aria-hidden="true" />
            {formatMemory(server.resources.memoryMb)}
          </span>
          <span className="flex items-center gap-1">
            <HardDriveIcon className="size-3.5" aria-hidden="true" />
            {formatGb(server.resources.storageGb)}
          </span>
        </span>
        <ServerStatusBadge server={server} className="col-start-3 row-start-1 md:col-start-auto md:row-start-auto" />
        <ChevronRightIcon className="hidden size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5 md:block" aria-hidden="true" />
      </div>
    </li>
  )
}

export function ServerRowSkeleton() {
  return (
    <li className="glass flex items-center gap-4 rounded-xl border p-4" aria-hidden="true">
      <Skeleton className="size-10 rounded-lg" />
      <div className="grid flex-1 gap-2">
        <Skeleton className="h-4 w-32" />
        <Skeleton className="h-3 w-48" />
      </div>
      <Skeleton className="h-5 w-16 rounded-full" />
    </li>
  )
}

/** NoServersYet is the empty state of a customer's server list, with the way to deploy. */
export function NoServersYet({ description }: { description: string }) {
  return (
    <EmptyState
      icon={ServerIcon}
      title="No servers yet"
      description={description}
      action={
        <Button asChild>
          <Link href={paths.deploy}>
            <PlusIcon aria-hidden="true" /> Deploy a server
          </Link>
        </Button>
      }
    />
  )
}
