import { useEffect, useRef, useState, type FormEvent } from 'react'
import { LoaderCircleIcon, RefreshCwIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { ErrorAlert } from '@/components/error-alert'
import { browser } from '@/lib/browser'
import { useAutoTopup, useConfirmVault, useRemoveAutoTopup, useSaveAutoTopup, useStartVault } from '../api/auto-topup'
import { dollars } from '../api/create-topup'

const toMinor = (v: string) => Math.round(Number(v) * 100)

/**
 * AutoTopupCard saves a PayPal account (PayPal approval, then back to /billing with
 * approval_token_id) and the rule: top up `amount` when the balance falls below `threshold`.
 */
export function AutoTopupCard({ approvedToken, onConfirmed }: { approvedToken?: string | null; onConfirmed?: () => void }) {
  const auto = useAutoTopup()
  const start = useStartVault()
  const confirm = useConfirmVault()
  const save = useSaveAutoTopup()
  const remove = useRemoveAutoTopup()
  const [threshold, setThreshold] = useState('5')
  const [amount, setAmount] = useState('20')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const confirmed = useRef(false)

  useEffect(() => {
    if (auto.data?.amountMinor) {
      setThreshold(dollars(auto.data.thresholdMinor))
      setAmount(dollars(auto.data.amountMinor))
    }
  }, [auto.data?.amountMinor, auto.data?.thresholdMinor])

  useEffect(() => {
    if (!approvedToken || confirmed.current) return
    confirmed.current = true
    confirm.mutate(approvedToken, {
      onSuccess: () => {
        toast.success('PayPal account saved for auto top-up.')
        onConfirmed?.()
      },
    })
  }, [approvedToken, confirm, onConfirmed])

  function submit(e: FormEvent, enabled: boolean) {
    e.preventDefault()
    const bad: Record<string, string> = {}
    if (!/^\d+(\.\d{1,2})?$/.test(threshold.trim())) bad.thresholdMinor = 'Enter an amount like 5 or 5.50.'
    if (!/^\d+(\.\d{1,2})?$/.test(amount.trim())) bad.amountMinor = 'Enter an amount like 20.'
    setErrors(bad)
    if (Object.keys(bad).length) return
    save.mutate(
      { enabled, thresholdMinor: toMinor(threshold), amountMinor: toMinor(amount) },
      {
        onSuccess: () => toast.success(enabled ? 'Auto top-up is on.' : 'Auto top-up is off.'),
        onError: (err) => setErrors((err as { fields?: Record<string, string> }).fields ?? {}),
      },
    )
  }

  const a = auto.data
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <RefreshCwIcon className="size-4 text-primary" aria-hidden="true" /> Auto top-up
        </CardTitle>
        <CardDescription>Top up from your saved PayPal account when your balance runs low, at most once a day.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {auto.isError && <ErrorAlert error={auto.error} title="Couldn't load auto top-up" />}
        {confirm.isError && <ErrorAlert error={confirm.error} title="Couldn't save the PayPal account" />}
        {(start.isError || remove.isError) && <ErrorAlert error={start.error ?? remove.error} title="That didn't work" />}
        {a && !a.available && <p className="text-sm text-muted-foreground">Auto top-up is not available.</p>}
        {a?.available && !a.saved && (
          <Button
            className="min-h-10 w-full sm:w-auto"
            disabled={start.isPending || confirm.isPending}
            onClick={() => start.mutate(undefined, { onSuccess: (v) => browser.assign(v.approveUrl) })}
          >
            {(start.isPending || confirm.isPending) && <LoaderCircleIcon className="animate-spin" aria-hidden="true" />}
            Save a PayPal account
          </Button>
        )}
        {a?.saved && (
          <form className="grid gap-4" noValidate onSubmit={(e) => submit(e, true)}>
            <p className="text-sm">
              PayPal account: <span className="font-medium">{a.email || 'saved'}</span>
              {a.enabled ? <span className="ml-2 text-emerald-400">· on</span> : <span className="ml-2 text-muted-foreground">· off</span>}
              {a.lastStatus && <span className="ml-2 text-muted-foreground">· last run {a.lastStatus}</span>}
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="grid gap-2">
                <Label htmlFor="auto-threshold">When the balance is below (USD)</Label>
                <Input id="auto-threshold" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)}
                  aria-invalid={errors.thresholdMinor ? true : undefined} aria-describedby="auto-threshold-help" />
                <p id="auto-threshold-help" className="text-xs text-destructive">{errors.thresholdMinor ?? '\u00a0'}</p>
              </div>
              <div className="grid gap-2">
                <Label htmlFor="auto-amount">Top up by (USD)</Label>
                <Input id="auto-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)}
                  aria-invalid={errors.amountMinor ? true : undefined} aria-describedby="auto-amount-help" />
                <p id="auto-amount-help" className="text-xs text-muted-foreground">
                  {errors.amountMinor ?? `Between $${dollars(a.topupMinMinor)} and $${dollars(a.topupMaxMinor)}.`}
                </p>
              </div>
            </div>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" className="min-h-10" disabled={save.isPending}>
                {a.enabled ? 'Save auto top-up' : 'Turn on auto top-up'}
              </Button>
              {a.enabled && (
                <Button variant="outline" className="min-h-10" disabled={save.isPending} onClick={(e) => submit(e, false)}>
                  Turn off
                </Button>
              )}
              <Button variant="outline" className="min-h-10" disabled={remove.isPending}
                onClick={() => remove.mutate(undefined, { onSuccess: () => toast.success('PayPal account removed.') })}>
                Remove PayPal account
              </Button>
            </div>
          </form>
        )}
      </CardContent>
    </Card>
  )
}
