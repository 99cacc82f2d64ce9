import { useEffect, useState } from 'react'
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { ActivityIcon } from 'lucide-react'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Progress } from '@/components/ui/progress'
import { Skeleton } from '@/components/ui/skeleton'
import { ErrorAlert } from '@/components/error-alert'
import { timing } from '@/config/timing'
import { formatBytes, formatDate, formatGb } from '@/lib/format'
import type { MetricPoint, Metrics, MetricsRange, ServerDetail } from '@/types/api'
import { useMetrics } from '../api/get-metrics'
import { useMetricsHistory } from '../api/get-metrics-history'
import { useTraffic } from '../api/get-traffic'
import { projectTraffic } from '../lib/traffic-projection'
import { AlertsCard } from './alerts-card'

interface Point {
  t: number
  label: string
  cpu: number
  mem: number
  read: number
  write: number
}

function timeLabel(t: number) {
  return new Date(t).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
}

function dayLabel(t: number) {
  return new Date(t).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
}

const ranges: { value: MetricsRange; label: string }[] = [
  { value: '1h', label: '1 hour' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
]

/** historyPoints turns the sampler's history into chart points. */
function historyPoints(points: MetricPoint[] | undefined, range: MetricsRange): Point[] {
  const label = range === '1h' || range === '24h' ? timeLabel : dayLabel
  return (points ?? []).map((p) => {
    const t = new Date(p.at).getTime()
    return {
      t,
      label: label(t),
      cpu: +p.cpuPercent.toFixed(1),
      mem: p.memTotalBytes ? +((p.memUsedBytes / p.memTotalBytes) * 100).toFixed(1) : 0,
      read: p.diskReadPerSec ?? 0,
      write: p.diskWritePerSec ?? 0,
    }
  })
}

/** useSeries accumulates polled samples client-side; disk I/O is the rate between two samples. */
function useSeries(sample: Metrics | undefined) {
  const [points, setPoints] = useState<Point[]>([])
  const [prev, setPrev] = useState<Metrics>()
  useEffect(() => {
    if (!sample || sample.sampledAt === prev?.sampledAt) return
    const t = new Date(sample.sampledAt).getTime()
    const dt = prev ? (t - new Date(prev.sampledAt).getTime()) / 1000 : 0
    const rate = (now: number, before?: number) => (prev && dt > 0 && before !== undefined ? Math.max(0, (now - before) / dt) : 0)
    setPoints((ps) =>
      [
        ...ps,
        {
          t,
          label: timeLabel(t),
          cpu: +sample.cpuPercent.toFixed(1),
          mem: sample.memory.totalBytes ? +((sample.memory.usedBytes / sample.memory.totalBytes) * 100).toFixed(1) : 0,
          read: rate(sample.disk.readBytes, prev?.disk.readBytes),
          write: rate(sample.disk.writeBytes, prev?.disk.writeBytes),
        },
      ].slice(-timing.metricsWindow),
    )
    setPrev(sample)
  }, [sample, prev])
  return points
}

const tooltipStyle = {
  background: 'var(--popover)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  color: 'var(--popover-foreground)',
  fontSize: 12,
}

function PercentChart({ data, dataKey, color, name }: { data: Point[]; dataKey: 'cpu' | 'mem'; color: string; name: string }) {
  const id = `grad-${dataKey}`
  return (
    <ResponsiveContainer width="100%" height={180}>
      <AreaChart data={data} margin={{ top: 5, right: 5, left: -20, bottom: 0 }}>
        <defs>
          <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={color} stopOpacity={0.45} />
            <stop offset="100%" stopColor={color} stopOpacity={0} />
          </linearGradient>
        </defs>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }} minTickGap={40} />
        <YAxis domain={[0, 100]} tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }} unit="%" />
        <Tooltip contentStyle={tooltipStyle} formatter={(v) => [`${v}%`, name]} />
        <Area type="monotone" dataKey={dataKey} name={name} stroke={color} strokeWidth={2} fill={`url(#${id})`} isAnimationActive={false} />
      </AreaChart>
    </ResponsiveContainer>
  )
}

function ChartCard({ title, value, children, className }: { title: string; value: string; children: React.ReactNode; className?: string }) {
  return (
    <Card className={`gap-3 ${className ?? ''}`}>
      <CardHeader className="flex flex-row items-baseline justify-between">
        <CardTitle className="text-sm font-medium text-muted-foreground">{title}</CardTitle>
        <span className="font-display text-xl font-semibold tabular-nums">{value}</span>
      </CardHeader>
      <CardContent className="px-2 sm:px-4">{children}</CardContent>
    </Card>
  )
}

