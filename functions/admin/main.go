// Command admin serves the /api/admin routes: customers, balance
// adjustments and package prices.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("admin", app.Function{HTTP: app.Admin}) }
