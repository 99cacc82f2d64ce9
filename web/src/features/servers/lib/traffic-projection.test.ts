import { describe, expect, it } from 'vitest'
import { projectTraffic } from './traffic-projection'

const GB = 1024 ** 3
const period = (totalBytes: number, limitGb = 1000) => ({
  start: '2026-03-01T00:00:00Z',
  end: '2026-03-31T00:00:00Z',
  rxBytes: 0,
  txBytes: 0,
  totalBytes,
  limitGb,
})

describe('projectTraffic', () => {
  it.each([
    ['a third of the way, on pace', period(300 * GB), '2026-03-11T00:00:00Z', 900 * GB, false],
    ['a third of the way, over pace', period(400 * GB), '2026-03-11T00:00:00Z', 1200 * GB, true],
    ['unmetered never goes over', period(400 * GB, 0), '2026-03-11T00:00:00Z', 1200 * GB, false],
    ['after the end, no extrapolation', period(500 * GB), '2026-04-02T00:00:00Z', 500 * GB, false],
  ])('%s', (_name, p, now, projected, over) => {
    const got = projectTraffic(p, new Date(now))
    expect(got?.projectedBytes).toBe(projected)
    expect(got?.overLimit).toBe(over)
    expect(got?.resetsAt.toISOString()).toBe('2026-03-31T00:00:00.000Z')
  })

  it('waits for an hour of data', () => {
    expect(projectTraffic(period(GB), new Date('2026-03-01T00:30:00Z'))).toBeNull()
  })
})
