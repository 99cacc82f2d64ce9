// End-to-end: a new customer signs up, tops up through the PayPal simulator,
// deploys a server, powers it off and on, opens its console and metrics,
// reinstalls and deletes it; then the demo admin opens the users page.
// Everything runs against build/local-runner (DynamoDB Local + simulators)
// in Debian's chromium. Run with `make e2e` from the repository root.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, until, visible } from './browser.mjs'
import { mailTo, startStack, tail, verificationLink } from './stack.mjs'

const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }
const run = Date.now().toString(36)
const customer = { name: 'Erin Tester', email: `erin-${run}@example.com`, password: 'correct-horse-battery-9' }
const serverName = `e2e-${run}`
const hostname = `${serverName}.example.com`

/** totp is the RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret at time step `step`. */
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', key).update(counter).digest()
  const o = mac[mac.length - 1] & 0xf
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}
const timeStep = () => Math.floor(Date.now() / 30_000)

describe('vfpanel in a browser', { timeout: 330_000 }, () => {
  let stack, browser, context, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []
  let serverPath = ''
  let firstPassword = ''

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
  const heading = (name) => page.getByRole('heading', { name, exact: true })
  const status = () => page.getByTestId('server-status').first()
  const tab = (name) => page.getByRole('tab', { name, exact: true })

  before(async () => {
    stack = await startStack()
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

  step('signs up a new customer', async () => {
    await page.goto('/register')
    await visible(heading('Create your account'))
    await shots.take(page, 'register')
    const form = page.getByRole('form', { name: 'Create account' })
    await form.getByLabel('Full name').fill(customer.name)
    await form.getByLabel('Email').fill(customer.email)
    await form.getByLabel('Password', { exact: true }).fill(customer.password)
    await form.getByRole('button', { name: 'Create account' }).click()

    await page.waitForURL((u) => u.pathname === '/', { timeout: 15_000 })
    await visible(heading('Dashboard'))
    await visible(page.getByText('Welcome, Erin.')) // a new account: "Welcome back" is for returning customers
    await hasText(page.getByTestId('balance-amount'), '$0.00')
    await visible(page.getByRole('button', { name: `Account menu for ${customer.name}` }))
    await visible(page.getByText('No servers yet').or(page.getByText(/no servers/i)))
    await shots.take(page, 'dashboard-new-customer')
  })

  step('verifies the email through the link the Auth0 simulator sent', async () => {
    // A new signup is unverified, and top-ups and orders wait for a verified email.
    await visible(page.getByText('Verify your email address'))
    const link = await until(() => verificationLink(stack.logPath, customer.email), 'no verification link in the runner log')
    const res = await fetch(link)
    assert.equal(res.status, 200, `opening ${link}`)
    await page.getByRole('button', { name: "I've verified my email" }).click()
    await until(async () => (await page.getByText('Verify your email address').count()) === 0, 'the banner is still shown')
  })

  step('tops up $25 through the PayPal simulator', async () => {
    await nav('Billing').click()
    await visible(heading('Billing'))
    await visible(page.getByText('No transactions yet'))
    await shots.take(page, 'billing-empty')

    await page.getByRole('button', { name: 'Add funds' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add funds' })
    await visible(dialog)
    await dialog.getByLabel('Custom amount (USD)').fill('25')
    await shots.take(page, 'billing-topup-dialog')
    await dialog.getByRole('button', { name: 'Continue to PayPal' }).click()

    await page.waitForURL(/\/checkoutnow\?token=/, { timeout: 15_000 })
    await visible(page.getByRole('heading', { name: 'PayPal (simulated)' }))
    await hasText(page.locator('body'), /Amount:\s*25\.00 USD/)
    await shots.take(page, 'paypal-approval')
    await page.getByRole('button', { name: 'Pay with PayPal (simulated)' }).click()

    await page.waitForURL((u) => u.origin === stack.baseURL && u.pathname === '/billing', { timeout: 15_000 })
    await visible(page.getByRole('alert').filter({ hasText: 'Payment received' }), 20_000)
    await hasText(page.getByTestId('balance-amount'), '$25.00')
    const row = page.getByRole('table', { name: 'Transactions' }).getByRole('row').filter({ hasText: 'Top-up' })
    await visible(row, 15_000)
    await hasText(row, '+$25.00')
    // The capture cleaned the URL, so a reload can't capture twice.
    assert.equal(new URL(page.url()).search, '')
    await shots.take(page, 'billing-after-topup')
  })

  step('deploys a server from the one deploy page', async () => {
    await nav('Deploy').click()
    await visible(heading('Deploy a server'))

    const locations = page.getByRole('radiogroup', { name: 'Location' })
    await visible(locations.getByRole('radio'))
    const location = locations.getByRole('radio').and(page.locator(':not([disabled])')).first()
    const locationName = await location.getAttribute('aria-label')
    await location.click()

    const plans = page.getByRole('radiogroup', { name: 'Plan' })
    await visible(plans.getByRole('radio'))
    const plan = plans.getByRole('radio').and(page.locator(':not([disabled])')).first()
    const planName = await plan.getAttribute('aria-label')
    await plan.click()

    const oses = page.getByRole('radiogroup', { name: 'Operating system' })
    await visible(oses.getByRole('radio'))
    const os = oses.getByRole('radio').first()
    const osName = await os.getAttribute('aria-label')
    await os.click()
    await shots.take(page, 'deploy-choices')

    await page.getByLabel('Hostname').fill(hostname)
    // SSH keys are optional: a new customer has none and signs in with the root password.
    await visible(page.getByText('No SSH keys saved.'))

    const summary = page.locator('dl')
    for (const want of [locationName, planName, hostname, 'None (root password)']) await hasText(summary, want)
    assert.ok(osName, 'the OS card has a name')
    await hasText(page.getByTestId('cost-hourly'), /^\$\d+\.\d{2,4} an hour/)
    await shots.take(page, 'deploy-review')
    await page.getByRole('button', { name: 'Deploy server' }).click()

    await visible(page.getByText(`${serverName} is on its way`), 20_000)
    await visible(page.getByTestId('secret-reveal'))
    firstPassword = (await page.getByLabel('Root password', { exact: true }).innerText()).trim()
    assert.match(firstPassword, /^\S{12,}$/, 'a root password is shown once')
    await visible(page.getByText('It is shown only once.'))
    await shots.take(page, 'deploy-done-password')
    await page.getByRole('link', { name: `Go to ${serverName}` }).click()
    await page.waitForURL(/\/servers\/\d+$/)
    serverPath = new URL(page.url()).pathname
  })

  step('mails the welcome and the order-built message (read through Mailpit)', async () => {
    const welcome = await mailTo(stack, customer.email, /^Welcome to /)
    assert.match(welcome.Text, /Your account is ready/)
    const built = await mailTo(stack, customer.email, new RegExp(`^Your server ${serverName} is ready$`))
    assert.match(built.Text, /IP address: \S+/)
    assert.ok(built.Text.includes(`/servers/`), 'the mail links to the server')
    assert.ok(!built.Text.includes(firstPassword) && !built.HTML.includes(firstPassword), 'the root password is never mailed')
  })

  step('watches the server build until it runs', async () => {
    await visible(page.getByRole('heading', { name: serverName, level: 1 }))
    await hasText(status(), /Building|Running/)
    if (/Building/.test(await status().innerText())) {
      await visible(page.getByTestId('build-banner'))
      await shots.take(page, 'server-building')
    }
    await hasText(status(), 'Running', 60_000)
    await hasText(page.locator('main'), hostname)
    assert.equal(await page.getByTestId('build-banner').count(), 0, 'the build banner is gone once built')
    await shots.take(page, 'server-running')

    // The list shows it too.
    await nav('Servers').click()
    // A row's link is the server's name and hostname; its state sits beside it.
    const row = page.getByRole('list', { name: 'Servers' }).getByRole('listitem').filter({ hasText: hostname })
    await visible(row)
    await hasText(row, 'Running')
    await shots.take(page, 'servers-list')
    await row.getByRole('link', { name: new RegExp(serverName) }).click()
    await page.waitForURL((u) => u.pathname === serverPath)
  })

  /** power runs one power action through its confirmation and follows the task. */
  async function power(button, confirm, doing, done, after) {
    await tab('Power').click()
    await page.waitForURL((u) => u.pathname === `${serverPath}/power`)
    const trigger = page.getByRole('tabpanel').getByRole('button', { name: button, exact: true })
    await until(() => trigger.isEnabled(), `"${button}" becomes enabled`, 20_000)
    await trigger.click()
    const dialog = page.getByRole('alertdialog', { name: `${button} ${serverName}?` })
    await visible(dialog)
    await shots.take(page, `power-confirm-${button.toLowerCase().replace(/\W+/g, '-')}`)
    await dialog.getByRole('button', { name: confirm }).click()
    const task = page.getByTestId('task-progress')
    await visible(task)
    // The task is either still under way or already finished (power tasks are short here).
    await hasText(task, new RegExp(`${doing}…|${done} complete`))
    await hasText(task, `${done} complete`, 30_000)
    await hasText(status(), after, 30_000)
    await hasText(page.getByRole('tabpanel'), `${serverName} is ${after.toLowerCase()}.`)
    await shots.take(page, `power-${after.toLowerCase()}`)
  }

  step('powers the server off and on again', async () => {
    await power('Power off', 'Power off server', 'Powering off', 'Power off', 'Stopped')
    await power('Boot', 'Boot server', 'Booting', 'Boot', 'Running')
  })

  step('opens the noVNC console', async () => {
    await tab('Console').click()
    await page.waitForURL((u) => u.pathname === `${serverPath}/console`)
    const panel = page.getByRole('tabpanel')
    await visible(panel.getByText('Press Connect to open the console.'))
    await panel.getByRole('button', { name: 'Connect' }).click()
    await hasText(panel.getByText(/^(Connected|Connecting…|Not connected)$/), 'Connected', 20_000)
    const screen = page.getByRole('application', { name: `Console of ${serverName}` })
    const canvas = screen.locator('canvas')
    await visible(canvas)
    const size = await canvas.evaluate((c) => ({ w: c.width, h: c.height }))
    assert.ok(size.w > 0 && size.h > 0, `the canvas has a framebuffer (${size.w}x${size.h})`)
    // Wait until the server's first frame is drawn (not all black/transparent).
    await until(
      () =>
        canvas.evaluate((c) => {
          const ctx = c.getContext('2d')
          const d = ctx.getImageData(0, 0, c.width, c.height).data
          for (let i = 0; i < d.length; i += 4 * 97) if (d[i] + d[i + 1] + d[i + 2] > 30) return true
          return false
        }),
      'the console canvas shows a picture',
      15_000,
    )
    await visible(panel.getByRole('button', { name: 'Send Ctrl-Alt-Del' }))
    await shots.take(page, 'console-connected')
    await panel.getByRole('button', { name: 'Disconnect' }).click()
    await hasText(panel.getByText(/^(Connected|Connecting…|Not connected)$/), 'Not connected')
  })

  step('shows metrics charts', async () => {
    await tab('Metrics').click()
    await page.waitForURL((u) => u.pathname === `${serverPath}/metrics`)
    const panel = page.getByRole('tabpanel')
    await visible(panel.getByText('Traffic this period'))
    for (const title of ['CPU', 'Memory', 'Disk I/O']) await visible(panel.getByText(title, { exact: true }))
    await until(async () => (await panel.locator('svg.recharts-surface').count()) >= 3, 'three charts render', 20_000)
    // A sample arrived: the CPU figure is a percentage, not a placeholder.
    await hasText(panel.locator('[data-slot="card-header"]').filter({ hasText: 'CPU' }), /\d+(\.\d)?%/, 20_000)
    // A second sample (polled every 5 s) turns the dots into lines.
    await until(
      async () => /[LC]/.test((await panel.locator('path.recharts-area-curve').first().getAttribute('d', { timeout: 1000 })) ?? ''),
      'the CPU chart draws a line from two samples',
      20_000,
    )
    await shots.take(page, 'metrics')
  })

  step('reinstalls after typing the name, showing a new password', async () => {
    await tab('Reinstall').click()
    await page.waitForURL((u) => u.pathname === `${serverPath}/reinstall`)
    const form = page.getByRole('form', { name: 'Reinstall server' })
    const oses = form.getByRole('radiogroup', { name: 'Operating system' })
    await visible(oses.getByRole('radio'))
    await oses.getByRole('radio').nth(1).click()
    const submit = form.getByRole('button', { name: `Reinstall ${serverName}` })
    assert.equal(await submit.isDisabled(), true, 'reinstall stays disabled until the name is typed')
    await page.getByTestId('reinstall-confirm').fill(serverName)
    await until(() => submit.isEnabled(), 'reinstall enables once the name matches')
    await shots.take(page, 'reinstall-form')
    await submit.click()

    await visible(page.getByText('Reinstall in progress'), 20_000)
    const pw = (await page.getByLabel('Root password', { exact: true }).innerText()).trim()
    assert.match(pw, /^\S{12,}$/)
    assert.notEqual(pw, firstPassword, 'the reinstall sets a new password')
    await visible(page.getByTestId('task-progress'))
    await shots.take(page, 'reinstall-started')
    await hasText(page.getByTestId('task-progress'), 'Reinstall complete', 60_000)
    await hasText(status(), 'Running', 60_000)
    await shots.take(page, 'reinstall-complete')
    await page.getByRole('button', { name: "I've saved the password" }).click()
  })

  step('deletes the server after typing its name', async () => {
    await tab('Settings').click()
    await page.waitForURL((u) => u.pathname === `${serverPath}/settings`)
    const input = page.getByLabel(`Type ${serverName} to confirm`)
    const del = page.getByRole('button', { name: 'Delete server', exact: true })
    assert.equal(await del.isDisabled(), true, 'delete stays disabled until the name is typed')
    await input.fill(serverName)
    await until(() => del.isEnabled(), 'delete enables once the name matches')
    await del.click()
    const dialog = page.getByRole('alertdialog', { name: `Delete ${serverName}?` })
    await visible(dialog)
    await shots.take(page, 'delete-confirm')
    await dialog.getByRole('button', { name: 'Delete forever' }).click()

    await page.waitForURL((u) => u.pathname === '/servers', { timeout: 15_000 })
    await visible(page.getByText(`${serverName} is being deleted`))
    // The list refreshes by itself until the server is gone.
    await until(
      async () => (await page.getByRole('link', { name: new RegExp(serverName) }).count()) === 0,
      `${serverName} disappears from the server list`,
      60_000,
    )
    await visible(page.getByText('No servers yet'), 15_000)
    await shots.take(page, 'servers-after-delete')
    await nav('Billing').click()
    await visible(page.getByRole('table', { name: 'Transactions' }))
    await shots.take(page, 'billing-after-delete')
  })

  step('signs out and the demo admin opens the users page', async () => {
    await page.getByRole('button', { name: `Account menu for ${customer.name}` }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    await visible(page.getByRole('form', { name: 'Sign in' }))
    await shots.take(page, 'login')

    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(ADMIN.email)
    await form.getByLabel('Password', { exact: true }).fill(ADMIN.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await visible(heading('Dashboard'))

    const admin = page.getByRole('list', { name: 'Admin' })
    await admin.getByRole('link', { name: 'Admin console', exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin')
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users', exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/admin/users')
    await visible(heading('Users'))
    const table = page.getByRole('table', { name: 'Users' })
    const row = table.getByRole('row').filter({ hasText: customer.email })
    await visible(row, 15_000)
    await hasText(row, customer.name)
    await visible(table.getByRole('row').filter({ hasText: ADMIN.email }))
    await shots.take(page, 'admin-users')

    await row.getByRole('link', { name: customer.name }).click()
    await page.waitForURL(/\/admin\/users\//)
    await visible(page.getByRole('heading', { name: customer.name, level: 1 }))
    await hasText(page.locator('main'), customer.email)
    // The deleted server stays listed from its billing record; the ledger has the top-up.
    const gone = page.getByRole('list', { name: `Servers of ${customer.name}` }).getByRole('listitem').filter({ hasText: serverName })
    await visible(gone)
    await hasText(gone, 'Billing stopped')
    await visible(page.getByRole('table', { name: 'Ledger' }).getByRole('row').filter({ hasText: '+$25.00' }))
    await shots.take(page, 'admin-user')
  })

  step('enrols an authenticator app and signs in again with a code', async () => {
    await page.getByRole('button', { name: /^Account menu for / }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    let form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(customer.email)
    await form.getByLabel('Password', { exact: true }).fill(customer.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await visible(heading('Dashboard'))

    await page.goto('/account/security')
    await page.getByLabel('Current password').fill(customer.password)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
    await visible(page.getByRole('img', { name: 'QR code for your authenticator app' }))
    const secret = (await page.getByText('Key:').locator('code').innerText()).trim()
    await shots.take(page, 'mfa-enrol')
    const enrolStep = timeStep()
    await page.getByLabel('Code from your app').fill(totp(secret, enrolStep))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await visible(page.getByRole('list', { name: 'Authenticators' }).getByText('Authenticator app'))

    await page.getByRole('button', { name: `Account menu for ${customer.name}` }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(customer.email)
    await form.getByLabel('Password', { exact: true }).fill(customer.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    const mfa = page.getByRole('form', { name: 'Two-factor authentication' })
    await visible(mfa)
    // A code is accepted once: use the next time step if the enrolment used this one.
    await mfa.getByLabel('Authentication code').fill(totp(secret, Math.max(timeStep(), enrolStep + 1)))
    await shots.take(page, 'mfa-sign-in')
    await mfa.getByRole('button', { name: 'Verify' }).click()
    await visible(heading('Dashboard'))
  })
})
