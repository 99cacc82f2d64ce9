import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { PasswordInput } from '@/components/password-input'
import { formatBytes, formatGb, formatHours, formatRunway } from '@/lib/format'
import { stoppedBillingNote } from './power-panel'

describe('wording and details (issue 20, item 8)', () => {
  it.each([
    [40, '40 GB'],
    [1000, '1 TB'],
    [1500, '1.5 TB'],
    [2000, '2 TB'],
    [0.5, '500 MB'],
  ])('formatGb(%d) = %s: one formatter, 1 TB never "1000 GB"', (gb, want) => {
    expect(formatGb(gb)).toBe(want)
  })

  it('formatBytes uses the same decimal units as the limits', () => {
    expect(formatBytes(1e12)).toBe('1 TB')
    expect(formatBytes(250e9)).toBe('250 GB')
    expect(formatBytes(999)).toBe('999 B')
  })

  it.each([
    [1, '1 hour'],
    [2, '2 hours'],
    [0, '0 hours'],
    [47, '47 hours'],
    [48, '2 days'],
  ])('formatHours(%d) = %s (never "1 hours")', (h, want) => {
    expect(formatHours(h)).toBe(want)
    if (h < 24) expect(formatRunway(h)).toBe(want)
  })

  it.each([
    [null, undefined],
    [{ status: 'active', hourlyMinor: 1, monthlyCapMinor: 600 }, 'Stopped servers are still billed ($0.01 an hour, at most $6.00 a month)'],
    [{ status: 'active', hourlyMinor: 5, monthlyCapMinor: 0 }, 'Stopped servers are still billed ($0.05 an hour)'],
    [{ status: 'stopped', hourlyMinor: 5, monthlyCapMinor: 0 }, 'Billing has stopped for this server.'],
    [{ status: 'active' }, 'Stopped servers are still billed: their disk'],
  ])('the Power tab states the billing rule for stopped servers (%o)', (billing, want) => {
    const note = stoppedBillingNote(billing as Parameters<typeof stoppedBillingNote>[0])
    if (want === undefined) expect(note).toBeUndefined()
    else expect(note).toContain(want)
  })

  it('shows and hides a typed password', async () => {
    render(<PasswordInput id="pw" aria-label="Password" defaultValue="s3cret" />)
    const input = screen.getByLabelText('Password')
    const toggle = screen.getByRole('button', { name: 'Show password' })
    expect(input).toHaveAttribute('type', 'password')
    await userEvent.click(toggle)
    expect(input).toHaveAttribute('type', 'text')
    expect(toggle).toHaveAttribute('aria-pressed', 'true')
    await userEvent.click(toggle)
    expect(input).toHaveAttribute('type', 'password')
  })

  it('a destructive confirmation outlines the action and emphasises the way back', async () => {
    render(<ConfirmDialog trigger={<button>Delete</button>} title="Delete web-1?" description="Gone for good." confirmLabel="Delete server" destructive onConfirm={() => {}} />)
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }))
    const action = await screen.findByRole('button', { name: 'Delete server' })
    const cancel = screen.getByRole('button', { name: 'Cancel' })
    expect(action.className).toContain('border-destructive')
    expect(action.className).not.toContain('bg-primary')
    expect(cancel.className).toContain('bg-primary')
  })
})
