// Command admin serves the /api/admin routes: customers, balance
// adjustments and package prices.
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() { app.RunHTTP("admin", app.Admin, config.NeedVirtFusion, config.NeedAuth0Token) }
