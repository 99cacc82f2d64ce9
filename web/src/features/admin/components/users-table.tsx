import { useMemo, useState } from 'react'
import { Link } from 'wouter'
import { SearchIcon, UsersIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { EmptyState } from '@/components/empty-state'
import { ErrorAlert } from '@/components/error-alert'
import { paths } from '@/config/paths'
import { formatDate, formatMoney } from '@/lib/format'
import { useAdminUsers } from '../api/get-users'

/** UsersTable lists every customer with balance and server count. */
export function UsersTable() {
  const q = useAdminUsers()
  const [search, setSearch] = useState('')
  const users = useMemo(() => {
    const all = q.data?.pages.flatMap((p) => p.items) ?? []
    const n = search.trim().toLowerCase()
    return n ? all.filter((u) => `${u.name} ${u.email} ${u.id}`.toLowerCase().includes(n)) : all
  }, [q.data, search])

  if (q.isPending)
    return (
      <div className="grid gap-2" aria-busy="true" aria-label="Loading users">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-11" />
        ))}
      </div>
    )
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load users" onRetry={() => q.refetch()} />
  return (
    <div className="grid gap-4">
      <div className="relative max-w-sm">
        <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
        <Input type="search" aria-label="Search users" placeholder="Search loaded users" className="pl-9" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {users.length === 0 ? (
        <EmptyState icon={UsersIcon} title="No users found" />
      ) : (
        <Table aria-label="Users">
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
                  <Badge variant={u.role === 'admin' ? 'default' : 'secondary'}>{u.role}</Badge>
                </TableCell>
                <TableCell className={`text-right font-mono tabular-nums ${u.balanceMinor < 0 ? 'text-destructive' : ''}`}>{formatMoney(u.balanceMinor)}</TableCell>

                <TableCell className="text-muted-foreground">{formatDate(u.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {q.hasNextPage && (
        <Button variant="outline" className="justify-self-center" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
          {q.isFetchingNextPage ? 'Loading…' : 'Load more users'}
        </Button>
      )}
    </div>
  )
}
