import { useState } from 'react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { toast } from 'sonner'
import { api, errorMessage } from '@/lib/api-client'
import { formatDateTime, formatMoney } from '@/lib/format'
import type { AdminAuditEntry, AdminUserDetail, Delivery, Page, Transaction } from '@/types/api'

/** usePaged starts from a page the detail answered and pages on through one of the user's lists. */
function usePaged<T>(userId: string, path: 'transactions' | 'activity' | 'notifications', first: T[], cursor: string) {
  const [items, setItems] = useState(first)
  const [next, setNext] = useState(cursor)
  const [loading, setLoading] = useState(false)
  const more = async () => {
    setLoading(true)
    try {
      const page = await api.get<Page<T>>(`/api/admin/users/${encodeURIComponent(userId)}/${path}`, { params: { cursor: next } })
      setItems((xs) => [...xs, ...page.items])
      setNext(page.nextCursor)
    } catch (err) {
      toast.error(errorMessage(err))
    } finally {
      setLoading(false)
    }
  }
  const button = next ? (
    <Button variant="outline" className="mt-3 h-10" disabled={loading} onClick={more}>
      {loading ? 'Loading…' : 'Load more'}
    </Button>
  ) : null
  return { items, button }
}

/** UserLedger is the user's ledger, paged. */
export function UserLedger({ detail }: { detail: AdminUserDetail }) {
  const { items, button } = usePaged<Transaction>(detail.user.id, 'transactions', detail.transactions, detail.nextCursor)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Ledger</CardTitle>
        <CardDescription>Newest first</CardDescription>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No entries yet.</p>
        ) : (
          <Table aria-label="Ledger">
            <TableHeader>
              <TableRow>
                <TableHead>Date</TableHead>
                <TableHead>Type</TableHead>
                <TableHead className="w-full">Description</TableHead>
                <TableHead className="text-right">Amount</TableHead>
                <TableHead className="text-right">Balance</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((t) => (
                <TableRow key={t.id}>
                  <TableCell className="text-muted-foreground">{formatDateTime(t.createdAt)}</TableCell>
                  <TableCell>
                    <Badge variant="secondary">{t.type}</Badge>
                  </TableCell>
                  <TableCell>
                    <span className="block max-w-[11rem] truncate sm:max-w-[18rem]" title={t.description}>
                      {t.description}
                    </span>
                  </TableCell>
                  <TableCell className="text-right font-mono tabular-nums">{formatMoney(t.amountMinor, 'USD', { signed: true })}</TableCell>
                  <TableCell className="text-right font-mono text-muted-foreground tabular-nums">{formatMoney(t.balanceAfterMinor)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {button}
      </CardContent>
    </Card>
  )
}

/** AuditRows is a table of audit entries (the user's activity, the audit viewer). */
export function AuditRows({ label, items, showUser }: { label: string; items: AdminAuditEntry[]; showUser?: boolean }) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead>When</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          {showUser && <TableHead>Account</TableHead>}
          <TableHead>By</TableHead>
          <TableHead>Change</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((e) => (
          <TableRow key={e.id}>
            <TableCell className="whitespace-nowrap text-muted-foreground">{formatDateTime(e.at)}</TableCell>
            <TableCell>
              <span className="flex items-center gap-1">
                <code className="text-xs">{e.action}</code>
                {e.outcome === 'error' && <Badge variant="destructive">failed</Badge>}
              </span>
            </TableCell>
            <TableCell className="font-mono text-xs">{e.target}</TableCell>
            {showUser && <TableCell className="font-mono text-xs">{e.userId}</TableCell>}
            <TableCell className="font-mono text-xs">{e.actor}</TableCell>
            <TableCell className="font-mono text-xs break-all">
              {e.before || e.after ? `${e.before || '—'} → ${e.after || '—'}` : e.detail}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

/** UserActivity is the user's audit trail, paged. */
export function UserActivity({ detail }: { detail: AdminUserDetail }) {
  const { items, button } = usePaged<AdminAuditEntry>(detail.user.id, 'activity', detail.activity, detail.activityCursor)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Activity</CardTitle>
        <CardDescription>Sign-ins, changes and admin actions</CardDescription>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? <p className="text-sm text-muted-foreground">No activity yet.</p> : <AuditRows label="Activity" items={items} />}
        {button}
      </CardContent>
    </Card>
  )
}

/** UserNotifications is the mail sent to the user, paged. */
export function UserNotifications({ detail }: { detail: AdminUserDetail }) {
  const { items, button } = usePaged<Delivery>(detail.user.id, 'notifications', detail.notifications, detail.notificationsCursor)
  return (
    <Card>
      <CardHeader>
        <CardTitle>Notifications</CardTitle>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No mail sent yet.</p>
        ) : (
          <ul className="grid gap-2 text-sm" aria-label="Notifications">
            {items.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-2">
                <Badge variant={d.state === 'failed' ? 'destructive' : 'secondary'}>{d.state}</Badge>
                <span className="min-w-0 flex-1 truncate">{d.subject || d.kind}</span>
                <span className="text-xs text-muted-foreground">{formatDateTime(d.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
        {button}
      </CardContent>
    </Card>
  )
}

/** UserSessions lists where the user is signed in. */
export function UserSessions({ detail }: { detail: AdminUserDetail }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>{detail.sessions.length} signed in</CardDescription>
      </CardHeader>
      <CardContent>
        {detail.sessions.length === 0 ? (
          <p className="text-sm text-muted-foreground">Not signed in anywhere.</p>
        ) : (
          <ul className="grid gap-2 text-sm" aria-label="Sessions">
            {detail.sessions.map((s) => (
              <li key={s.createdAt + s.ip} className="grid gap-0.5">
                <span className="truncate" title={s.userAgent}>
                  {s.userAgent || 'Unknown browser'}
                </span>
                <span className="text-xs text-muted-foreground">
                  {s.ip} · last seen {formatDateTime(s.lastSeenAt)}
                  {s.mfa ? ' · two-factor' : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
