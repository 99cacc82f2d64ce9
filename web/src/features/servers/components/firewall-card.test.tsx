import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { apiError } from '@/testing/mocks/handlers'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'
import type { FirewallRequest, FirewallView } from '../api/firewall'

const presets = [
  { id: 'web', name: 'Web', description: 'Allows HTTP (80) and HTTPS (443) in.' },
  { id: 'ssh', name: 'SSH only', description: 'Allows SSH (22) in.' },
  { id: 'ftp', name: 'FTP', description: '' },
]
const webRules = [
  { ruleset: 'Web', direction: 'in', protocol: 'tcp', port: '80', source: '0.0.0.0/0', action: 'accept', description: 'HTTP' },
  { ruleset: 'Web', direction: 'in', protocol: 'tcp', port: '443', source: '0.0.0.0/0', action: 'accept', description: 'HTTPS' },
]

/** fakeFirewall mimics the API: "ftp" is refused by VirtFusion (failed change), the rest applies. */
function fakeFirewall() {
  let view: FirewallView = { interface: 'primary', enabled: false, rules: [], presets }
  const sent: FirewallRequest[] = []
  server.use(
    http.get('/api/servers/:id/firewall/:iface', () => HttpResponse.json(view)),
    http.put('/api/servers/:id/firewall/:iface', async ({ request }) => {
      const b = (await request.json()) as FirewallRequest
      sent.push(b)
      if (b.enabled && b.presets.length === 0) return apiError(400, 'invalid', 'Some fields are invalid.', { presets: 'Choose at least one preset.' })
      const at = `2026-12-02T10:0${sent.length}:00Z`
      if (b.presets.includes('ftp')) {
        view = { ...view, change: { interface: 'primary', enabled: b.enabled, presets: b.presets, status: 'failed', error: 'A configuration problem on our side.', updatedAt: at } }
      } else {
        view = { ...view, enabled: b.enabled, rules: b.enabled && b.presets.includes('web') ? webRules : [],
          change: { interface: 'primary', enabled: b.enabled, presets: b.presets, status: 'applied', updatedAt: at } }
      }
      return HttpResponse.json(view)
    }),
  )
  return sent
}

describe('firewall card', () => {
  it('validates, applies a preset, shows the rules in effect and a failed change', async () => {
    const sent = fakeFirewall()
    const { user } = renderApp('/servers/101/network')
    const on = await screen.findByRole('checkbox', { name: 'Firewall on' }, { timeout: 20_000 })
    expect(screen.getByText('The firewall is off: all traffic reaches the server.')).toBeInTheDocument()

    // On with nothing chosen: refused here, nothing sent.
    await user.click(on)
    await user.click(screen.getByRole('button', { name: 'Apply firewall' }))
    expect(await screen.findByText('Choose at least one preset, or turn the firewall off.')).toBeInTheDocument()
    expect(sent).toHaveLength(0)

    await user.click(screen.getByRole('checkbox', { name: /^Web/ }))
    await user.click(screen.getByRole('button', { name: 'Apply firewall' }))
    expect(await screen.findByText(/^Applied/)).toBeInTheDocument()
    expect(sent).toEqual([{ enabled: true, presets: ['web'] }])
    const rules = screen.getByRole('list', { name: 'Rules in effect' })
    expect(within(rules).getAllByRole('listitem')).toHaveLength(2)
    expect(rules).toHaveTextContent('in tcp port 443 from 0.0.0.0/0')

    // A refused change says so once, in the card, and the rules stay.
    await user.click(screen.getByRole('checkbox', { name: /^FTP/ }))
    await user.click(screen.getByRole('button', { name: 'Apply firewall' }))
    expect(await screen.findByText(/Your last change was not applied/)).toHaveTextContent('A configuration problem on our side.')
    expect(sent[1]).toEqual({ enabled: true, presets: ['web', 'ftp'] })
    expect(within(screen.getByRole('list', { name: 'Rules in effect' })).getAllByRole('listitem')).toHaveLength(2)
  }, 45_000)

  it('says when the provider offers no presets', async () => {
    renderApp('/servers/101/network')
    expect(await screen.findByText('Your provider has not set up firewall presets yet.', undefined, { timeout: 20_000 })).toBeInTheDocument()
  }, 45_000)
})
