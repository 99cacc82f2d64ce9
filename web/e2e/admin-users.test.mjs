// End-to-end: the demo admin transfers the demo customer's server to another
// customer, then blocks the demo customer, whose session ends at once (their
// next API call is 401). Runs against build/local-runner (DynamoDB Local and
// the simulators) in Debian's chromium: `node --test e2e/admin-users.test.mjs`.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, visible } from './browser.mjs'
import { startStack, tail } from './stack.mjs'

const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }
const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }
const run = Date.now().toString(36)
const other = { name: 'Olive Owner', email: `olive-${run}@example.com`, password: 'correct-horse-battery-9' }

/** apiSession signs in through the API and keeps the session cookie, as a browser would. */
async function apiSession(base, email, password) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })
  assert.equal(res.status, 200, `sign in ${email}`)
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const body = await res.json()
  return { cookie, user: body.user, me: () => fetch(`${base}/api/auth/me`, { headers: { cookie } }) }
}

describe('admin: users and servers', { timeout: 240_000 }, () => {
  let stack, browser, page, shots
  let broken = false
  let demo
  const serverErrors = []

  const step = (name, fn, timeout = 60_000) =>
    it(name, { timeout }, async (t) => {
      if (broken) return t.skip('an earlier step failed')
      try {
        await fn()
        const toasts = page.locator('[data-sonner-toast][data-type="error"]')
        if (await toasts.count()) assert.fail(`error toast on screen: ${await toasts.first().innerText()}`)
        assert.deepEqual(serverErrors, [], 'API requests that failed with 5xx')
      } catch (err) {
        broken = true
        if (page) await shots.take(page, `FAILED-admin-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {})
        throw err
      }
    })

  const sections = () => page.getByRole('navigation', { name: 'Admin sections' })

  before(async () => {
    stack = await startStack({ demo: true })
    shots = new Shots()
    browser = await launch()
    const context = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 1366, height: 900 }, colorScheme: 'dark' })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    page.on('response', (res) => {
      if (res.url().startsWith(stack.baseURL + '/api/') && res.status() >= 500) serverErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`)
    })
  })

  after(async () => {
    await browser?.close().catch(() => {})
    if (broken && stack) console.error(`runner log (${stack.logPath}):\n${tail(stack.logPath, 60)}`)
    await stack?.stop({ keepData: broken })
  })

  step('the demo customer is signed in and another customer exists', async () => {
    demo = await apiSession(stack.baseURL, DEMO.email, DEMO.password)
    assert.equal((await demo.me()).status, 200)
    const reg = await fetch(`${stack.baseURL}/api/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(other) })
    assert.ok(reg.status < 300, `register: ${reg.status}`)
    const olive = await apiSession(stack.baseURL, other.email, other.password)
    assert.ok(olive.user.vfUserId > 0, 'the new customer has a VirtFusion account')
  })

  step('the admin signs in and opens the console', async () => {
    await page.goto('/login')
    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(ADMIN.email)
    await form.getByLabel('Password', { exact: true }).fill(ADMIN.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await visible(page.getByRole('heading', { name: 'Dashboard', exact: true }))
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin console' }).click()
    await visible(page.getByRole('heading', { name: 'Admin console', exact: true }))
    await shots.take(page, 'admin-console')
  })

  step('transfers the demo server to the other customer', async () => {
    await sections().getByRole('link', { name: 'Servers', exact: true }).click()
    const table = page.getByRole('table', { name: 'Servers' })
    const row = table.getByRole('row').filter({ hasText: DEMO.email })
    // The demo order is billed once its build finishes: reload until it is listed.
    for (let i = 0; i < 12 && !(await row.count()); i++) {
      await page.waitForTimeout(5_000)
      await page.reload()
      await table.waitFor()
    }
    await visible(row, 20_000)
    await shots.take(page, 'admin-servers')
    const name = (await row.locator('td').first().locator('span').first().innerText()).trim()
    await row.getByRole('button', { name: `Actions for ${name}` }).click()
    await page.getByRole('menuitem', { name: 'Transfer…' }).click()
    const dialog = page.getByRole('alertdialog', { name: `Transfer ${name}` })
    await dialog.getByLabel('New owner').fill(other.email.slice(0, 12))
    await dialog.getByRole('option').filter({ hasText: other.email }).click()
    await dialog.getByRole('button', { name: `Transfer to ${other.email}` }).click()
    await visible(page.getByText(`${name} now belongs to ${other.email}`))
    await visible(table.getByRole('row').filter({ hasText: name }).getByRole('link', { name: other.email }), 15_000)
    await shots.take(page, 'admin-server-transferred')
  }, 120_000)

  step('blocks the demo customer, whose session ends at once', async () => {
    await sections().getByRole('link', { name: 'Users', exact: true }).click()
    await page.keyboard.press('/')
    await page.keyboard.type('demo@')
    const table = page.getByRole('table', { name: 'Users' })
    const link = table.getByRole('row').filter({ hasText: DEMO.email }).getByRole('link').first()
    await visible(link, 15_000)
    await link.click()
    await page.waitForURL(/\/admin\/users\//)
    await page.getByRole('button', { name: 'Block', exact: true }).click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByRole('button', { name: 'Block', exact: true }).click()
    await visible(page.getByText(/is blocked/))
    await visible(page.getByRole('button', { name: 'Unblock', exact: true }))
    await shots.take(page, 'admin-user-blocked')
    assert.equal((await demo.me()).status, 401, "the blocked customer's next API call")
    const again = await fetch(`${stack.baseURL}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO) })
    assert.ok(again.status >= 400, `a blocked sign-in is refused (got ${again.status})`)
  })

  step('the audit log shows both actions', async () => {
    await sections().getByRole('link', { name: 'Audit', exact: true }).click()
    await page.getByLabel('Action').fill('admin.')
    await page.getByRole('button', { name: 'Filter' }).click()
    const log = page.getByRole('table', { name: 'Audit log' })
    await visible(log.getByText('admin.user.block'), 15_000)
    await hasText(log, 'admin.server.transfer')
    await shots.take(page, 'admin-audit')
  })
})
