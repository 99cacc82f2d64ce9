import type { ReactNode } from 'react'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { ErrorAlert } from '@/components/error-alert'

/**
 * AdminTable is the console's list table: a skeleton while loading, the error with a retry, then the
 * table with its header and an empty row. A column titled '' is the actions column (named for screen
 * readers only).
 */
export function AdminTable(props: {
  q: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown }
  what: string
  label: string
  columns: string[]
  empty: string
  rowCount: number
  children: ReactNode
}) {
  const { q } = props
  if (q.isPending) return <Skeleton className="h-40 w-full" />
  if (q.isError) return <ErrorAlert error={q.error} title={`Couldn't load ${props.what}`} onRetry={() => q.refetch()} />
  return (
    <div className="overflow-x-auto">
      <Table aria-label={props.label}>
        <TableHeader>
          <TableRow>
            {props.columns.map((c) => (
              <TableHead key={c || 'actions'}>{c || <span className="sr-only">Actions</span>}</TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rowCount === 0 && (
            <TableRow>
              <TableCell colSpan={props.columns.length} className="text-muted-foreground">
                {props.empty}
              </TableCell>
            </TableRow>
          )}
          {props.children}
        </TableBody>
      </Table>
    </div>
  )
}
