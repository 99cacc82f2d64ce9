// End-to-end (issue 19): the administrator creates a promo code; the demo
// customer redeems it on a top-up through the PayPal simulator and sees the
// bonus in the ledger; then saves a PayPal account for auto top-up (vault
// approval in the simulator), sets a threshold above the balance and sees
// the local runner's jobs run (every minute, as EventBridge does hourly)
// fire the top-up. `node --test e2e/promo.test.mjs` from web/ after
// `npm run build` and `go build -o build/local-runner ./infra/local`.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { browserFlow, hasText, until, visible } from '../browser.mjs'
import { startStack, tail } from '../stack.mjs'

const DEMO = { email: 'demo@vfpanel.local', password: 'demo-Passw0rd!' }
const ADMIN = { email: 'admin@vfpanel.local', password: 'admin-Passw0rd!' }
const CODE = 'SPRING10'

const money = (s) => Number(s.replace(/[^0-9.-]/g, ''))

describe('promo codes and auto top-up in a browser', { timeout: 420_000 }, () => {
  let stack
  const f = browserFlow(it, 'promo')
  const { step } = f
  const page = () => f.page
  const nav = (name) => page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true })
  const transactions = () => page().getByRole('table', { name: 'Transactions' })

  before(async () => {
    stack = await startStack({ demo: true })
    await f.open(stack)
  })

  after(async () => {
    await f.close()
    if (f.broken && stack) console.error(`runner log (${stack.logPath}):\n${tail(stack.logPath, 60)}`)
    await stack?.stop({ keepData: f.broken })
  })

  step('the administrator creates a 10 % top-up code', async () => {
    await f.signIn(ADMIN.email, ADMIN.password)
    await page().goto('/admin/coupons')
    await visible(page().getByRole('heading', { name: 'Promo codes', level: 1 }))
    await page().getByLabel('Code', { exact: true }).fill(CODE)
    await page().getByLabel('Kind', { exact: true }).selectOption('topup_percent')
    await page().getByLabel('Percent', { exact: true }).fill('10')
    await page().getByRole('button', { name: 'Create code' }).click()
    await visible(page().getByText(`Promo code ${CODE} created.`))
    await visible(page().getByRole('table', { name: 'Promo codes' }).getByRole('row').filter({ hasText: CODE }))
    await f.shots.take(page(), 'admin-coupon-created')
    await f.signOut()
  })

  step('the demo customer tops up $20 with the code through the PayPal simulator and gets $2 more', async () => {
    await f.signIn(DEMO.email, DEMO.password)
    await nav('Billing').click()
    await visible(page().getByRole('heading', { name: 'Billing', level: 1 }))
    const before = money(await hasText(page().getByTestId('balance-amount'), /\$/))
    await page().getByRole('button', { name: 'Add funds' }).first().click()
    const dialog = page().getByRole('dialog', { name: 'Add funds' })
    await dialog.getByLabel('Custom amount (USD)').fill('20')
    await dialog.getByLabel('Promo code (optional)').fill(CODE)
    await dialog.getByLabel('Promo code (optional)').blur()
    await f.shots.take(page(), 'topup-with-code')
    await dialog.getByRole('button', { name: 'Continue to PayPal' }).click()
    await page().waitForURL(/\/checkoutnow\?token=/, { timeout: 15_000 })
    await hasText(page().locator('body'), /Amount:\s*20\.00 USD/)
    await page().getByRole('button', { name: 'Pay with PayPal (simulated)' }).click()
    await page().waitForURL((u) => u.origin === stack.baseURL && u.pathname === '/billing', { timeout: 15_000 })
    await visible(page().getByRole('alert').filter({ hasText: 'Payment received' }), 20_000)
    const bonus = transactions().getByRole('row').filter({ hasText: `Promo code ${CODE}` })
    await visible(bonus, 20_000)
    await hasText(bonus, '+$2.00')
    await hasText(transactions().getByRole('row').filter({ hasText: 'Top-up' }).first(), '+$20.00')
    // The hourly charge may take a cent meanwhile; the top-up and bonus are both in.
    await until(async () => money(await page().getByTestId('balance-amount').innerText()) >= before + 22 - 0.05, 'the balance lacks the top-up and bonus', 20_000)
    await f.shots.take(page(), 'ledger-with-bonus')
  })

  step('saves a PayPal account for auto top-up (vault approval in the simulator)', async () => {
    const card = page().getByText('Auto top-up', { exact: true }).locator('xpath=ancestor::*[@data-slot="card"][1]')
    await page().getByRole('button', { name: 'Save a PayPal account' }).click()
    await visible(page().getByRole('heading', { name: 'PayPal (simulated)' }))
    await f.shots.take(page(), 'paypal-vault-approval')
    await page().getByRole('button', { name: 'Agree and continue (simulated)' }).click()
    await page().waitForURL((u) => u.origin === stack.baseURL && u.pathname === '/billing', { timeout: 15_000 })
    await visible(page().getByText('PayPal account saved for auto top-up.'), 20_000)
    await visible(page().getByLabel('When the balance is below (USD)'))
    assert.ok(await card.count(), 'the auto top-up card is on the page')
  })

  step('a threshold above the balance: the jobs run tops up $10 and the credit shows', async () => {
    const balance = money(await page().getByTestId('balance-amount').innerText())
    const topupsBefore = await transactions().getByRole('row').filter({ hasText: 'Top-up' }).count()
    await page().getByLabel('When the balance is below (USD)').fill(String(Math.ceil(balance) + 50))
    await page().getByLabel('Top up by (USD)').fill('10')
    await page().getByRole('button', { name: 'Turn on auto top-up' }).click()
    await visible(page().getByText('Auto top-up is on.'))
    await f.shots.take(page(), 'auto-topup-on')
    // The runner runs the jobs function every minute; reload until its top-up is in the ledger.
    await until(
      async () => {
        await page().reload()
        await visible(transactions(), 15_000)
        const rows = transactions().getByRole('row').filter({ hasText: 'Top-up' })
        return (await rows.count()) > topupsBefore && (await rows.first().innerText()).includes('+$10.00')
      },
      'no auto top-up in the ledger',
      150_000,
      10_000,
    )
    assert.ok(money(await page().getByTestId('balance-amount').innerText()) >= balance + 10 - 0.05, 'the balance went up by the top-up')
    // The card's last-run line is written after the credit; reload until it shows.
    await until(
      async () => {
        await page().reload()
        return (await page().getByText(/· last run/).count()) > 0
      },
      'the auto top-up card shows no last run',
      75_000,
      5_000,
    )
    await f.shots.take(page(), 'auto-topup-fired')
  }, 200_000)
})
