// Command webhooks serves the PayPal and VirtFusion webhooks.
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() { app.RunHTTP("webhooks", app.Webhooks, config.NeedPayPal, config.NeedVirtFusion) }
