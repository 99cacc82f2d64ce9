// browser.mjs: Debian's chromium through playwright-core (no downloaded
// browser), plus small bounded-wait helpers, since playwright-core has no expect.
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumPath } from './stack.mjs'

export const screenshotDir = resolve(dirname(fileURLToPath(import.meta.url)), '../e2e-screenshots')

/** launch starts headless chromium with the flags a container needs. */
export function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/** until polls fn until it returns a truthy value, or fails with message after timeoutMs. */
export async function until(fn, message, timeoutMs = 15_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      const why = typeof message === 'function' ? await message().catch((e) => String(e)) : message
      throw new Error(`timed out after ${timeoutMs / 1000}s: ${why}${last ? ` (last error: ${last.message ?? last})` : ''}`)
    }
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** visible waits until the locator is visible and returns it. */
export async function visible(locator, timeoutMs = 15_000) {
  await locator.first().waitFor({ state: 'visible', timeout: timeoutMs })
  return locator
}

/** hasText waits until the locator's text matches re (a RegExp or a substring). */
export async function hasText(locator, re, timeoutMs = 15_000) {
  const test = (s) => (re instanceof RegExp ? re.test(s) : s.includes(re))
  let text = ''
  await until(
    async () => {
      text = (await locator.first().innerText({ timeout: 1000 })).trim()
      return test(text)
    },
    () => Promise.resolve(`expected ${locator} to show ${re}, it shows ${JSON.stringify(text)}`),
    timeoutMs,
  )
  return text
}

/**
 * Shots saves numbered full-page screenshots into e2e-screenshots/. Each test file passes its own
 * prefix (files run side by side): only that prefix's old screenshots are removed first.
 */
export class Shots {
  constructor(prefix = '') {
    mkdirSync(screenshotDir, { recursive: true })
    const mine = (f) => f.endsWith('.png') && (prefix ? f.startsWith(`${prefix}-`) : /^\d/.test(f) || f.startsWith('FAILED'))
    for (const f of readdirSync(screenshotDir)) if (mine(f)) rmSync(join(screenshotDir, f))
    this.prefix = prefix ? `${prefix}-` : ''
    this.n = 0
    this.files = []
  }

  async take(page, name) {
    await noHorizontalOverflow(page, name)
    // Sticky bars drawn at a scroll offset garble full-page captures: start at the top.
    await page.evaluate(() => window.scrollTo(0, 0))
    const file = join(screenshotDir, `${this.prefix}${String(++this.n).padStart(2, '0')}-${name}.png`)
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
    this.files.push(file)
    return file
  }
}

/** noHorizontalOverflow fails when the page is wider than the window, naming the widest offenders. */
export async function noHorizontalOverflow(page, name) {
  const r = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    if (document.documentElement.scrollWidth <= width) return null
    const offenders = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.closest('[data-sonner-toaster]') === null)
      .slice(-5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 4).join('.')} (right ${Math.round(el.getBoundingClientRect().right)})`)
    return { width, scrollWidth: document.documentElement.scrollWidth, offenders }
  })
  if (r) throw new Error(`${name}: the page is ${r.scrollWidth}px wide in a ${r.width}px window; overflowing: ${r.offenders.join(', ')}`)
}

/**
 * browserFlow is the shared frame of a browser test (issue 19, fw): open() starts chromium on a stack
 * and records page errors and 5xx API answers; step() is one part of the flow, skipped once an
 * earlier one failed, and fails on an error toast, a page error or a 5xx; signIn(); axe() returns
 * axe-core's serious and critical violations; close() ends it all.
 */
export function browserFlow(it, prefix) {
  const f = { page: null, shots: null, broken: false, pageErrors: [], serverErrors: [] }
  let browser
  f.open = async (stack, viewport = { width: 1366, height: 900 }) => {
    f.shots = new Shots(prefix)
    browser = await launch()
    // bypassCSP: axe-core's source is injected into the page as an inline script.
    const context = await browser.newContext({ baseURL: stack.baseURL, viewport, colorScheme: 'dark', bypassCSP: true })
    context.setDefaultTimeout(15_000)
    f.page = await context.newPage()
    f.page.on('pageerror', (err) => f.pageErrors.push(String(err)))
    f.page.on('response', (res) => {
      if (res.url().startsWith(stack.baseURL + '/api/') && res.status() >= 500) f.serverErrors.push(`${res.status()} ${res.request().method()} ${res.url()}`)
    })
    return f.page
  }
  f.close = () => browser?.close().catch(() => {})
  f.noErrorsOnScreen = async () => {
    const toasts = f.page.locator('[data-sonner-toast][data-type="error"]')
    if (await toasts.count()) throw new Error(`error toast on screen: ${await toasts.first().innerText()}`)
    if (f.pageErrors.length) throw new Error(`uncaught errors in the page: ${f.pageErrors.join('; ')}`)
    if (f.serverErrors.length) throw new Error(`API requests that failed with 5xx: ${f.serverErrors.join('; ')}`)
  }
  f.step = (name, fn, timeout = 60_000) =>
    it(name, { timeout }, async (t) => {
      if (f.broken) return t.skip('an earlier step failed')
      try {
        await fn()
        await f.noErrorsOnScreen()
      } catch (err) {
        f.broken = true
        if (f.page) await f.shots.take(f.page, `FAILED-${name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => {})
        throw err
      }
    })
  f.signIn = async (email, password) => {
    const page = f.page
    await page.goto('/login')
    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Email').fill(email)
    await form.getByLabel('Password', { exact: true }).fill(password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((u) => u.pathname === '/' || u.pathname.startsWith('/admin'))
  }
  f.signOut = async () => {
    await f.page.context().clearCookies()
  }
  f.axe = async () => {
    const page = f.page
    if (!(await page.evaluate(() => 'axe' in window))) {
      const { createRequire } = await import('node:module')
      const { readFileSync } = await import('node:fs')
      await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') })
    }
    return page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] })
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
    })
  }
  return f
}
