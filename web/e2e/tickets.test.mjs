// End-to-end: the demo customer opens a support ticket about their server,
// the demo admin drafts a reply with AI (the Gemini simulator), edits and
// sends it, the customer sees it, gets the mail (Mailpit) and closes the
// ticket. Runs against build/local-runner in Debian's chromium.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, until, visible } from './browser.mjs'
import { mailTo, startStack, tail } from './stack.mjs'

const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }
const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }
const subject = `Disk full ${Date.now().toString(36)}`

describe('support tickets in a browser', { timeout: 300_000 }, () => {
  let stack, browser, context, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []
  let ticketPath = ''

  /** step is one part of the flow; once a step fails the rest are skipped with the reason. */
  const step = (name, fn, timeout = 60_000) =>
    it(name, { timeout }, async (t) => {
      if (broken) return t.skip('an earlier step failed')
      try {
        await fn()
        const toasts = page.locator('[data-sonner-toast][data-type="error"]')
        if (await toasts.count()) assert.fail(`error toast on screen: ${await toasts.first().innerText()}`)
        assert.deepEqual(pageErrors, [], 'uncaught errors in the page')
        assert.deepEqual(serverErrors, [], 'API requests that failed with 5xx')
      } catch (err) {
        broken = true
        if (page) await shots.take(page, `FAILED-tickets-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {})
        throw err
      }
    })

  const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name })
  const heading = (name) => page.getByRole('heading', { name, exact: true })

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
    // The demo customer comes with a running server to open the ticket about.
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
  })

  step('the customer opens a ticket about their server', async () => {
    await signIn(DEMO)
    await nav('Support').click()
    await visible(heading('Support'))
    await page.getByRole('button', { name: 'New ticket' }).click()
    const form = page.getByRole('form', { name: 'New ticket' })
    await form.getByLabel('Subject').fill(subject)
    await form.getByLabel('Priority').selectOption('high')
    const server = form.getByLabel('Server')
    await until(async () => (await server.locator('option').count()) > 1, 'no server to pick')
    await server.selectOption({ index: 1 })
    await form.getByLabel('Message').fill('The disk of my server is **full**. <b>help</b>')
    await form.getByRole('button', { name: 'Open ticket' }).click()
    await page.waitForURL(/\/support\/t_/)
    ticketPath = new URL(page.url()).pathname
    await visible(heading(subject))
    const thread = page.getByRole('list', { name: 'Messages' })
    await hasText(thread, '<b>help</b>')
    assert.equal(await thread.locator('b').count(), 0, 'raw HTML was rendered')
    await shots.take(page, 'ticket-opened')
  })

  step('the admin drafts with AI, edits and replies', async () => {
    await signOut()
    await signIn(ADMIN)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin console' }).click()
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Tickets', exact: true }).click()
    await visible(heading('Tickets'))
    const row = page.getByRole('list', { name: 'Tickets' }).getByRole('link').filter({ hasText: subject })
    await visible(row)
    await hasText(row, '(unread)')
    await row.click()
    await visible(heading(subject))
    // The customer's context is beside the thread.
    await visible(page.getByRole('region', { name: 'Servers' }).getByRole('listitem').first())
    await page.getByRole('button', { name: 'Draft with AI' }).click()
    const box = page.getByLabel('Reply', { exact: true })
    await until(async () => (await box.inputValue()).includes(subject), 'the AI draft did not fill the reply box')
    await box.fill((await box.inputValue()) + '\n\nP.S. I have doubled your disk.')
    await shots.take(page, 'ticket-ai-draft')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await hasText(page.getByRole('list', { name: 'Messages' }), 'I have doubled your disk.')
  })

  step('the customer sees the reply, gets the mail and closes the ticket', async () => {
    await signOut()
    await signIn(DEMO)
    await hasText(nav('Support'), /1\s+unread/)
    const mail = await mailTo(stack, DEMO.email, new RegExp(`New reply to your ticket: ${subject}`))
    assert.match(mail.Text, /I have doubled your disk\./)
    assert.match(mail.Text, new RegExp(ticketPath))
    await page.goto(ticketPath)
    await hasText(page.getByRole('list', { name: 'Messages' }), 'I have doubled your disk.')
    await page.getByRole('button', { name: 'Close ticket' }).click()
    await visible(page.getByRole('button', { name: 'Reopen ticket' }))
    await mailTo(stack, DEMO.email, new RegExp(`Ticket closed: ${subject}`))
    await shots.take(page, 'ticket-closed')
  })
})
