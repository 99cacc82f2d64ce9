import { useMemo, useState } from 'react'
import { SearchIcon } from 'lucide-react'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { useServers } from '../api/get-servers'
import { NoServersYet, ServerRow, ServerRowSkeleton } from './server-card'
import { serverState, serverStateLabel, type ServerState } from './server-status'

const states: ServerState[] = ['running', 'stopped', 'building', 'suspended', 'failed']

/** ServerList is the searchable, filterable list of the customer's servers. */
export function ServerList() {
  const q = useServers({ live: true })
  const [search, setSearch] = useState('')
  const [status, setStatus] = useState<ServerState | ''>('')
  const [location, setLocation] = useState('')

  const servers = q.data?.servers
  const locations = useMemo(() => [...new Set((servers ?? []).flatMap((s) => (s.location ? [s.location.name] : [])))].sort(), [servers])
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase()
    return (servers ?? []).filter(
      (s) =>
        (!needle || [s.name, s.hostname, ...s.ipv4, ...s.ipv6, s.os.name].some((v) => v.toLowerCase().includes(needle))) &&
        (!status || serverState(s) === status) &&
        (!location || s.location?.name === location),
    )
  }, [servers, search, status, location])

  return (
    <div className="grid gap-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr_1fr]" role="search" aria-label="Filter servers">
        <div className="grid gap-2">
          <Label htmlFor="server-search">Search</Label>
          <div className="relative">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
            <Input
              id="server-search"
              type="search"
              placeholder="Name, hostname or IP"
              className="pl-9"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="server-status">Status</Label>
          <NativeSelect id="server-status" value={status} onChange={(e) => setStatus(e.target.value as ServerState | '')}>
            <option value="">All statuses</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {serverStateLabel(s)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="server-location">Location</Label>
          <NativeSelect id="server-location" value={location} onChange={(e) => setLocation(e.target.value)}>
            <option value="">All locations</option>
            {locations.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>

      {q.isPending ? (
        <ul className="grid gap-3" aria-busy="true" aria-label="Loading servers">
          {Array.from({ length: 3 }, (_, i) => (
            <ServerRowSkeleton key={i} />
          ))}
        </ul>
      ) : q.isError ? (
        <ErrorAlert error={q.error} title="Couldn't load your servers" onRetry={() => q.refetch()} />
      ) : servers!.length === 0 ? (
        <NoServersYet description="Deploy your first server in under a minute. You only pay for the hours it runs." />
      ) : shown.length === 0 ? (
        <EmptyState icon={SearchIcon} title="No servers match" description="Try a different search or clear the filters." />
      ) : (
        <>
          <p className="sr-only" aria-live="polite">
            {shown.length} of {servers!.length} servers shown
          </p>
          <ul className="grid gap-3" aria-label="Servers">
            {shown.map((s) => (
              <ServerRow key={s.id} server={s} />
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
