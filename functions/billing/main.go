// Command billing serves the /api/billing routes: balance, ledger,
// statements and PayPal top-ups.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("billing", app.Function{HTTP: app.Billing}) }
