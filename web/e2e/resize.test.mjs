// End-to-end: the demo customer (seeded with credit and a running server)
// upgrades the server to the next plan, picks a backup plan and adds an
// IPv4 address, and the billing page shows the upgrade's charge. Runs
// against build/local-runner with the demo seed, in Debian's chromium:
// `node --test e2e/resize.test.mjs` from web/ after `npm run build`.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, visible } from './browser.mjs'
import { startStack, tail } from './stack.mjs'

const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }

describe('resize and add-ons in a browser', { timeout: 240_000 }, () => {
  let stack, browser, context, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []

  /** step is one part of the flow; once a step fails the rest are skipped with the reason. */
  const step = (name, fn, timeout = 60_000) =>
    it(name, { timeout }, async (t) => {
      if (broken) return t.skip('an earlier step failed')
      try {
        await fn()
        await noErrorsOnScreen()
      } catch (err) {
        broken = true
        if (page) await shots.take(page, `FAILED-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {})
        throw err
      }
    })

  /** noErrorsOnScreen fails on error toasts, uncaught page errors and 5xx API answers. */
  async function noErrorsOnScreen() {
    const toasts = page.locator('[data-sonner-toast][data-type="error"]')
    if (await toasts.count()) assert.fail(`error toast on screen: ${await toasts.first().innerText()}`)
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page')
    assert.deepEqual(serverErrors, [], 'API requests that failed with 5xx')
  }

  const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true })
  const tab = (name) => page.getByRole('tab', { name, exact: true })

  before(async () => {
    stack = await startStack({ demo: true })
    shots = new Shots()
    browser = await launch()
    context = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 1366, height: 900 }, colorScheme: 'dark' })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(String(err)))
    page.on('response', (res) => {
      if (res.url().startsWith(stack.baseURL + '/api/') && res.status() >= 500) serverErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`)
    })
  })

  after(async () => {
    await browser?.close().catch(() => {})
    if (broken && stack) console.error(`runner log (${stack.logPath}):\n${tail(stack.logPath, 60)}`)
    await stack?.stop({ keepData: broken })
    if (shots) console.log(`screenshots (${shots.files.length}) in web/e2e-screenshots/`)
  })

  step('the demo customer signs in and opens the demo server', async () => {
    await page.goto('/login')
    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(DEMO.email)
    await form.getByLabel('Password', { exact: true }).fill(DEMO.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((u) => u.pathname === '/')
    await nav('Servers').click()
    await page.getByRole('link', { name: /demo-web-1/ }).first().click()
    await page.waitForURL(/\/servers\/\d+$/)
    await visible(page.getByRole('heading', { name: 'demo-web-1', level: 1 }))
  })

  step('upgrades the server to the next plan', async () => {
    await tab('Resize').click()
    const micro = page.getByRole('radio', { name: 'VPS Micro' })
    await hasText(micro, '+$0.01/h')
    await micro.click()
    const preview = page.getByLabel('Plan change preview')
    await hasText(preview, 'grows from 20 GB to 40 GB')
    await hasText(preview, '$0.01 (rest of this hour)')
    await shots.take(page, 'resize-preview')
    await page.getByRole('button', { name: 'Change to VPS Micro' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Change plan' }).click()
    await visible(page.getByText('Plan changed to VPS Micro'))
    // The server is on the new plan now: VPS Micro is no longer offered as a change.
    await page.getByRole('radio', { name: 'VPS Micro' }).waitFor({ state: 'detached' })
  })

  step('adds a backup plan', async () => {
    await tab('Backups').click()
    await page.getByRole('radio', { name: 'Daily (7 days)' }).click()
    await page.getByRole('button', { name: 'Save backup plan' }).click()
    await visible(page.getByText('Backup plan saved'))
    assert.equal(await page.getByRole('radio', { name: 'Daily (7 days)' }).getAttribute('aria-checked'), 'true')
    await shots.take(page, 'backup-plan')
  })

  step('adds an IPv4 address, shown in the Network tab', async () => {
    await tab('Network').click()
    const list = page.getByRole('list', { name: 'IPv4 addresses' })
    await visible(list)
    assert.equal(await list.getByRole('listitem').count(), 1)
    await page.getByRole('button', { name: 'Add IPv4 address' }).click()
    await visible(page.getByText(/^Added \d+\.\d+\.\d+\.\d+$/))
    await list.getByRole('listitem').nth(1).waitFor()
    assert.equal(await list.getByRole('listitem').count(), 2)
    await visible(list.getByRole('button', { name: /^Remove / }))
    await shots.take(page, 'network-ipv4')
  })

  step('fits a 360 px phone', async () => {
    await page.setViewportSize({ width: 360, height: 780 })
    for (const name of ['Resize', 'Network', 'Backups']) {
      await tab(name).click()
      await shots.take(page, `phone-${name.toLowerCase()}`)
    }
    await page.setViewportSize({ width: 1366, height: 900 })
  })

  step('the billing page shows the upgrade as its own line', async () => {
    await nav('Billing').click()
    const table = page.getByRole('table', { name: 'Transactions' })
    await visible(table.getByRole('row').filter({ hasText: 'upgrade to VPS Micro' }))
    await shots.take(page, 'billing-after-resize')
  })
})
