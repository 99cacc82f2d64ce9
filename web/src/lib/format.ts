/** formatMoney renders integer minor units, e.g. 2500 USD → "$25.00". */
export function formatMoney(minor: number, currency = 'USD', opts?: { signed?: boolean }) {
  const fmt = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    signDisplay: opts?.signed ? 'exceptZero' : 'auto',
  })
  return fmt.format(minor / 100)
}

/** formatRate renders a price that may be a fraction of a cent, up to 4 decimals, never rounded to whole cents: 0.68 → "$0.0068". */
export function formatRate(minor: number, currency = 'USD') {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(minor / 100)
}

const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']
/**
 * formatBytes uses decimal multiples (1 TB = 1000 GB), as plans state storage and traffic,
 * so a usage and its limit read alike; one decimal, trailing ".0" dropped.
 */
export function formatBytes(bytes: number, digits = 1) {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B'
  const i = Math.min(Math.floor(Math.log10(bytes) / 3), units.length - 1)
  const v = bytes / 1000 ** i
  return `${i === 0 ? v.toFixed(0) : String(+v.toFixed(digits))} ${units[i]}`
}

/** formatGb writes a plan's storage or traffic: "40 GB", "1 TB" (never "1000 GB"), "1.5 TB". */
export function formatGb(gb: number) {
  return formatBytes(gb * 1e9)
}

export function formatMemory(mb: number) {
  return mb >= 1024 ? `${+(mb / 1024).toFixed(1)} GB` : `${mb} MB`
}

export function formatDate(iso: string | null | undefined) {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' })
}

export function formatDateTime(iso: string | null | undefined) {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return d.toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
export function formatRelative(iso: string | null | undefined, now = Date.now()) {
  if (!iso) return '—'
  const diff = (new Date(iso).getTime() - now) / 1000
  const abs = Math.abs(diff)
  if (abs < 60) return rtf.format(Math.round(diff), 'second')
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour')
  return rtf.format(Math.round(diff / 86400), 'day')
}

/** formatHours turns a count of hours into "3 days" / "5 hours" / "1 hour". */
export function formatHours(h: number) {
  if (h >= 48) return plural(Math.floor(h / 24), 'day')
  return plural(Math.max(0, Math.floor(h)), 'hour')
}

/** formatRunway says how long a balance lasts: "34 days", "1 day", "13 hours" (under a day, hours matter). */
export function formatRunway(hours: number) {
  if (hours >= 24) {
    const days = Math.floor(hours / 24)
    return days === 1 ? '1 day' : `${days} days`
  }
  const h = Math.max(0, Math.floor(hours))
  return h === 1 ? '1 hour' : `${h} hours`
}

const utcDay = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/**
 * formatPeriod writes an invoice period as the PDF does: "1 Nov 2026 – 30 Nov 2026"
 * (UTC days; end is exclusive, the day before it is the last one shown).
 */
export function formatPeriod(startIso: string, endExclusiveIso: string) {
  const start = new Date(startIso)
  const end = new Date(new Date(endExclusiveIso).getTime() - 86_400_000)
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return '—'
  return `${utcDay(start)} – ${utcDay(end)}`
}

/** plural writes a count with its noun: "1 hour", "2 hours" (never "1 hours"). */
export function plural(n: number, noun: string, pluralNoun = `${noun}s`) {
  return `${n} ${n === 1 ? noun : pluralNoun}`
}
