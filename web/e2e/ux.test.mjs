// End-to-end UX acceptance (issue 20): a new customer with $0 orders from the
// wizard, tops up from inside it and lands back in it with every choice kept;
// a power action confirmed offline is refused with a message and never sent;
// then every page, signed out, as the customer and as the admin, at 1440 and
// 360 px wide: axe-core finds no serious or critical violation, nothing is
// wider than the window, and on phones every control is at least 40 px tall.
// Screenshots of every page at both sizes go to web/e2e-screenshots/ (ux-*).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, noHorizontalOverflow, Shots, until, visible } from './browser.mjs'
import { startStack, tail, verificationLink } from './stack.mjs'

const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }
const run = Date.now().toString(36)
const customer = { name: 'Uma Tester', email: `uma-${run}@example.com`, password: 'correct-horse-battery-9' }
const serverName = `ux-${run}`
const hostname = `${serverName}.example.com`
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const sizes = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 360, height: 740 },
]

describe('vfpanel UX: first order, offline safety, phones and accessibility', { timeout: 1_800_000 }, () => {
  let stack, browser, context, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []
  const apiRequests = []
  let serverPath = ''
  // Every page's findings, reported together so one run lists them all.
  const problems = []

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
  const tab = (name) => page.getByRole('tab', { name, exact: true })

  /** axe runs axe-core on the page and returns its serious and critical violations. */
  async function axe() {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] })
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))
    })
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  }

  /** smallTargets lists controls under 40 px in either direction (inline text links excepted). */
  function smallTargets() {
    return page.evaluate(() => {
      const sel = 'button, [role="tab"], [role="radio"], [role="checkbox"], [role="switch"], select, input:not([type="hidden"]), a[data-slot="button"], nav a, [role="menuitem"]'
      return [...document.querySelectorAll(sel)]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          if (r.width === 0 || r.height === 0) return false
          const st = window.getComputedStyle(el)
          if (st.visibility === 'hidden' || el.closest('[aria-hidden="true"], [data-sonner-toaster], .sr-only')) return false
          // A radio or checkbox inside its label: the label box is what is tapped.
          const label = el.closest('label')
          let { width, height } = label ? label.getBoundingClientRect() : r
          // A small control may widen its hit area with an absolutely placed ::after (clicks on it reach the control).
          const after = window.getComputedStyle(el, '::after')
          if (after.position === 'absolute' && after.content !== 'none') {
            width = Math.max(width, r.width - parseFloat(after.left) - parseFloat(after.right))
            height = Math.max(height, r.height - parseFloat(after.top) - parseFloat(after.bottom))
          }
          return Math.round(height) < 40 || Math.round(width) < 40
        })
        .slice(0, 8)
        .map((el) => {
          const r = el.getBoundingClientRect()
          const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().slice(0, 30)
          return `${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`
        })
    })
  }

  /** settle waits for loading skeletons to go, then for fonts and a frame. */
  async function settle() {
    await until(async () => (await page.locator('main [aria-busy="true"]').count()) === 0, 'the page finishes loading', 5_000).catch(() => {})
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(250)
  }

  /** audit visits path, waits for its heading, then at each size runs axe, checks widths and tap targets and takes a screenshot. */
  async function audit(path, name, ready) {
    await page.setViewportSize({ width: sizes[0].width, height: sizes[0].height })
    await page.goto(path)
    await visible(page.locator('h1'), 20_000)
    if (ready) await ready()
    await settle()
    for (const size of sizes) {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.waitForTimeout(200)
      const where = `${name} @${size.width}px`
      const found = []
      for (const v of await axe()) found.push(`${where}: axe ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(' | ')}`)
      try {
        await noHorizontalOverflow(page, where)
      } catch (err) {
        found.push(err.message)
      }
      if (size.width === 360) for (const s of await smallTargets()) found.push(`${where}: tap target under 40px: ${s}`)
      for (const f of found) console.log(`# PROBLEM ${f}`)
      problems.push(...found)
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: await shotPath(`${name}-${size.name}`), fullPage: true, animations: 'disabled' })
    }
    await page.setViewportSize({ width: sizes[0].width, height: sizes[0].height })
  }

  /** shotPath names the next screenshot (Shots.take would stop at the first overflow; audit collects them instead). */
  async function shotPath(name) {
    const { join } = await import('node:path')
    const { screenshotDir } = await import('./browser.mjs')
    const file = join(screenshotDir, `${shots.prefix}${String(++shots.n).padStart(2, '0')}-${name}.png`)
    shots.files.push(file)
    return file
  }

  async function signIn(who) {
    await page.goto('/login')
    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(who.email)
    await form.getByLabel('Password', { exact: true }).fill(who.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await visible(heading('Dashboard'))
  }

  async function signOut() {
    await page.getByRole('button', { name: /^Account menu for / }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
  }

  before(async () => {
    stack = await startStack()
    shots = new Shots('ux')
    browser = await launch()
    // bypassCSP: axe-core's source is injected into the page as an inline script.
    context = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 1440, height: 900 }, colorScheme: 'dark', bypassCSP: true })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(String(err)))
    page.on('request', (req) => {
      if (req.url().startsWith(stack.baseURL + '/api/')) apiRequests.push(`${req.method()} ${new URL(req.url()).pathname}`)
    })
    page.on('response', (res) => {
      if (res.url().startsWith(stack.baseURL + '/api/') && res.status() >= 500) serverErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`)
    })
  })

  after(async () => {
    await browser?.close().catch(() => {})
    if (broken && stack) console.error(`runner log (${stack.logPath}):\n${tail(stack.logPath, 60)}`)
    await stack?.stop({ keepData: broken })
    if (shots) console.log(`screenshots (${shots.files.length}) in web/e2e-screenshots/ (ux-*)`)
  })

  step('signs up a new customer and verifies the email', async () => {
    await page.goto('/register')
    const form = page.getByRole('form', { name: 'Create account' })
    await form.getByLabel('Full name').fill(customer.name)
    await form.getByLabel('Email').fill(customer.email)
    await form.getByLabel('Password', { exact: true }).fill(customer.password)
    await form.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL((u) => u.pathname === '/', { timeout: 15_000 })
    await visible(heading('Dashboard'))
    await hasText(page.getByTestId('balance-amount'), '$0.00')
    const link = await until(() => verificationLink(stack.logPath, customer.email), 'no verification link in the runner log')
    assert.equal((await fetch(link)).status, 200, `opening ${link}`)
    await page.getByRole('button', { name: "I've verified my email" }).click()
    await until(async () => (await page.getByText('Verify your email address').count()) === 0, 'the banner is still shown')
  })

  step('$0 → deploy → top up from the deploy page → back on it with every choice kept', async () => {
    await page.goto('/deploy')
    await visible(heading('Deploy a server'))
    const pick = async (group) => {
      const radios = page.getByRole('radiogroup', { name: group })
      await visible(radios.getByRole('radio'))
      const r = radios.getByRole('radio').and(page.locator(':not([disabled])')).first()
      const label = await r.getAttribute('aria-label')
      await r.click()
      return label
    }
    const location = await pick('Location')
    const plan = await pick('Plan')
    await pick('Operating system')
    await page.getByLabel('Hostname').fill(hostname)

    const need = page.getByTestId('funds-needed')
    await hasText(need, /You need \$\d+\.\d\d more/)
    assert.equal(await page.getByRole('button', { name: 'Deploy server' }).isDisabled(), true, 'deploy waits for funds')
    await shots.take(page, 'deploy-needs-funds')
    await need.getByRole('button', { name: 'Add funds' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add funds' })
    await visible(dialog)
    await dialog.getByRole('button', { name: 'Continue to PayPal' }).click()
    await page.waitForURL(/\/checkoutnow\?token=/, { timeout: 15_000 })
    await page.getByRole('button', { name: 'Pay with PayPal (simulated)' }).click()

    // Back where the customer started, not on /billing.
    await page.waitForURL((u) => u.origin === stack.baseURL && u.pathname === '/deploy', { timeout: 15_000 })
    await visible(page.getByText('Payment received'), 20_000)
    await until(() => new URL(page.url()).search === '', 'the return URL is cleaned so a reload cannot capture twice')
    await visible(heading('Summary'))
    assert.equal(await page.getByLabel('Hostname').inputValue(), hostname, 'the hostname typed before paying is kept')
    const review = page.locator('dl')
    for (const want of [location, plan, hostname]) await hasText(review, want)
    await until(async () => (await page.getByTestId('funds-needed').count()) === 0, 'the missing-funds notice goes once the balance covers the order', 20_000)
    await shots.take(page, 'deploy-back-from-paypal')
    await page.getByRole('button', { name: 'Deploy server' }).click()
    await visible(page.getByText(`${serverName} is on its way`), 20_000)
    await page.getByRole('link', { name: `Go to ${serverName}` }).click()
    await page.waitForURL(/\/servers\/\d+$/)
    serverPath = new URL(page.url()).pathname
    await hasText(page.getByTestId('server-status').first(), 'Running', 90_000)
  }, 180_000)

  step('refuses a power action confirmed offline, with a message, and never sends it later', async () => {
    await tab('Power').click()
    await page.waitForURL((u) => u.pathname === `${serverPath}/power`)
    const trigger = page.getByRole('tabpanel').getByRole('button', { name: 'Power off', exact: true })
    await until(() => trigger.isEnabled(), '"Power off" becomes enabled', 20_000)
    await trigger.click()
    const dialog = page.getByRole('alertdialog', { name: `Power off ${serverName}?` })
    await visible(dialog)
    await context.setOffline(true)
    await visible(page.getByText(/You're offline\. Actions that change your servers/))
    const before = apiRequests.length
    await dialog.getByRole('button', { name: 'Power off server' }).click()
    await visible(page.getByText("You're offline, so nothing was sent. Reconnect and try again."))
    await shots.take(page, 'offline-power-refused')
    await context.setOffline(false)
    await until(async () => (await page.getByText(/You're offline\. Actions that change/).count()) === 0, 'the offline banner goes when back online')
    await page.waitForTimeout(3000)
    const powered = apiRequests.slice(before).filter((r) => r.startsWith('POST') && r.endsWith('/power'))
    assert.deepEqual(powered, [], 'no power request was sent, then or after reconnecting')
    await hasText(page.getByTestId('server-status').first(), 'Running')
  })

  step('every customer page: axe, widths, tap targets, screenshots at 1440 and 360 px', async () => {
    await audit('/', 'dashboard')
    await audit('/servers', 'servers')
    for (const t of ['', 'power', 'console', 'metrics', 'reinstall', 'settings', 'backups', 'activity'])
      await audit(t ? `${serverPath}/${t}` : serverPath, `server-${t || 'overview'}`)
    await audit('/deploy', 'deploy')
    await audit('/billing', 'billing')
    for (const t of ['', 'ssh-keys', 'security', 'sessions', 'notifications', 'activity']) await audit(t ? `/account/${t}` : '/account', `account-${t || 'profile'}`)
    await audit('/status', 'status')
    await audit('/does-not-exist', 'not-found')
  }, 900_000)

  step('every page signed out and every admin page: axe, widths, tap targets, screenshots', async () => {
    await signOut()
    await audit('/login', 'login')
    await audit('/register', 'register')
    await audit('/forgot-password', 'forgot-password')
    await signIn(ADMIN)
    await audit('/admin', 'admin-overview')
    for (const p of ['servers', 'payments', 'tickets', 'coupons', 'settings', 'audit']) await audit(`/admin/${p}`, `admin-${p}`)
    await audit('/admin/users', 'admin-users')
    await page.goto('/admin/users')
    const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: customer.email })
    await visible(row, 15_000)
    await row.getByRole('link', { name: customer.name }).click()
    await page.waitForURL(/\/admin\/users\//)
    await audit(new URL(page.url()).pathname, 'admin-user')
    await audit('/admin/packages', 'admin-packages')
    await audit('/admin/notifications', 'admin-notifications')
    await audit('/admin/status', 'admin-status')
  }, 600_000)

  step('found no serious or critical axe violation, no overflow at 360 px and no small tap target', async () => {
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}`)
  })
})
