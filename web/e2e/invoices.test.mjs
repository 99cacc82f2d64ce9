// End-to-end (issue 20, items 9 and 10): the admin sets the company's legal
// name, address and tax id; the demo customer saves a billing address on the
// account page, downloads an invoice PDF from the billing page and the PDF's
// text (streams inflated, text operators read) has the company, a sequential
// invoice number and one line per server with its hours; the transactions
// list shows a day's hourly charges of a server as one row; the admin
// console's front page shows non-empty figures.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { after, before, describe, it } from 'node:test'
import { hasText, launch, Shots, until, visible } from './browser.mjs'
import { startStack, tail } from './stack.mjs'

const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }
const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }
const COMPANY = { legalName: 'Demo Hosting Ltd', postalAddress: '1 Harbour Road\nBristol BS1 4XX', taxId: 'GB123456789' }

/** pdfText returns the text a PDF draws: every (zlib) stream inflated, the strings of its Tj operators joined by lines. */
function pdfText(pdf) {
  const raw = pdf.toString('latin1')
  const parts = []
  const re = /stream\r?\n/g
  let m
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length
    const end = raw.indexOf('endstream', start)
    if (end < 0) break
    try {
      parts.push(inflateSync(pdf.subarray(start, end)).toString('latin1'))
    } catch {
      // not a compressed stream (fonts, images): nothing to read
    }
    re.lastIndex = end
  }
  const lines = []
  for (const content of parts)
    for (const t of content.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) lines.push(t[1].replace(/\\([()\\])/g, '$1'))
  return lines.join('\n')
}

describe('invoices and the admin overview in a browser', { timeout: 600_000 }, () => {
  let stack, browser, context, page, shots
  let broken = false
  const pageErrors = []
  const serverErrors = []
  let server

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

  async function signIn(who) {
    await context.clearCookies()
    const res = await page.request.post('/api/auth/login', { data: who })
    assert.equal(res.status(), 200, `sign-in of ${who.email}: ${await res.text()}`)
    return (await res.json()).csrfToken
  }

  before(async () => {
    stack = await startStack({ demo: true })
    shots = new Shots()
    browser = await launch()
    context = await browser.newContext({ baseURL: stack.baseURL, viewport: { width: 1280, height: 900 }, colorScheme: 'dark', acceptDownloads: true })
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

  step('the admin sets the company on invoices', async () => {
    const csrf = await signIn(ADMIN)
    const cur = await (await page.request.get('/api/admin/settings')).json()
    const res = await page.request.put('/api/admin/settings', { data: { ...cur.settings, ...COMPANY }, headers: { 'X-CSRF-Token': csrf } })
    assert.equal(res.status(), 200, await res.text())
  })

  step('the demo customer saves a billing address on the account page', async () => {
    await signIn(DEMO)
    server = await until(
      async () => (await (await page.request.get('/api/servers')).json()).servers.find((s) => s.power === 'running'),
      'the demo server never ran',
      120_000,
      2000,
    )
    await page.goto('/account')
    const form = page.getByRole('form', { name: 'Billing address' })
    await form.getByLabel('Company').fill('Demo Customer GmbH')
    await form.getByLabel('Address').fill('Hauptstrasse 5\n10115 Berlin')
    await form.getByLabel('Tax ID').fill('DE999999999')
    await form.getByRole('button', { name: 'Save billing address' }).click()
    await visible(page.getByText('Billing address saved'))
  }, 240_000)

  step('transactions show a server day as one row', async () => {
    const list = await (await page.request.get('/api/billing/transactions?group=day&limit=100')).json()
    const rows = list.items.filter((t) => t.type === 'charge' && t.ref === `server:${server.id}`)
    assert.ok(rows.length > 0, `no charge row for server ${server.id}: ${JSON.stringify(list.items)}`)
    const days = rows.map((r) => r.createdAt.slice(0, 10))
    assert.equal(new Set(days).size, days.length, `one row per server per day: ${days}`)
    assert.match(rows[0].description, /: \d+ hours?\b/)
    await page.goto('/billing')
    await visible(page.getByRole('table', { name: 'Transactions' }).getByText(rows[0].description))
  })

  step('the invoice PDF has the company, a number and a line per server', async () => {
    const invoices = page.getByRole('table', { name: 'Invoices' })
    const link = invoices.getByRole('link', { name: /^PDF invoice for / }).first()
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const text = pdfText(readFileSync(await download.path()))
    for (const want of [COMPANY.legalName, '1 Harbour Road', `Tax ID: ${COMPANY.taxId}`, 'Demo Customer GmbH', '10115 Berlin'])
      assert.ok(text.includes(want), `the PDF lacks ${want}:\n${text}`)
    assert.match(text, /Invoice INV-\d{6}/)
    const line = new RegExp(`^${server.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(server ${server.id}\\)$`, 'm')
    assert.match(text, line, `no line for ${server.name}:\n${text}`)
    // The line is followed by its hours (a whole number) and amount, not one row per hour.
    const after = text.split('\n')
    const i = after.findIndex((l) => line.test(l))
    assert.match(after[i + 1], /^\d+$/, `hours after the server line: ${after.slice(i, i + 3)}`)
    assert.match(after[i + 2], /^-?\d+\.\d\d USD$/)
    // Downloading again keeps the number.
    const number = text.match(/INV-\d{6}/)[0]
    const again = await page.request.get((await link.getAttribute('href')) ?? '')
    assert.ok(pdfText(await again.body()).includes(number), 'the second download has another number')
  })

  step('the admin overview shows figures', async () => {
    await signIn(ADMIN)
    await page.goto('/admin')
    const figures = page.getByRole('region', { name: 'Figures' })
    await visible(figures)
    await hasText(figures.getByRole('link', { name: /^Users/ }), /Users\s*[1-9]\d*/)
    await hasText(figures, /Revenue, \w+ \d{4}\s*\$\d[\d,]*\.\d\d/)
    await hasText(figures, /Open tickets\s*\d+/)
    await hasText(figures, /Failed builds\s*\d+/)
    await hasText(figures, /Failed payments\s*\d+/)
    await shots.take(page, 'admin-overview')
  })
})
