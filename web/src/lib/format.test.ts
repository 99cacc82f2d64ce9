import { describe, expect, it } from 'vitest'
import { formatPeriod, plural } from './format'

describe('formatPeriod', () => {
  it.each([
    ['2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', '1 Nov 2026 – 30 Nov 2026'],
    ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', '1 Feb 2026 – 28 Feb 2026'],
    ['2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', '1 Dec 2026 – 31 Dec 2026'],
    ['bad', '2027-01-01T00:00:00Z', '—'],
  ])('%s to %s (exclusive) is %s, the words the PDF uses', (start, end, want) => {
    expect(formatPeriod(start, end)).toBe(want)
  })
})

describe('plural', () => {
  it.each([
    [0, 'hour', '0 hours'],
    [1, 'hour', '1 hour'],
    [2, 'hour', '2 hours'],
    [1, 'day', '1 day'],
    [3, 'IPv4 address', '3 IPv4 addresses'],
  ])('%d %s → %s', (n, noun, want) => {
    expect(plural(n, noun, noun === 'IPv4 address' ? 'IPv4 addresses' : undefined)).toBe(want)
  })
})
