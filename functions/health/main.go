// Command health serves GET /api/health.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("health", app.Function{HTTP: app.Health}) }
