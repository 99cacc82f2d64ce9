// Command servers serves the /api/servers and /api/account/{ssh-keys,activity} routes.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("servers", app.Function{HTTP: app.Servers}) }
