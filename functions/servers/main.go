// Command servers serves the /api/servers and /api/account/{ssh-keys,activity} routes.
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() { app.RunHTTP("servers", app.Servers, config.NeedVirtFusion, config.NeedAuth0Token) }
