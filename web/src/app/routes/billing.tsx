import { useState } from 'react'
import { useLocation, useSearch } from 'wouter'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { useBalance } from '@/features/billing/api/get-balance'
import { AutoTopupCard } from '@/features/billing/components/auto-topup-card'
import { BalanceCard } from '@/features/billing/components/balance-card'
import { InvoicesList } from '@/features/billing/components/invoices-list'
import { LowBalanceBanner } from '@/features/billing/components/low-balance-banner'
import { TopupReturn } from '@/features/billing/components/topup-return'
import { TransactionsTable } from '@/features/billing/components/transactions-table'

/** BillingRoute: balance and top-up, the ledger, monthly invoices; it also completes PayPal returns. */
export default function BillingRoute() {
  const search = useSearch()
  const [, navigate] = useLocation()
  // Keep the order id after the URL is cleaned, so the result stays on screen.
  const [orderId] = useState(() => new URLSearchParams(search).get('topup'))
  // PayPal's return from saving an account for auto top-up.
  const [vaultToken] = useState(() => new URLSearchParams(search).get('approval_token_id'))
  const balance = useBalance()

  return (
    <div className="grid gap-6">
      <PageHeader title="Billing" description="Prepaid balance, charged by the hour for each running server." />
      {orderId && <TopupReturn orderId={orderId} onDone={() => navigate(paths.billing, { replace: true })} />}
      <LowBalanceBanner />
      <div className="grid gap-6 lg:grid-cols-3">
        <BalanceCard />
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle className="text-base">How billing works</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="grid gap-2 text-sm text-muted-foreground sm:grid-cols-2">
              <li>• Each server is charged every hour from your balance.</li>
              <li>• A plan never costs more than its monthly cap.</li>
              <li>• Top up with PayPal; funds arrive within seconds.</li>
              <li>• If the balance runs out, servers are suspended, not deleted.</li>
            </ul>
          </CardContent>
        </Card>
      </div>
      <AutoTopupCard approvedToken={vaultToken} onConfirmed={() => navigate(paths.billing, { replace: true })} />
      <Card>
        <CardHeader>
          <CardTitle>Transactions</CardTitle>
          <CardDescription>Every top-up, charge and adjustment on your account.</CardDescription>
        </CardHeader>
        <CardContent>
          <TransactionsTable currency={balance.data?.currency} />
        </CardContent>
      </Card>
      <Card id="invoices">
        <CardHeader>
          <CardTitle>Invoices</CardTitle>
          <CardDescription>Monthly invoices for your records, with your billing address (set it under Account).</CardDescription>
        </CardHeader>
        <CardContent>
          <InvoicesList />
        </CardContent>
      </Card>
    </div>
  )
}
