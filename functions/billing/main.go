// Command billing serves the /api/billing routes: balance, ledger,
// statements and PayPal top-ups.
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() {
	app.RunHTTP("billing", app.Billing, config.NeedPayPal, config.NeedVirtFusion, config.NeedAuth0Token)
}
