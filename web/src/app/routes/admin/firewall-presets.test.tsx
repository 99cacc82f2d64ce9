import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { admin, db } from '@/testing/mocks/db'
import { server } from '@/testing/mocks/server'
import { renderApp, screen } from '@/testing/test-utils'
import type { FirewallPresets } from '@/features/admin/api/firewall-presets'

describe('admin firewall presets', () => {
  it('validates, adds and removes a preset, sending the loaded version', async () => {
    db.me = admin
    let saved: FirewallPresets = { presets: [], version: 0 }
    const sent: FirewallPresets[] = []
    server.use(
      http.get('/api/admin/firewall-presets', () => HttpResponse.json(saved)),
      http.put('/api/admin/firewall-presets', async ({ request }) => {
        const b = (await request.json()) as FirewallPresets
        sent.push(b)
        saved = { presets: b.presets, version: b.version + 1 }
        return HttpResponse.json(saved)
      }),
    )
    const { user } = renderApp('/admin/packages')
    const form = await screen.findByRole('form', { name: 'Add a firewall preset' }, { timeout: 20_000 })
    await user.type(within(form).getByLabelText('Id'), 'Web!')
    await user.click(within(form).getByRole('button', { name: 'Add preset' }))
    expect(await within(form).findByRole('alert')).toHaveTextContent('lowercase letters')
    await user.clear(within(form).getByLabelText('Id'))
    await user.type(within(form).getByLabelText('Id'), 'web')
    await user.type(within(form).getByLabelText('Name customers see'), 'Web')
    await user.type(within(form).getByLabelText('VirtFusion ruleset ids'), '1, x')
    await user.click(within(form).getByRole('button', { name: 'Add preset' }))
    expect(await within(form).findByRole('alert')).toHaveTextContent('ruleset ids')
    expect(sent).toHaveLength(0)
    await user.clear(within(form).getByLabelText('VirtFusion ruleset ids'))
    await user.type(within(form).getByLabelText('VirtFusion ruleset ids'), '1, 4')
    await user.click(within(form).getByRole('button', { name: 'Add preset' }))
    const list = screen.getByRole('list', { name: 'Firewall presets' })
    expect(await within(list).findByText('web · rulesets 1, 4')).toBeInTheDocument()
    expect(sent[0]).toEqual({ presets: [{ id: 'web', name: 'Web', description: '', rulesetIds: [1, 4] }], version: 0 })
    await user.click(within(list).getByRole('button', { name: 'Remove preset Web' }))
    expect(await within(list).findByText('No presets: customers cannot change their firewall.')).toBeInTheDocument()
    expect(sent[1]).toEqual({ presets: [], version: 1 })
  }, 45_000)
})
