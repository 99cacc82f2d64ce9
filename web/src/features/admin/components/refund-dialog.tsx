import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Field } from '@/components/field'
import { formatMoney } from '@/lib/format'
import { apiFieldErrors, type FieldErrors } from '@/lib/form'
import { errorMessage, isApiError } from '@/lib/api-client'
import type { AdminTopup } from '@/types/api'
import { useRefundTopup } from '../api/payments'

/** RefundDialog refunds a credited top-up through PayPal, in full or in part, after confirmation. */
export function RefundDialog({ topup }: { topup: AdminTopup }) {
  const left = topup.creditedMinor - topup.debitedMinor
  const [open, setOpen] = useState(false)
  const [amount, setAmount] = useState((left / 100).toFixed(2))
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  // One key per dialog opening: a double click or a retry is the same refund.
  const [key, setKey] = useState(() => crypto.randomUUID())
  const refund = useRefundTopup()

  function submit(e: FormEvent) {
    e.preventDefault()
    const minor = Math.round(Number(amount) * 100)
    if (!Number.isFinite(minor) || minor <= 0 || minor > left) {
      return setErrors({ amountMinor: `Enter between 0.01 and ${(left / 100).toFixed(2)}.` })
    }
    refund.mutate(
      { id: topup.id, amountMinor: minor === left ? 0 : minor, reason, key },
      {
        onSuccess: (r) => {
          toast.success(`Refunded ${formatMoney(r.amountMinor, topup.currency)} (PayPal ${r.refundId})`)
          setOpen(false)
        },
        onError: (err) => (isApiError(err) && Object.keys(err.fields).length ? setErrors(apiFieldErrors(err)) : toast.error(errorMessage(err))),
      },
    )
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (o) setKey(crypto.randomUUID())
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" className="min-h-10" disabled={left <= 0 || topup.status !== 'credited'}>
          Refund
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} noValidate aria-label="Refund" className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Refund top-up</DialogTitle>
            <DialogDescription>
              PayPal returns the money to the payer and the customer's balance is debited by the same amount. {formatMoney(left, topup.currency)} can be
              refunded.
            </DialogDescription>
          </DialogHeader>
          <Field label="Amount" error={errors.amountMinor}>
            {(p) => <Input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
          </Field>
          <Field label="Reason" error={errors.reason}>
            {(p) => <Input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <DialogFooter>
            <Button type="submit" variant="destructive" disabled={refund.isPending} className="min-h-10">
              Refund through PayPal
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
