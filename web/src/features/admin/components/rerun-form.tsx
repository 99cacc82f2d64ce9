import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { NativeSelect } from '@/components/ui/native-select'
import { Field } from '@/components/field'
import { formatMoney } from '@/lib/format'
import { errorMessage } from '@/lib/api-client'
import { useRerunHour } from '../api/billing-runs'

/** recentHours lists the last n started hours (UTC), newest first, as ISO strings. */
export function recentHours(n: number, now = Date.now()) {
  const hour = Math.floor(now / 3_600_000) * 3_600_000
  return Array.from({ length: n }, (_, i) => new Date(hour - i * 3_600_000).toISOString().replace('.000Z', 'Z'))
}

const hourLabel = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

/** RerunForm re-runs billing up to a chosen hour, after confirmation. Nothing is charged twice. */
export function RerunForm({ currency }: { currency?: string }) {
  const hours = recentHours(48)
  const [hour, setHour] = useState(hours[1])
  const [open, setOpen] = useState(false)
  const rerun = useRerunHour()

  function submit(e: FormEvent) {
    e.preventDefault()
    rerun.mutate(hour, {
      onSuccess: (r) => {
        toast.success(`Re-run done: ${r.hoursCharged} hours on ${r.serversCharged} servers, ${formatMoney(r.chargedMinor, currency)}${r.serversFailed ? `; ${r.serversFailed} servers failed` : ''}.`)
        setOpen(false)
      },
      onError: (err) => toast.error(errorMessage(err)),
    })
  }

  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field label="Hour to re-run" className="w-full max-w-64">
        {(p) => (
          <NativeSelect {...p} value={hour} onChange={(e) => setHour(e.target.value)}>
            {hours.map((h) => (
              <option key={h} value={h}>
                {hourLabel(h)}
              </option>
            ))}
          </NativeSelect>
        )}
      </Field>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button variant="outline" className="min-h-10">
            Re-run this hour
          </Button>
        </DialogTrigger>
        <DialogContent>
          <form onSubmit={submit} aria-label="Re-run billing" className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Re-run billing up to {hourLabel(hour)}?</DialogTitle>
              <DialogDescription>
                Every active server is charged for its hours up to this one that no run has charged yet. Hours already charged are never
                charged again, so re-running is safe.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button type="button" variant="outline" className="min-h-10" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" className="min-h-10" disabled={rerun.isPending}>
                {rerun.isPending ? 'Re-running…' : 'Re-run'}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  )
}
