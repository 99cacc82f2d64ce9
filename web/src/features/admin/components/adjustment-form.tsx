import { useState, type FormEvent } from 'react'
import { LoaderCircleIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { formatMoney } from '@/lib/format'
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '@/lib/form'
import { adjustmentSchema, toMinor, useCreateAdjustment } from '../api/create-adjustment'

/** AdjustmentForm credits (+) or debits (-) a customer's balance with a reason for the ledger. */
export function AdjustmentForm({ userId, userName, onDone }: { userId: string; userName: string; onDone?: () => void }) {
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [pending, setPending] = useState<{ amountMinor: number; reason: string } | null>(null)
  const adjust = useCreateAdjustment(userId)

  function submit(e: FormEvent) {
    e.preventDefault()
    const parsed = adjustmentSchema.safeParse({ amount, reason })
    if (!parsed.success) return setErrors(zodFieldErrors(parsed.error))
    setErrors({})
    setPending({ amountMinor: toMinor(parsed.data.amount), reason: parsed.data.reason })
  }

  function apply() {
    if (!pending) return
    adjust.mutate(pending, {
      onSuccess: (r) => {
        toast.success(`Balance is now ${formatMoney(r.balanceMinor)}`)
        setAmount('')
        setReason('')
        onDone?.()
      },
      onError: (err) => setErrors(apiFieldErrors(err)),
    })
    setPending(null)
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Adjust balance</CardTitle>
        <CardDescription>Positive amounts credit the account; negative amounts debit it.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={submit} noValidate aria-label="Adjust balance">
          {adjust.isError && <ErrorAlert error={adjust.error} title="The adjustment failed" />}
          <Field label="Amount (USD)" hint="For example 10 or -5.50" error={errors.amount}>
            {(p) => <Input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
          </Field>
          <Field label="Reason" error={errors.reason}>
            {(p) => <Input {...p} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />}
          </Field>
          <Button type="submit" className="justify-self-start" disabled={adjust.isPending}>
            {adjust.isPending && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
            Apply adjustment
          </Button>
        </form>
      </CardContent>
      <AlertDialog open={pending !== null} onOpenChange={(o) => !o && setPending(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>
              {pending && pending.amountMinor > 0 ? 'Credit' : 'Debit'} {pending && formatMoney(Math.abs(pending.amountMinor))}{' '}
              {pending && pending.amountMinor > 0 ? 'to' : 'from'} {userName}?
            </AlertDialogTitle>
            <AlertDialogDescription>Reason: “{pending?.reason}”. The entry is permanent in the ledger.</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction destructive={(pending?.amountMinor ?? 0) < 0} onClick={apply}>
              Confirm adjustment
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  )
}
