// End-to-end (issue 18): the demo customer's Metrics tab shows the sampler's
// history on first load and adds an alert; the public /status page renders
// a maintenance message, an incident and the all-clear the admin sets
// through the admin route. Runs against build/local-runner with the demo
// seed (its running server), whose jobs schedules run the metrics sampler
// at start and every minute, as EventBridge does every 5 minutes in AWS.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, until, visible } from './browser.mjs'
import { startStack, tail } from './stack.mjs'

const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }
const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }

describe('metrics history and status in a browser', { timeout: 400_000 }, () => {
  let stack, browser, context, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []
  let serverId = 0

  /** step is one part of the flow; once a step fails the rest are skipped with the reason. */
  const step = (name, fn, timeout = 120_000) =>
    it(name, { timeout }, async (t) => {
      if (broken) return t.skip('an earlier step failed')
      try {
        await fn()
        assert.deepEqual(pageErrors, [], 'uncaught errors in the page')
        assert.deepEqual(serverErrors, [], 'API requests that failed with 5xx')
      } catch (err) {
        broken = true
        if (page) await shots.take(page, `FAILED-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {})
        throw err
      }
    })

  /** signIn signs in through the API (the cookie lands in the browser context) and returns the CSRF token. */
  async function signIn(who) {
    const res = await page.request.post('/api/auth/login', { data: who })
    assert.equal(res.status(), 200, `sign-in of ${who.email}: ${await res.text()}`)
    return (await res.json()).csrfToken
  }

  before(async () => {
    stack = await startStack({ demo: true })
    shots = new Shots()
    browser = await launch()
    context = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(String(err)))
    page.on('response', (res) => {
      if (res.url().startsWith(stack.baseURL + '/api/') && res.status() >= 500) serverErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`)
    })
  })

  after(async () => {
    await browser?.close()
    if (broken && stack) console.error(`runner log (last lines):\n${tail(stack.logPath, 60)}`)
    await stack?.stop()
  })

  step('the sampler has recorded the demo server', async () => {
    await signIn(DEMO)
    // The demo server may still be building when the stack starts.
    serverId = await until(
      async () => (await (await page.request.get('/api/servers')).json()).servers.find((s) => s.power === 'running')?.id,
      'the demo server never ran',
      120_000,
      2000,
    )
    // The runner runs the sampler at start and every minute; wait for a sample.
    await until(
      async () => {
        const h = await (await page.request.get(`/api/servers/${serverId}/metrics/history?range=1h`)).json()
        return h.points?.length > 0
      },
      'no metrics sample recorded',
      100_000,
      2000,
    )
  }, 240_000)

  step('the metrics tab shows history on first load', async () => {
    await page.goto(`/servers/${serverId}/metrics`)
    const count = page.getByTestId('metrics-history-count')
    await hasText(count, /^[1-9]\d* history points over the last 24 hours/, 30_000)
    await page.getByRole('group', { name: 'Metrics range' }).getByRole('button', { name: '1 hour' }).click()
    await hasText(count, /^[1-9]\d* history points over the last 1 hour/)
    await shots.take(page, 'metrics-history')
  })

  step('adds a CPU alert on the Metrics tab', async () => {
    const form = page.getByRole('form', { name: 'Add an alert' })
    await form.getByLabel('Above (%)').fill('95')
    await form.getByRole('button', { name: 'Add alert' }).click()
    const list = page.getByRole('list', { name: 'Alerts' })
    await visible(list.getByText('CPU above 95 % for 10 minutes'))
    await shots.take(page, 'alerts')
  })

  step('the status page renders maintenance, an incident and the all-clear', async () => {
    await page.request.post('/api/auth/logout', { headers: { 'X-CSRF-Token': await signIn(DEMO) } })
    const csrf = await signIn(ADMIN)
    const setMessage = async (kind, text) => {
      const res = await page.request.put('/api/admin/status-message', { data: { kind, text }, headers: { 'X-CSRF-Token': csrf } })
      assert.equal(res.status(), 200, await res.text())
    }
    const headline = page.getByTestId('status-headline')
    const message = page.getByTestId('status-message')

    /** showsMessage reloads /status until the message matches re: /api/status is cached for a few seconds. */
    const showsMessage = (re, what) =>
      until(async () => {
        await page.goto('/status')
        await visible(headline)
        return re.test((await message.textContent({ timeout: 1000 }).catch(() => '')) ?? '')
      }, what, 90_000, 2000)

    await setMessage('maintenance', 'Network upgrade tonight 22:00–23:00 UTC.')
    await showsMessage(/Network upgrade tonight/, 'the maintenance message never showed')
    await hasText(headline, /Scheduled maintenance/)
    await shots.take(page, 'status-maintenance')

    await setMessage('incident', 'Server control is slow in London; we are on it.')
    await showsMessage(/Server control is slow/, 'the incident message never showed')
    assert.doesNotMatch(await headline.innerText(), /Scheduled maintenance|All systems operational/)
    await shots.take(page, 'status-incident')

    const res = await page.request.delete('/api/admin/status-message', { headers: { 'X-CSRF-Token': csrf } })
    assert.ok(res.status() < 300, await res.text())
    await until(async () => {
      await page.goto('/status')
      await visible(headline)
      return (await message.count()) === 0
    }, 'the message never cleared', 90_000, 2000)
    await shots.take(page, 'status-clear')
  }, 300_000)
})
