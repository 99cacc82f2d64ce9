import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useLocation, useSearch } from 'wouter'
import { ChevronRightIcon, CircleCheckIcon, LoaderCircleIcon, MapPinIcon, RocketIcon, WalletIcon } from 'lucide-react'
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
import { formatMemory, formatMoney, formatRate } from '@/lib/format'
import { apiFieldErrors, type FieldErrors } from '@/lib/form'
import { cn } from '@/lib/utils'
import type { Location, Package, ServerSummary, TemplateGroup } from '@/types/api'

/** Draft is the page's choices, kept for the round trip through PayPal (this tab only). */
interface Draft {
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

/** Hours in an average month (365 × 24 / 12), for the effective hourly price under the monthly cap. */
const hoursPerMonth = 730

/** The first location with stock. */
export function defaultLocation(locations: Location[]) {
  return locations.find((l) => l.available && l.freeServers > 0)
}

/** The cheapest plan on sale. */
export function defaultPackage(packages: Package[]) {
  return packages.filter((p) => p.price).sort((a, b) => a.price!.hourlyMinor - b.price!.hourlyMinor || a.id - b.id)[0]
}

/** The latest Ubuntu LTS the plan can install, else the first template that is not end of life. */
export function defaultTemplate(groups: TemplateGroup[]) {
  const all = groups.flatMap((g) => g.templates.map((t) => ({ g, t })))
  const lts = all
    .filter(({ g, t }) => /ubuntu/i.test(`${g.name} ${t.name}`) && /LTS/i.test(t.version) && !t.eol)
    .sort((a, b) => parseFloat(b.t.version) - parseFloat(a.t.version))
  return (lts[0] ?? all.find(({ t }) => !t.eol) ?? all[0])?.t
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

/** DeployRoute orders a server on one page: every choice has a default, the summary beside it says what it costs. */
export default function DeployRoute() {
  const search = useSearch()
  const [, navigate] = useLocation()
  // Back from PayPal (?topup= paid, ?topupCancelled= not): the choices made before leaving come back.
  const [back] = useState(() => {
    const q = new URLSearchParams(search)
    return { orderId: q.get('topup'), returning: q.has('topup') || q.has('topupCancelled') }
  })
  const [draft] = useState<Partial<Draft>>(() => (back.returning ? loadDraft() : {}))
  const [locationId, setLocationId] = useState<number | undefined>(draft.locationId)
  const [packageId, setPackageId] = useState<number | undefined>(draft.packageId)
  const [templateId, setTemplateId] = useState<number | undefined>(draft.templateId)
  const [hostname, setHostname] = useState(draft.hostname ?? '')
  const [name, setName] = useState(draft.name ?? '')
  const [keyIds, setKeyIds] = useState<number[] | undefined>(draft.keyIds)
  const [coupon, setCoupon] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [topupOpen, setTopupOpen] = useState(false)
  const [paymentMessage, setPaymentMessage] = useState<string>()
  const hostnameRef = useRef<HTMLInputElement>(null)
  // One key per attempt: reused only when the last try never got an answer (network error), so a retry can't double-order.
  const attemptKey = useRef<string | null>(null)

  const locations = useLocations()
  const packages = usePackages()
  const sshKeys = useSshKeys()
  const balance = useBalance()
  const checkout = useCheckout(true)
  const create = useCreateServer()

  // Defaults, each once its options arrive and only where nothing was chosen (or restored).
  const location = locations.data?.find((l) => l.id === locationId) ?? (locationId === undefined && locations.data ? defaultLocation(locations.data) : undefined)
  const pkg = packages.data?.find((p) => p.id === packageId) ?? (packageId === undefined && packages.data ? defaultPackage(packages.data) : undefined)
  const templates = usePackageTemplates(pkg?.id)
  const template = useMemo(() => {
    const groups = templates.data ?? []
    const id = templateId ?? (groups.length ? defaultTemplate(groups)?.id : undefined)
    for (const g of groups) {
      const t = g.templates.find((t) => t.id === id)
      if (t) return { group: g, template: t }
    }
  }, [templates.data, templateId])
  // Saved keys are ticked until the customer changes the selection.
  const chosenKeys = useMemo(() => keyIds ?? sshKeys.data?.map((k) => k.id) ?? [], [keyIds, sshKeys.data])

  useEffect(() => {
    const d: Draft = { locationId: location?.id, packageId: pkg?.id, templateId: template?.template.id, hostname, name, keyIds: chosenKeys }
    sessionStorage.setItem(draftKey, JSON.stringify(d))
  }, [location?.id, pkg?.id, template?.template.id, hostname, name, chosenKeys])
  useEffect(() => {
    // A cancelled payment has nothing to finish: tidy the URL at once.
    if (back.returning && !back.orderId) navigate(paths.deploy, { replace: true })
  }, [back, navigate])

  function validate() {
    const errs: FieldErrors = {}
    const h = hostnameSchema.safeParse(hostname)
    if (!h.success) errs.hostname = h.error.issues[0].message
    const n = serverNameSchema.safeParse(name || hostname.split('.')[0])
    if (!n.success && h.success) errs.name = n.error.issues[0].message
    setErrors(errs)
    if (errs.hostname) hostnameRef.current?.focus()
    return Object.keys(errs).length === 0
  }

  // What the order needs on the balance (the first hours of the plan), and what is missing.
  const price = pkg?.price
  const prepayHours = checkout.data?.orderPrepayHours
  const needMinor = price && prepayHours ? price.hourlyMinor * prepayHours : undefined
  const shortMinor = needMinor !== undefined && balance.data ? Math.max(0, needMinor - balance.data.balanceMinor) : 0
  const minTopup = checkout.data?.topupMinMinor ?? 500
  const suggestedMinor = shortMinor > 0 ? Math.max(minTopup, Math.ceil(shortMinor / 100) * 100) : Math.max(minTopup, 1000)

  function deploy() {
    if (!validate() || !location || !pkg || !template) return
    attemptKey.current ??= crypto.randomUUID()
    const input = {
      locationId: location.id,
      packageId: pkg.id,
      templateId: template.template.id,
      hostname: hostname.trim(),
      name: (name || hostname.split('.')[0]).trim(),
      sshKeyIds: chosenKeys,
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
          if (fe.hostname || fe.name || fe.coupon) setErrors(fe)
        },
      },
    )
  }

