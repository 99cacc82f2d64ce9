// Command jobs is the EventBridge-scheduled function: the hourly billing run.
package main

import (
	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() { app.RunJob("jobs", app.Jobs, config.NeedVirtFusion, config.NeedMail) }
