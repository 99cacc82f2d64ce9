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
/** formatBytes uses binary multiples with one decimal. */
export function formatBytes(bytes: number, digits = 1) {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B'
  const i = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), units.length - 1)
  const v = bytes / 1024 ** i
  return `${v.toFixed(i === 0 ? 0 : digits)} ${units[i]}`
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

/** formatHours turns a count of hours into "3 days" / "5 hours". */
export function formatHours(h: number) {
  if (h >= 48) return `${Math.floor(h / 24)} days`
  return `${Math.max(0, Math.floor(h))} hours`
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
