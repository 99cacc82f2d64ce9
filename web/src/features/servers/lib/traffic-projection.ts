import type { TrafficPeriod } from '@/types/api'

/** TrafficProjection is where this period's traffic is heading, at the rate so far. */
export interface TrafficProjection {
  /** projectedBytes is the total expected by the reset, at the average rate so far. */
  projectedBytes: number
  /** limitBytes is the plan's limit; 0 means unmetered. */
  limitBytes: number
  /** overLimit says the projection passes the limit before the reset. */
  overLimit: boolean
  /** resetsAt is when the period ends and the count starts again. */
  resetsAt: Date
}

/** projectTraffic extrapolates the period's use linearly to its end; null before an hour has passed (too little to go on). */
export function projectTraffic(period: TrafficPeriod, now: Date): TrafficProjection | null {
  const start = new Date(period.start).getTime()
  const end = new Date(period.end).getTime()
  const elapsed = now.getTime() - start
  if (!(end > start) || elapsed < 3_600_000) return null
  const ratio = Math.max(1, (end - start) / Math.min(elapsed, end - start))
  const projectedBytes = Math.round(period.totalBytes * ratio)
  const limitBytes = period.limitGb * 1024 ** 3
  return { projectedBytes, limitBytes, overLimit: limitBytes > 0 && projectedBytes > limitBytes, resetsAt: new Date(end) }
}
