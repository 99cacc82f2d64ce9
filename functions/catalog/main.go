// Command catalog serves the public /api/catalog routes.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("catalog", app.Function{HTTP: app.Catalog}) }
