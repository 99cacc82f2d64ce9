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