/** MetricsPanel charts CPU, memory and disk from live samples, plus traffic against the plan's limit. */
export default function MetricsPanel({ server }: { server: ServerDetail }) {
  const [range, setRange] = useState<MetricsRange>('24h')
  const metrics = useMetrics(server.id)
  const history = useMetricsHistory(server.id, range)
  const traffic = useTraffic(server.id)
  const live = useSeries(metrics.data)
  // History first, then the live samples taken since its last point.
  const past = historyPoints(history.data?.points, range)
  const lastPast = past.at(-1)?.t ?? 0
  const points = [...past, ...live.filter((p) => p.t > lastPast)]
  const last = live.at(-1) ?? past.at(-1)
  const m = metrics.data
  const period = traffic.data?.periods[0]
  const limitBytes = period ? period.limitGb * 1024 ** 3 : 0
  const trafficPct = period && limitBytes ? Math.min(100, (period.totalBytes / limitBytes) * 100) : 0
  const projection = period ? projectTraffic(period, new Date()) : null

  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2 text-base">
            <ActivityIcon className="size-4 text-primary" aria-hidden="true" /> Traffic this period
          </CardTitle>
          {period && (
            <CardDescription>
              {formatDate(period.start)} – {formatDate(period.end)}
            </CardDescription>
          )}
        </CardHeader>
        <CardContent className="grid gap-2">
          {traffic.isPending ? (
            <Skeleton className="h-8 w-full" />
          ) : traffic.isError ? (
            <ErrorAlert error={traffic.error} title="Couldn't load traffic" />
          ) : period ? (
            <>
              <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                <span>
                  <span className="font-display text-lg font-semibold">{formatBytes(period.totalBytes)}</span>
                  <span className="text-muted-foreground"> of {formatGb(period.limitGb)}</span>
                </span>
                <span className="text-xs text-muted-foreground">
                  ↓ {formatBytes(period.rxBytes)} in · ↑ {formatBytes(period.txBytes)} out
                </span>
              </div>
              <Progress
                value={trafficPct}
                aria-label="Traffic used against limit"
                indicatorClassName={trafficPct > 90 ? 'from-warning to-destructive' : undefined}
              />
              {projection && (
                <p className="text-xs text-muted-foreground" data-testid="traffic-projection">
                  Resets {formatDate(projection.resetsAt.toISOString())} · at this rate about {formatBytes(projection.projectedBytes)} by then
                  {projection.overLimit && <span className="font-medium text-warning"> — over the {formatGb(period.limitGb)} limit</span>}
                </p>
              )}
            </>
          ) : (
            <p className="text-sm text-muted-foreground">No traffic recorded yet.</p>
          )}
        </CardContent>
      </Card>

      <div role="group" aria-label="Metrics range" className="flex flex-wrap gap-1">
        {ranges.map((r) => (
          <button
            key={r.value}
            type="button"
            aria-pressed={range === r.value}
            onClick={() => setRange(r.value)}
            className={`min-h-8 rounded-md border px-3 py-1 text-xs font-medium max-sm:min-h-10 ${range === r.value ? 'bg-primary/15 text-foreground' : 'text-muted-foreground hover:bg-accent'}`}
          >
            {r.label}
          </button>
        ))}
      </div>
      {history.isError && <ErrorAlert error={history.error} title="Couldn't load metrics history" onRetry={() => history.refetch()} />}
      {metrics.isError && <ErrorAlert error={metrics.error} title="Couldn't load live metrics" onRetry={() => metrics.refetch()} />}
      {metrics.isPending ? (
        <div className="grid gap-4 md:grid-cols-2" aria-busy="true" aria-label="Loading metrics">
          <Skeleton className="h-64" />
          <Skeleton className="h-64" />
          <Skeleton className="h-64 md:col-span-2" />
        </div>
      ) : m && !m.running && past.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
          The server is not running, so there are no live metrics. Boot it from the Power tab.
        </p>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <ChartCard title="CPU" value={last ? `${last.cpu}%` : '—'}>
            <PercentChart data={points} dataKey="cpu" color="var(--chart-1)" name="CPU" />
          </ChartCard>
          <ChartCard title="Memory" value={m ? `${formatBytes(m.memory.usedBytes)} / ${formatBytes(m.memory.totalBytes)}` : '—'}>
            <PercentChart data={points} dataKey="mem" color="var(--chart-2)" name="Memory" />
          </ChartCard>
          <ChartCard className="md:col-span-2" title="Disk I/O" value={m ? `${formatBytes(m.disk.usedBytes)} of ${formatBytes(m.disk.totalBytes)} used` : '—'}>
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={points} margin={{ top: 5, right: 5, left: 5, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }} minTickGap={40} />
                <YAxis tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }} tickFormatter={(v: number) => `${formatBytes(v, 0)}/s`} width={70} />
                <Tooltip contentStyle={tooltipStyle} formatter={(v, n) => [`${formatBytes(Number(v))}/s`, n]} />
                <Line type="monotone" dataKey="read" name="Read" stroke="var(--chart-2)" strokeWidth={2} dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="write" name="Write" stroke="var(--chart-3)" strokeWidth={2} dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </ChartCard>
          <p className="self-end text-xs text-muted-foreground md:col-span-2">
            <span data-testid="metrics-history-count">
              {past.length} history points over the last {ranges.find((r) => r.value === range)?.label}
            </span>
            . History is sampled every 5 minutes and kept 30 days; live samples every {timing.metricsPollMs / 1000} s are added while this
            tab is open.
          </p>
        </div>
      )}
      <AlertsCard server={server} />
    </div>
  )
}
