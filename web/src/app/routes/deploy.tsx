import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useLocation, useSearch } from 'wouter'
import { CheckIcon, ChevronLeftIcon, ChevronRightIcon, CircleCheckIcon, LoaderCircleIcon, MapPinIcon, RocketIcon, WalletIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { RadioCard, RadioGroup } from '@/components/ui/radio-group'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { Field } from '@/components/field'
import { OsIcon } from '@/components/os-icon'
import { PageHeader } from '@/components/page-header'
import { SecretReveal } from '@/components/secret-reveal'
import { SshKeyPicker } from '@/components/ssh-key-picker'
import { TemplatePicker } from '@/components/template-picker'
import { paths } from '@/config/paths'
import { useSshKeys } from '@/features/account/api/get-ssh-keys'
import { dollars } from '@/features/billing/api/create-topup'
import { useBalance } from '@/features/billing/api/get-balance'
import { useCheckout } from '@/features/billing/api/get-checkout'
import { TopUpDialog } from '@/features/billing/components/topup-dialog'
import { TopupReturn } from '@/features/billing/components/topup-return'
import { useLocations } from '@/features/catalog/api/get-locations'
import { usePackageTemplates } from '@/features/catalog/api/get-package-templates'
import { usePackages } from '@/features/catalog/api/get-packages'
import { hostnameSchema, useCreateServer } from '@/features/servers/api/create-server'
import { serverNameSchema } from '@/features/servers/api/update-server'
import { isApiError } from '@/lib/api-client'
import { formatMemory, formatMoney } from '@/lib/format'
import { apiFieldErrors, type FieldErrors } from '@/lib/form'
import { cn } from '@/lib/utils'
import type { ServerSummary } from '@/types/api'

const steps = ['Location', 'Plan', 'Operating system', 'Details', 'Review'] as const

/** Draft is the wizard's choices, kept for the round trip through PayPal (this tab only). */
interface Draft {
  step: number
  locationId?: number
  packageId?: number
  templateId?: number
  hostname: string
  name: string
  keyIds: number[]
}
const draftKey = 'vfpanel.deploy-draft'

function loadDraft(): Partial<Draft> {
  try {
    return (JSON.parse(sessionStorage.getItem(draftKey) ?? '{}') as Partial<Draft>) ?? {}
  } catch {
    return {}
  }
}

function Stepper({ current, onJump }: { current: number; onJump: (i: number) => void }) {
  return (
    <nav aria-label="Deploy steps">
      <ol className="flex flex-wrap items-center gap-2">
        {steps.map((s, i) => {
          const done = i < current
          return (
            <li key={s} className="flex items-center gap-2">
              <button
                type="button"
                disabled={i > current}
                onClick={() => onJump(i)}
                aria-current={i === current ? 'step' : undefined}
                className={cn(
                  'flex items-center gap-2 rounded-full border px-3 py-1 text-xs font-medium max-sm:min-h-10 transition-colors outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-default',
                  i === current && 'border-primary bg-primary/15 text-foreground',
                  done && 'cursor-pointer text-foreground hover:bg-accent',
                  i > current && 'text-muted-foreground',
                )}
              >
                <span
                  className={cn(
                    'grid size-5 place-items-center rounded-full text-[10px]',
                    done ? 'bg-success text-white' : i === current ? 'bg-primary text-primary-foreground' : 'bg-muted',
                  )}
                  aria-hidden="true"
                >
                  {done ? <CheckIcon className="size-3" /> : i + 1}
                </span>
                <span className={cn(i !== current && 'hidden sm:inline')}>{s}</span>
                {i !== current && <span className="sr-only sm:hidden">{s}</span>}
              </button>
              {i < steps.length - 1 && <span className="h-px w-4 bg-border" aria-hidden="true" />}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}

function CardsSkeleton() {
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true" aria-label="Loading options">
      {Array.from({ length: 3 }, (_, i) => (
        <Skeleton key={i} className="h-28" />
      ))}
    </div>
  )
}

function Done({ server, rootPassword }: { server: ServerSummary; rootPassword: string }) {
  return (
    <Card className="mx-auto w-full max-w-2xl">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-xl">
          <CircleCheckIcon className="size-6 text-success" aria-hidden="true" /> {server.name} is on its way
        </CardTitle>
        <CardDescription>The server is being built; it's usually ready in a minute or two.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <SecretReveal value={rootPassword} />
        <Button asChild size="lg" className="justify-self-start">
          <Link href={paths.server(server.id)}>
            Go to {server.name} <ChevronRightIcon aria-hidden="true" />
          </Link>
        </Button>
      </CardContent>
    </Card>
  )
}

/** DeployRoute is the order wizard: location → plan → OS → details → review. */
export default function DeployRoute() {
  const search = useSearch()
  const [, navigate] = useLocation()
  // Back from PayPal (?topup= paid, ?topupCancelled= not): the choices made before leaving come back.
  const [back] = useState(() => {
    const q = new URLSearchParams(search)
    return { orderId: q.get('topup'), returning: q.has('topup') || q.has('topupCancelled') }
  })
  const [draft] = useState<Partial<Draft>>(() => (back.returning ? loadDraft() : {}))
  const [step, setStep] = useState(draft.step ?? 0)
  const [locationId, setLocationId] = useState<number | undefined>(draft.locationId)
  const [packageId, setPackageId] = useState<number | undefined>(draft.packageId)
  const [templateId, setTemplateId] = useState<number | undefined>(draft.templateId)
  const [hostname, setHostname] = useState(draft.hostname ?? '')
  const [name, setName] = useState(draft.name ?? '')
  const [keyIds, setKeyIds] = useState<number[]>(draft.keyIds ?? [])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [topupOpen, setTopupOpen] = useState(false)
  const [paymentMessage, setPaymentMessage] = useState<string>()
  // One key per attempt: reused only when the last try never got an answer (network error), so a retry can't double-order.
  const attemptKey = useRef<string | null>(null)

  useEffect(() => {
    const d: Draft = { step, locationId, packageId, templateId, hostname, name, keyIds }
    sessionStorage.setItem(draftKey, JSON.stringify(d))
  }, [step, locationId, packageId, templateId, hostname, name, keyIds])
  useEffect(() => {
    // A cancelled payment has nothing to finish: tidy the URL at once.
    if (back.returning && !back.orderId) navigate(paths.deploy, { replace: true })
  }, [back, navigate])

  const locations = useLocations()
  const packages = usePackages()
  const templates = usePackageTemplates(packageId)
  const sshKeys = useSshKeys()
  const balance = useBalance()
  const checkout = useCheckout(step === steps.length - 1)
  const create = useCreateServer()
  const [coupon, setCoupon] = useState('')

  const location = locations.data?.find((l) => l.id === locationId)
  const pkg = packages.data?.find((p) => p.id === packageId)
  const template = useMemo(() => {
    for (const g of templates.data ?? []) {
      const t = g.templates.find((t) => t.id === templateId)
      if (t) return { group: g, template: t }
    }
  }, [templates.data, templateId])

  function validateDetails() {
    const errs: FieldErrors = {}
    const h = hostnameSchema.safeParse(hostname)
    if (!h.success) errs.hostname = h.error.issues[0].message
    const n = serverNameSchema.safeParse(name || hostname.split('.')[0])
    if (!n.success) errs.name = n.error.issues[0].message
    setErrors(errs)
    return Object.keys(errs).length === 0
  }

  // What the order needs on the balance (the first hours of the plan), and what is missing.
  const prepayHours = checkout.data?.orderPrepayHours
  const needMinor = pkg?.price && prepayHours ? pkg.price.hourlyMinor * prepayHours : undefined
  const shortMinor = needMinor !== undefined && balance.data ? Math.max(0, needMinor - balance.data.balanceMinor) : 0
  const minTopup = checkout.data?.topupMinMinor ?? 500
  const suggestedMinor = shortMinor > 0 ? Math.max(minTopup, Math.ceil(shortMinor / 100) * 100) : Math.max(minTopup, 1000)

  const canNext = [Boolean(location), Boolean(pkg?.price), Boolean(template), true][step] ?? false

  function next() {
    if (step === 3 && !validateDetails()) return
    setStep((s) => Math.min(s + 1, steps.length - 1))
  }

  function deploy() {
    if (!location || !pkg || !template) return
    attemptKey.current ??= crypto.randomUUID()
    const input = {
      locationId: location.id,
      packageId: pkg.id,
      templateId: template.template.id,
      hostname: hostname.trim(),
      name: (name || hostname.split('.')[0]).trim(),
      sshKeyIds: keyIds,
      ...(coupon.trim() ? { coupon: coupon.trim() } : {}),
    }
    create.mutate(
      { input, idempotencyKey: attemptKey.current },
      {
        onSuccess: () => {
          attemptKey.current = null
          sessionStorage.removeItem(draftKey)
        },
        onError: (err) => {
          if (!isApiError(err) || err.status !== 0) attemptKey.current = null
          if (isApiError(err) && err.code === 'payment_required') {
            // Said once, in the dialog that fixes it.
            setPaymentMessage(err.message)
            setTopupOpen(true)
            create.reset()
          }
          const fe = apiFieldErrors(err)
          if (fe.hostname || fe.name || fe.coupon) {
            setErrors(fe)
            setStep(3)
          }
        },
      },
    )
  }

  if (create.isSuccess) return <Done server={create.data.server} rootPassword={create.data.rootPassword} />

  return (
    <div className="grid gap-6">
      <PageHeader title="Deploy a server" description="Pay by the hour from your balance. The monthly cap means you never pay more than the plan's monthly price." />
      <Stepper current={step} onJump={setStep} />
      {back.orderId && (
        <TopupReturn
          orderId={back.orderId}
          onDone={() => {
            setStep(steps.length - 1)
            navigate(paths.deploy, { replace: true })
          }}
        />
      )}

      {step === 0 && (
        <section aria-labelledby="step-location" className="grid gap-4">
          <h2 id="step-location" className="font-display text-lg font-semibold">
            Choose a location
          </h2>
          {locations.isPending ? (
            <CardsSkeleton />
          ) : locations.isError ? (
            <ErrorAlert error={locations.error} title="Couldn't load locations" onRetry={() => locations.refetch()} />
          ) : (
            <RadioGroup aria-label="Location" value={locationId ? String(locationId) : ''} onValueChange={(v) => setLocationId(Number(v))} className="sm:grid-cols-2 lg:grid-cols-3">
              {locations.data.map((l) => {
                const soldOut = !l.available || l.freeServers <= 0
                return (
                  <RadioCard key={l.id} value={String(l.id)} disabled={soldOut} aria-label={l.name}>
                    <span className="flex items-center gap-2 font-medium">
                      <MapPinIcon className="size-4 text-primary" aria-hidden="true" /> {l.name}
                    </span>
                    <span className="text-sm text-muted-foreground">{l.description}</span>
                    <Badge variant={soldOut ? 'destructive' : l.freeServers < 5 ? 'warning' : 'success'} className="mt-1">
                      {soldOut ? 'Sold out' : l.freeServers < 5 ? `Only ${l.freeServers} left` : 'In stock'}
                    </Badge>
                  </RadioCard>
                )
              })}
            </RadioGroup>
          )}
        </section>
      )}

      {step === 1 && (
        <section aria-labelledby="step-plan" className="grid gap-4">
          <h2 id="step-plan" className="font-display text-lg font-semibold">
            Choose a plan
          </h2>
          {packages.isPending ? (
            <CardsSkeleton />
          ) : packages.isError ? (
            <ErrorAlert error={packages.error} title="Couldn't load plans" onRetry={() => packages.refetch()} />
          ) : (
            <RadioGroup
              aria-label="Plan"
              value={packageId ? String(packageId) : ''}
              onValueChange={(v) => {
                setPackageId(Number(v))
                setTemplateId(undefined)
              }}
              className="sm:grid-cols-2 lg:grid-cols-3"
            >
              {packages.data.map((p) => (
                <RadioCard key={p.id} value={String(p.id)} disabled={!p.price} aria-label={p.name} className="gap-3">
                  <span className="font-display text-lg font-semibold">{p.name}</span>
                  <span className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm text-muted-foreground">
                    <span>{p.cpuCores} vCPU</span>
                    <span>{formatMemory(p.memoryMb)} RAM</span>
                    <span>{p.storageGb} GB SSD</span>
                    <span>{p.trafficGb >= 1000 ? `${p.trafficGb / 1000} TB` : `${p.trafficGb} GB`} traffic</span>
                  </span>
                  {p.price ? (
                    <span className="grid">
                      <span>
                        <span className="font-display text-xl font-semibold">{formatMoney(p.price.hourlyMinor, p.price.currency)}</span>
                        <span className="text-sm text-muted-foreground">/hour</span>
                      </span>
                      <span className="text-xs text-muted-foreground">max {formatMoney(p.price.monthlyCapMinor, p.price.currency)}/month</span>
                    </span>
                  ) : (
                    <Badge variant="secondary">Unavailable</Badge>
                  )}
                </RadioCard>
              ))}
            </RadioGroup>
          )}
        </section>
      )}

      {step === 2 && (
        <section aria-labelledby="step-os" className="grid gap-4">
          <h2 id="step-os" className="font-display text-lg font-semibold">
            Choose an operating system
          </h2>
          {templates.isError ? (
            <ErrorAlert error={templates.error} title="Couldn't load operating systems" onRetry={() => templates.refetch()} />
          ) : (
            <TemplatePicker groups={templates.data} loading={templates.isPending} value={templateId} onChange={setTemplateId} />
          )}
        </section>
      )}

      {step === 3 && (
        <section aria-labelledby="step-details" className="grid gap-4">
          <h2 id="step-details" className="font-display text-lg font-semibold">
            Server details
          </h2>
          <Card>
            <CardContent className="grid gap-5 md:grid-cols-2">
              <Field label="Hostname" hint="A fully qualified name such as web-1.example.com." error={errors.hostname}>
                {(p) => (
                  <Input {...p} value={hostname} onChange={(e) => setHostname(e.target.value)} placeholder="web-1.example.com" autoComplete="off" spellCheck={false} autoFocus />
                )}
              </Field>
              <Field label="Name" hint="Shown in the panel. Defaults to the first part of the hostname." error={errors.name}>
                {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder={hostname.split('.')[0] || 'web-1'} maxLength={64} />}
              </Field>
              <Field label="Promo code (optional)" hint="Credited once the server is built." error={errors.coupon}>
                {(p) => <Input {...p} value={coupon} onChange={(e) => setCoupon(e.target.value)} autoComplete="off" className="uppercase" maxLength={32} />}
              </Field>
              <div className="md:col-span-2">
                <SshKeyPicker
                  keys={sshKeys.data}
                  loading={sshKeys.isPending}
                  value={keyIds}
                  onChange={setKeyIds}
                  emptyHint={
                    <>
                      No SSH keys saved.{' '}
                      <Link href="/account/ssh-keys" className="text-primary underline-offset-4 hover:underline">
                        Add one
                      </Link>{' '}
                      or sign in with the root password.
                    </>
                  }
                />
              </div>
            </CardContent>
          </Card>
        </section>
      )}

      {step === 4 && location && pkg?.price && template && (
        <section aria-labelledby="step-review" className="grid gap-4 lg:grid-cols-[1.4fr_1fr]">
          <Card>
            <CardHeader>
              <CardTitle id="step-review">Review your server</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
                <dt className="text-muted-foreground">Location</dt>
                <dd className="font-medium">{location.name}</dd>
                <dt className="text-muted-foreground">Plan</dt>
                <dd className="font-medium">
                  {pkg.name} · {pkg.cpuCores} vCPU, {formatMemory(pkg.memoryMb)}, {pkg.storageGb} GB
                </dd>
                <dt className="text-muted-foreground">Operating system</dt>
                <dd className="flex items-center gap-2 font-medium">
                  <OsIcon icon={template.group.icon} className="size-4" /> {template.template.name} {template.template.version}
                </dd>
                <dt className="text-muted-foreground">Hostname</dt>
                <dd className="font-mono">{hostname}</dd>
                <dt className="text-muted-foreground">Name</dt>
                <dd className="font-medium">{name || hostname.split('.')[0]}</dd>
                <dt className="text-muted-foreground">SSH keys</dt>
                <dd className="font-medium">
                  {keyIds.length === 0 ? 'None (root password only)' : sshKeys.data?.filter((k) => keyIds.includes(k.id)).map((k) => k.name).join(', ')}
                </dd>
              </dl>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Cost</CardTitle>
              <CardDescription>Charged hourly from your balance.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <div className="grid gap-2 text-sm">
                <div className="flex justify-between">
                  <span className="text-muted-foreground">Per hour</span>
                  <span className="font-mono font-medium" data-testid="cost-hourly">
                    {formatMoney(pkg.price.hourlyMinor, pkg.price.currency)}
                  </span>
                </div>
                <div className="flex justify-between">
                  <span className="text-muted-foreground">Per day</span>
                  <span className="font-mono">{formatMoney(Math.min(pkg.price.hourlyMinor * 24, pkg.price.monthlyCapMinor), pkg.price.currency)}</span>
                </div>
                <div className="flex justify-between border-t pt-2">
                  <span className="text-muted-foreground">Monthly maximum</span>
                  <span className="font-mono font-semibold">{formatMoney(pkg.price.monthlyCapMinor, pkg.price.currency)}</span>
                </div>
                {balance.data && (
                  <div className="flex justify-between">
                    <span className="text-muted-foreground">Your balance</span>
                    <span className={cn('font-mono', balance.data.low && 'text-warning')}>{formatMoney(balance.data.balanceMinor, balance.data.currency)}</span>
                  </div>
                )}
              </div>
              {create.isError && !(isApiError(create.error) && create.error.code === 'payment_required') && (
                <ErrorAlert error={create.error} title="The server wasn't created" />
              )}
              {shortMinor > 0 && needMinor !== undefined && (
                <Alert variant="warning" data-testid="funds-needed">
                  <WalletIcon />
                  <AlertTitle>You need {formatMoney(shortMinor, pkg.price.currency)} more</AlertTitle>
                  <AlertDescription>
                    <p>
                      Your balance must cover the first {prepayHours} hours of this plan ({formatMoney(needMinor, pkg.price.currency)}). Your choices are kept
                      while you pay.
                    </p>
                    <Button className="mt-2" onClick={() => setTopupOpen(true)}>
                      <WalletIcon aria-hidden="true" /> Add funds
                    </Button>
                  </AlertDescription>
                </Alert>
              )}
              <Button size="lg" onClick={deploy} disabled={create.isPending || shortMinor > 0}>
                {create.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <RocketIcon aria-hidden="true" />}
                Deploy server
              </Button>
            </CardContent>
          </Card>
        </section>
      )}

      <div className="flex items-center justify-between gap-3">
        <Button variant="outline" onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0}>
          <ChevronLeftIcon aria-hidden="true" /> Back
        </Button>
        {step < steps.length - 1 && (
          <Button onClick={next} disabled={!canNext}>
            Continue <ChevronRightIcon aria-hidden="true" />
          </Button>
        )}
      </div>

      <TopUpDialog
        open={topupOpen}
        onOpenChange={(o) => {
          setTopupOpen(o)
          if (!o) setPaymentMessage(undefined)
        }}
        reason={paymentMessage ?? (shortMinor > 0 ? `You need ${formatMoney(shortMinor)} more to deploy this server. You'll come back here to finish.` : undefined)}
        suggestedAmount={dollars(suggestedMinor)}
        returnTo={paths.deploy}
      />
    </div>
  )
}
