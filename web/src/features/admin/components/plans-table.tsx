import { toast } from 'sonner'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { Skeleton } from '@/components/ui/skeleton'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { errorMessage } from '@/lib/api-client'
import { formatMoney } from '@/lib/format'
import type { AdminPackage } from '@/types/api'
import { usePlans, useRemovePlanPrice, useSetPlanHidden } from '../api/plans'

function impact(p: AdminPackage) {
  return `${p.activeServers} running server${p.activeServers === 1 ? '' : 's'} (${p.customers} customer${p.customers === 1 ? '' : 's'}) on this plan keep the price they were ordered at.`
}

/** PlansTable shows every VirtFusion package, priced or not, with the servers on it; hides plans and takes them off sale after confirmation. */
export function PlansTable() {
  const q = usePlans()
  const hide = useSetPlanHidden()
  const remove = useRemovePlanPrice()
  if (q.isPending) return <Skeleton className="h-40 w-full" />
  if (q.isError) return <ErrorAlert error={q.error} title="Couldn't load plans" onRetry={() => q.refetch()} />
  return (
    <div className="overflow-x-auto">
      <Table aria-label="Plans">
        <TableHeader>
          <TableRow>
            <TableHead>Plan</TableHead>
            <TableHead>Price</TableHead>
            <TableHead>Servers</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {q.data.packages.map((p) => (
            <TableRow key={p.id}>
              <TableCell>
                {p.name}
                {!p.inVirtFusion && <span className="block text-xs text-muted-foreground">not in VirtFusion</span>}
              </TableCell>
              <TableCell>
                {p.price ? `${formatMoney(p.price.hourlyMinor, p.price.currency || 'USD')}/h` : <Badge variant="outline">No price</Badge>}
                {p.price?.hidden && (
                  <Badge variant="outline" className="ml-2">
                    Hidden
                  </Badge>
                )}
              </TableCell>
              <TableCell>{p.activeServers}</TableCell>
              <TableCell className="flex flex-wrap gap-2">
                {p.price && (
                  <Button
                    variant="outline"
                    size="sm"
                    className="min-h-10"
                    aria-label={`${p.price.hidden ? 'Offer' : 'Hide'} ${p.name}`}
                    disabled={hide.isPending}
                    onClick={() =>
                      hide.mutate(
                        { id: p.id, hidden: !p.price?.hidden },
                        { onSuccess: () => toast.success(p.price?.hidden ? `${p.name} is offered again` : `${p.name} is hidden from ordering`), onError: (e) => toast.error(errorMessage(e)) },
                      )
                    }
                  >
                    {p.price.hidden ? 'Offer' : 'Hide'}
                  </Button>
                )}
                {p.price && (
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" className="min-h-10" aria-label={`Remove price of ${p.name}`}>
                        Remove price
                      </Button>
                    }
                    title={`Take ${p.name} off sale?`}
                    description={`New orders of this plan will be refused. ${impact(p)}`}
                    confirmLabel="Remove price"
                    destructive
                    onConfirm={() => remove.mutate(p.id, { onSuccess: () => toast.success(`${p.name} is off sale`), onError: (e) => toast.error(errorMessage(e)) })}
                  />
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  )
}
