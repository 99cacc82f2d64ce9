import { describe, expect, it } from 'vitest'
import { activityWording, describeActivity } from './activity'

describe('describeActivity', () => {
  it.each([
    [{ action: 'server.power', detail: 'restart' }, 'Restarted', ''],
    [{ action: 'server.power_changed', detail: 'poweroff' }, 'Powered off in VirtFusion', ''],
    [{ action: 'server.reset_password', detail: 'root' }, 'Root password reset', 'root'],
    [{ action: 'ssh_key.create', detail: 'laptop SHA256:x' }, 'SSH key added', 'laptop SHA256:x'],
    [{ action: 'billing.dunning.low-balance', detail: '' }, 'Low balance warning sent', ''],
    // Written before the shared vocabulary: still readable.
    [{ action: 'server.boot', detail: 'boot finished.' }, 'Server boot', 'boot finished.'],
  ])('%o reads %s', (entry, label, detail) => {
    const d = describeActivity(entry)
    expect(d.label).toBe(label)
    expect(d.detail).toBe(detail)
    expect(d.icon).toBeTruthy()
  })

  it('labels every kind once, in words', () => {
    const labels = Object.values(activityWording).map((w) => w.label)
    for (const l of labels) expect(l).toMatch(/^[A-Z][^._]+$/)
    expect(Object.keys(activityWording)).toContain('server.reset_password')
    expect(Object.keys(activityWording)).not.toContain('server.reset-password')
  })
})
