// Command support serves the support ticket routes: customers' tickets
// (/api/tickets) and the staff help desk (/api/admin/tickets).
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("support", app.Function{HTTP: app.Support}) }
