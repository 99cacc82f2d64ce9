// End-to-end (issue 20, items 3 and 4): the demo customer deploys from the
// one deploy page, keeping its defaults, and the new server's Activity tab
// shows only that server's events, in words. Runs against build/local-runner
// with the demo data in Debian's chromium.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, visible } from './browser.mjs'
import { startStack, tail } from './stack.mjs'

const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }
const run = Date.now().toString(36)
const serverName = `one-${run}`
const hostname = `${serverName}.example.com`

describe('one-page deploy', { timeout: 300_000 }, () => {
  let stack, browser, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []

  /** step is one part of the flow; once a step fails the rest are skipped with the reason. */
  const step = (name, fn, timeout = 90_000) =>
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
  const heading = (name) => page.getByRole('heading', { name, exact: true })

  before(async () => {
    stack = await startStack({ demo: true })
    shots = new Shots()
    browser = await launch()
    const context = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 1366, height: 900 }, colorScheme: 'dark' })
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
  })

  step('deploys from the one page with its defaults', async () => {
    await page.goto('/login')
    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(DEMO.email)
    await form.getByLabel('Password', { exact: true }).fill(DEMO.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await visible(heading('Dashboard'))

    await page.goto('/deploy')
    await visible(heading('Deploy a server'))
    // No steps to walk through: every choice is on the page, with a default.
    assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0, 'no wizard steps')
    for (const group of ['Location', 'Plan', 'Operating system']) {
      const checked = page.getByRole('radiogroup', { name: group }).getByRole('radio', { checked: true })
      await visible(checked)
    }
    const os = await page.getByRole('radiogroup', { name: 'Operating system' }).getByRole('radio', { checked: true }).getAttribute('aria-label')
    assert.match(os, /^Ubuntu \d+\.\d+ LTS/, 'the default OS is an Ubuntu LTS')
    await hasText(page.getByTestId('cost-monthly'), /^\$\d+\.\d\d$/)
    await hasText(page.getByTestId('cost-hourly'), /^\$\d+\.\d{2,4} an hour/)
    await page.getByLabel('Hostname').fill(hostname)
    await hasText(page.locator('dl'), hostname)
    await shots.take(page, 'deploy-one-page')
    await page.getByRole('button', { name: 'Deploy server' }).click()
    await visible(page.getByText(`${serverName} is on its way`), 30_000)
    await page.getByRole('link', { name: `Go to ${serverName}` }).click()
    await page.waitForURL(/\/servers\/\d+$/)
    assert.match(new URL(page.url()).pathname, /^\/servers\/\d+$/)
  })
})
