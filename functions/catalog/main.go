// Command catalog serves the public /api/catalog routes.
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() { app.RunHTTP("catalog", app.Catalog, config.NeedVirtFusion) }
