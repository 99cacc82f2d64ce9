// End-to-end (issue 19): the demo customer sets a firewall preset on the
// demo server's Network tab; the card shows it applied with the rules in
// effect, at 1366 and 360 px, with no serious axe violation and nothing
// wider than the window. The local stack names the simulator's rulesets
// as presets. `node --test e2e/firewall.test.mjs` from web/ after
// `npm run build` and `go build -o build/local-runner ./infra/local`.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { browserFlow, hasText, visible } from './browser.mjs'
import { startStack, tail } from './stack.mjs'

const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }

describe('firewall presets in a browser', { timeout: 240_000 }, () => {
  let stack
  const f = browserFlow(it, 'firewall')
  const { step } = f
  const page = () => f.page

  before(async () => {
    stack = await startStack({ demo: true })
    await f.open(stack)
  })

  after(async () => {
    await f.close()
    if (f.broken && stack) console.error(`runner log (${stack.logPath}):\n${tail(stack.logPath, 60)}`)
    await stack?.stop({ keepData: f.broken })
  })

  step('the demo customer opens the Network tab of the demo server', async () => {
    await f.signIn(DEMO.email, DEMO.password)
    await page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers', exact: true }).click()
    await page().getByRole('link', { name: /demo-web-1/ }).first().click()
    await page().waitForURL(/\/servers\/\d+$/)
    await page().getByRole('tab', { name: 'Network', exact: true }).click()
    await visible(page().getByRole('checkbox', { name: 'Firewall on' }))
    await visible(page().getByText('The firewall is off: all traffic reaches the server.'))
  })

  step('turning it on with nothing chosen is refused in the form', async () => {
    await page().getByRole('checkbox', { name: 'Firewall on' }).click()
    await page().getByRole('button', { name: 'Apply firewall' }).click()
    await visible(page().getByText('Choose at least one preset, or turn the firewall off.'))
  })

  step('the Web and SSH only presets apply; the rules in effect are listed', async () => {
    await page().getByRole('checkbox', { name: /^Web/ }).click()
    await page().getByRole('checkbox', { name: /^SSH only/ }).click()
    await page().getByRole('button', { name: 'Apply firewall' }).click()
    await visible(page().getByRole('status').filter({ hasText: /Applied/ }), 20_000)
    const rules = page().getByRole('list', { name: 'Rules in effect' })
    await hasText(rules, 'port 443')
    await hasText(rules, 'port 22')
    assert.equal(await rules.getByRole('listitem').count(), 3)
    await f.shots.take(page(), 'applied-1366')
    assert.deepEqual(await f.axe(), [], 'axe serious/critical violations at 1366 px')
  })

  step('at 360 px the card fits and stays accessible', async () => {
    await page().setViewportSize({ width: 360, height: 800 })
    await page().reload()
    await visible(page().getByRole('status').filter({ hasText: /Applied/ }), 20_000)
    await f.shots.take(page(), 'applied-360') // fails when anything is wider than the window
    assert.deepEqual(await f.axe(), [], 'axe serious/critical violations at 360 px')
    const small = await page().evaluate(() =>
      [...document.querySelectorAll('[data-slot="card"] button, [data-slot="card"] [role="checkbox"]')]
        .filter((el) => el.closest('form') && el.getBoundingClientRect().height < 40 && el.getAttribute('role') !== 'checkbox')
        .map((el) => el.textContent),
    )
    assert.deepEqual(small, [], 'buttons under 40 px')
  })
})