  if (create.isSuccess) return <Done server={create.data.server} rootPassword={create.data.rootPassword} />

  return (
    <div className="grid gap-6">
      <PageHeader title="Deploy a server" description="Pay by the hour from your balance. The monthly cap means you never pay more than the plan's monthly price." />
      {back.orderId && <TopupReturn orderId={back.orderId} onDone={() => navigate(paths.deploy, { replace: true })} />}

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="grid min-w-0 gap-8">
          <section aria-labelledby="deploy-location" className="grid gap-3">
            <h2 id="deploy-location" className="font-display text-lg font-semibold">
              Location
            </h2>
            {locations.isPending ? (
              <CardsSkeleton />
            ) : locations.isError ? (
              <ErrorAlert error={locations.error} title="Couldn't load locations" onRetry={() => locations.refetch()} />
            ) : (
              <RadioGroup aria-label="Location" value={location ? String(location.id) : ''} onValueChange={(v) => setLocationId(Number(v))} className="sm:grid-cols-2 lg:grid-cols-3">
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

          <section aria-labelledby="deploy-plan" className="grid gap-3">
            <h2 id="deploy-plan" className="font-display text-lg font-semibold">
              Plan
            </h2>
            {packages.isPending ? (
              <CardsSkeleton />
            ) : packages.isError ? (
              <ErrorAlert error={packages.error} title="Couldn't load plans" onRetry={() => packages.refetch()} />
            ) : (
              <RadioGroup
                aria-label="Plan"
                value={pkg ? String(pkg.id) : ''}
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
                          <span className="font-display text-xl font-semibold">{formatMoney(p.price.monthlyCapMinor, p.price.currency)}</span>
                          <span className="text-sm text-muted-foreground">/month</span>
                        </span>
                        <span className="text-xs text-muted-foreground">{formatRate(p.price.hourlyMinor, p.price.currency)}/hour</span>
                      </span>
                    ) : (
                      <Badge variant="secondary">Unavailable</Badge>
                    )}
                  </RadioCard>
                ))}
              </RadioGroup>
            )}
          </section>

          <section aria-labelledby="deploy-os" className="grid gap-3">
            <h2 id="deploy-os" className="font-display text-lg font-semibold">
              Operating system
            </h2>
            {templates.isError ? (
              <ErrorAlert error={templates.error} title="Couldn't load operating systems" onRetry={() => templates.refetch()} />
            ) : (
              <TemplatePicker groups={templates.data} loading={!pkg || templates.isPending} value={template?.template.id} onChange={setTemplateId} />
            )}
          </section>

          <section aria-labelledby="deploy-details" className="grid gap-3">
            <h2 id="deploy-details" className="font-display text-lg font-semibold">
              Details
            </h2>
            <Card>
              <CardContent className="grid gap-5 md:grid-cols-2">
                <Field label="Hostname" hint="A fully qualified name such as web-1.example.com." error={errors.hostname}>
                  {(p) => (
                    <Input
                      {...p}
                      ref={hostnameRef}
                      value={hostname}
                      onChange={(e) => setHostname(e.target.value)}
                      onBlur={() => hostname && validate()}
                      placeholder="web-1.example.com"
                      autoComplete="off"
                      spellCheck={false}
                      required
                    />
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
                    value={chosenKeys}
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
        </div>

        <Card className="lg:sticky lg:top-4" aria-labelledby="deploy-summary">
          <CardHeader>
            <CardTitle id="deploy-summary" role="heading" aria-level={2}>
              Summary
            </CardTitle>
            <CardDescription>Charged hourly from your balance, never more than the monthly price.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {price ? (
              <div className="grid gap-1">
                <p>
                  <span className="font-display text-3xl font-semibold" data-testid="cost-monthly">
                    {formatMoney(price.monthlyCapMinor, price.currency)}
                  </span>
                  <span className="text-muted-foreground">/month</span>
                </p>
                <p className="text-sm text-muted-foreground" data-testid="cost-hourly">
                  {formatRate(price.hourlyMinor, price.currency)} an hour until the monthly price is reached (about{' '}
                  {formatRate(price.monthlyCapMinor / hoursPerMonth, price.currency)} an hour over a full month)
                </p>
              </div>
            ) : (
              <Skeleton className="h-14" />
            )}
            <dl className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-x-3 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Location</dt>
              <dd className="font-medium">{location?.name ?? '—'}</dd>
              <dt className="text-muted-foreground">Plan</dt>
              <dd className="font-medium">{pkg ? `${pkg.name} · ${pkg.cpuCores} vCPU, ${formatMemory(pkg.memoryMb)}, ${pkg.storageGb} GB` : '—'}</dd>
              <dt className="text-muted-foreground">System</dt>
              <dd className="flex items-center gap-2 font-medium">
                {template ? (
                  <>
                    <OsIcon icon={template.group.icon} className="size-4" /> {template.template.name} {template.template.version}
                  </>
                ) : (
                  '—'
                )}
              </dd>
              <dt className="text-muted-foreground">Hostname</dt>
              <dd className="font-mono [overflow-wrap:anywhere]">{hostname.trim() || '—'}</dd>
              <dt className="text-muted-foreground">SSH keys</dt>
              <dd className="font-medium [overflow-wrap:anywhere]">
                {chosenKeys.length === 0 ? 'None (root password)' : sshKeys.data?.filter((k) => chosenKeys.includes(k.id)).map((k) => k.name).join(', ')}
              </dd>
              {balance.data && (
                <>
                  <dt className="text-muted-foreground">Balance</dt>
                  <dd className={cn('font-mono', balance.data.low && 'text-warning')}>{formatMoney(balance.data.balanceMinor, balance.data.currency)}</dd>
                </>
              )}
            </dl>
            {create.isError && !(isApiError(create.error) && create.error.code === 'payment_required') && (
              <ErrorAlert error={create.error} title="The server wasn't created" />
            )}
            {shortMinor > 0 && needMinor !== undefined && price && (
              <Alert variant="warning" data-testid="funds-needed">
                <WalletIcon />
                <AlertTitle>You need {formatMoney(shortMinor, price.currency)} more</AlertTitle>
                <AlertDescription>
                  <p>
                    Your balance must cover the first {prepayHours} hours of this plan ({formatMoney(needMinor, price.currency)}). Your choices are kept while you pay.
                  </p>
                  <Button className="mt-2" onClick={() => setTopupOpen(true)}>
                    <WalletIcon aria-hidden="true" /> Add funds
                  </Button>
                </AlertDescription>
              </Alert>
            )}
            <Button size="lg" onClick={deploy} disabled={create.isPending || shortMinor > 0 || !location || !pkg || !template}>
              {create.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <RocketIcon aria-hidden="true" />}
              Deploy server
            </Button>
          </CardContent>
        </Card>
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
