import { useState } from 'react'
import { Link } from 'wouter'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { NativeSelect } from '@/components/ui/native-select'
import { Label } from '@/components/ui/label'
import { TableCell, TableRow } from '@/components/ui/table'
import { AdminTable } from './admin-table'
import { paths } from '@/config/paths'
import { formatDateTime, formatMoney } from '@/lib/format'
import type { ConsoleServer } from '@/types/api'
import { useAdminServers } from '../api/get-servers'

/** lastChargedHour is the start of the last hour billing charged (the cursor is the next hour due), or null. */
export function lastChargedHour(s: ConsoleServer) {
  const b = s.billing
  if (!b) return null
  const last = new Date(b.billedThrough).getTime() - 3_600_000
  return last >= new Date(b.activeSince).getTime() ? new Date(last).toISOString() : null
}

/** BillingStateTable is each server's billing state (cursor, last charge, price), with the servers billing does not know flagged. */
export function BillingStateTable({ currency }: { currency?: string }) {
  const [unbilled, setUnbilled] = useState<'' | 'true' | 'false'>('')
  const [cursors, setCursors] = useState<string[]>([''])
  const q = useAdminServers({ unbilled, cursor: cursors[cursors.length - 1] || undefined, sort: 'id' })
  const rows = q.data?.items ?? []
  return (
    <div className="grid gap-3">
      <div className="flex items-center gap-2">
        <Label htmlFor="billing-state-filter">Show</Label>
        <NativeSelect
          id="billing-state-filter"
          className="w-48"
          value={unbilled}
          onChange={(e) => {
            setUnbilled(e.target.value as '' | 'true' | 'false')
            setCursors([''])
          }}
        >
          <option value="">All servers</option>
          <option value="true">Unbilled only</option>
          <option value="false">Billed only</option>
        </NativeSelect>
      </div>
      <AdminTable q={q} what="servers" label="Server billing state" columns={['Server', 'Owner', 'Billing', 'Price', 'Billed through', 'Last charged hour']} empty="No servers." rowCount={rows.length}>
        {rows.map((s) => (
          <TableRow key={s.id}>
            <TableCell>
              <span className="block">{s.name}</span>
              <span className="font-mono text-xs text-muted-foreground">#{s.id}</span>
            </TableCell>
            <TableCell>
              {s.owner ? (
                <Link href={paths.adminUser(s.owner.id)} className="inline-flex min-h-10 items-center underline-offset-4 hover:underline">
                  {s.owner.email || s.owner.id}
                </Link>
              ) : (
                <span className="text-muted-foreground">VirtFusion user {s.ownerVfId}</span>
              )}
            </TableCell>
            <TableCell>
              {s.unbilled ? (
                <Badge variant="destructive">{s.billing ? `unbilled (${s.billing.status})` : 'unbilled'}</Badge>
              ) : (
                <Badge variant="outline">{s.state === 'gone' ? 'billed, gone in VirtFusion' : 'billed'}</Badge>
              )}
            </TableCell>
            <TableCell>{s.billing ? `${formatMoney(s.billing.hourlyMinor, currency)}/h` : '–'}</TableCell>
            <TableCell>{s.billing ? formatDateTime(s.billing.billedThrough) : '–'}</TableCell>
            <TableCell>{formatDateTime(lastChargedHour(s)) || '–'}</TableCell>
          </TableRow>
        ))}
      </AdminTable>
      <div className="flex flex-wrap items-center gap-2">
        {q.data && <span className="text-sm text-muted-foreground">{q.data.total} servers</span>}
        {cursors.length > 1 && (
          <Button variant="outline" className="min-h-10" onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous
          </Button>
        )}
        {q.data?.nextCursor && (
          <Button variant="outline" className="min-h-10" onClick={() => setCursors((c) => [...c, q.data.nextCursor])}>
            Next
          </Button>
        )}
      </div>
    </div>
  )
}
