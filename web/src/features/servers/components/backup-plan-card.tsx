import { useState } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { RadioCard, RadioGroup } from '@/components/ui/radio-group'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { formatMoney } from '@/lib/format'
import type { ServerDetail } from '@/types/api'
import { useAddons, useSetBackupPlan } from '../api/addons'

/** BackupPlanCard picks or removes the server's backup plan, an hourly add-on. */
export function BackupPlanCard({ server }: { server: ServerDetail }) {
  const q = useAddons(server.id)
  const save = useSetBackupPlan(server.id)
  const [picked, setPicked] = useState<string>()
  return (
    <Card>
      <CardHeader>
        <CardTitle>Backup plan</CardTitle>
        <CardDescription>Charged hourly with the server, as its own line on your statement.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {q.isPending ? (
          <Skeleton className="h-20" aria-label="Loading backup plans" />
        ) : q.isError ? (
          <ErrorAlert error={q.error} title="Couldn't load backup plans" onRetry={() => q.refetch()} />
        ) : (
          <>
            <RadioGroup
              aria-label="Backup plan"
              value={picked ?? String(q.data.backupPlanId)}
              onValueChange={(v) => {
                setPicked(v)
                save.reset()
              }}
              className="sm:grid-cols-2 lg:grid-cols-3"
            >
              <RadioCard value="0" aria-label="No backups">
                <span className="font-medium">No backups</span>
                <span className="text-sm text-muted-foreground">{formatMoney(0, q.data.currency)}/h</span>
              </RadioCard>
              {q.data.backupPlans.map((b) => (
                <RadioCard key={b.planId} value={String(b.planId)} aria-label={b.name}>
                  <span className="font-medium">{b.name}</span>
                  <span className="text-sm text-muted-foreground">{formatMoney(b.hourlyMinor, q.data.currency)}/h</span>
                </RadioCard>
              ))}
            </RadioGroup>
            {save.isError && <ErrorAlert error={save.error} title="The backup plan was not changed" />}
            <Button
              className="justify-self-start"
              disabled={save.isPending || picked === undefined || Number(picked) === q.data.backupPlanId}
              onClick={() =>
                save.mutate(Number(picked), {
                  onSuccess: () => {
                    toast.success(Number(picked) === 0 ? 'Backups turned off' : 'Backup plan saved')
                    setPicked(undefined)
                  },
                })
              }
            >
              {save.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
              Save backup plan
            </Button>
          </>
        )}
      </CardContent>
    </Card>
  )
}
