// Command webhooks serves the PayPal and VirtFusion webhooks.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("webhooks", app.Function{HTTP: app.Webhooks}) }
