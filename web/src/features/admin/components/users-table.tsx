import { useRef, useState } from 'react'
import { Link } from 'wouter'
import { SearchIcon, UsersIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { paths } from '@/config/paths'
import { useDebounced } from '@/hooks/use-debounced'
import { useSlashFocus } from '@/hooks/use-slash-focus'
import { formatDate, formatMoney } from '@/lib/format'
import { useAdminUsers, type UserFilters } from '../api/get-users'

/** UsersTable finds users on the server: indexed search, filters, sort and paging. Press "/" to search. */
export function UsersTable() {
  const [search, setSearch] = useState('')
  const [filters, setFilters] = useState<Omit<UserFilters, 'q'>>({ role: '', blocked: '', negative: false, sort: '-created' })
  const q = useDebounced(search.trim().length >= 2 ? search.trim() : '')
  const list = useAdminUsers({ ...filters, q })
  const searchRef = useRef<HTMLInputElement>(null)
  useSlashFocus(searchRef)
  const users = list.data?.pages.flatMap((p) => p.items) ?? []
  const set = (patch: Partial<typeof filters>) => setFilters((f) => ({ ...f, ...patch }))
  return (
    <div className="grid gap-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto] lg:items-end">
        <div className="grid gap-1.5">
          <Label htmlFor="user-search">Search</Label>
          <div className="relative">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
            <Input
              id="user-search"
              ref={searchRef}
              type="search"
              placeholder="Email, name or id (press /)"
              className="h-10 pl-9"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="user-role">Role</Label>
          <NativeSelect id="user-role" value={filters.role} onChange={(e) => set({ role: e.target.value as UserFilters['role'] })}>
            <option value="">Any role</option>
            <option value="customer">Customers</option>
            <option value="admin">Admins</option>
          </NativeSelect>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="user-blocked">Access</Label>
          <NativeSelect id="user-blocked" value={filters.blocked} onChange={(e) => set({ blocked: e.target.value as UserFilters['blocked'] })}>
            <option value="">Any</option>
            <option value="true">Blocked</option>
            <option value="false">Not blocked</option>
          </NativeSelect>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="user-sort">Sort</Label>
          <NativeSelect id="user-sort" value={filters.sort} disabled={!!q || filters.negative} onChange={(e) => set({ sort: e.target.value as UserFilters['sort'] })}>
            <option value="-created">Newest first</option>
            <option value="created">Oldest first</option>
          </NativeSelect>
        </div>
        <div className="flex h-10 items-center gap-2">
          <Checkbox id="user-negative" checked={filters.negative} onCheckedChange={(v) => set({ negative: v === true })} />
          <Label htmlFor="user-negative">Balance below zero</Label>
        </div>
      </div>
      {list.isPending ? (
        <div className="grid gap-2" aria-busy="true" aria-label="Loading users">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-11" />
          ))}
        </div>
      ) : list.isError ? (
        <ErrorAlert error={list.error} title="Couldn't load users" onRetry={() => list.refetch()} />
      ) : users.length === 0 ? (
        <EmptyState icon={UsersIcon} title="No users found" />
      ) : (
        <Table aria-label="Users" aria-busy={list.isFetching || undefined}>
          <TableHeader>
            <TableRow>
              <TableHead>User</TableHead>
              <TableHead>Role</TableHead>
              <TableHead className="text-right">Balance</TableHead>
              <TableHead>Joined</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((u) => (
              <TableRow key={u.id}>
                <TableCell>
                  <Link href={paths.adminUser(u.id)} className="font-medium text-primary underline-offset-4 hover:underline">
                    {u.name || u.email}
                  </Link>
                  <div className="text-xs text-muted-foreground">{u.email}</div>
                </TableCell>
                <TableCell>
                  <span className="flex flex-wrap gap-1">
                    <Badge variant={u.role === 'admin' ? 'default' : 'secondary'}>{u.role}</Badge>
                    {u.blocked && <Badge variant="destructive">blocked</Badge>}
                  </span>
                </TableCell>
                <TableCell className={`text-right font-mono tabular-nums ${u.balanceMinor < 0 ? 'text-destructive' : ''}`}>{formatMoney(u.balanceMinor)}</TableCell>
                <TableCell className="text-muted-foreground">{formatDate(u.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {list.hasNextPage && (
        <Button variant="outline" className="h-10 justify-self-center" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more users'}
        </Button>
      )}
    </div>
  )
}
