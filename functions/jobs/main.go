// Command jobs is the EventBridge-scheduled function: the hourly billing run.
package main

import "github.com/vfpanel/vfpanel/internal/app"

func main() { app.Run("jobs", app.Function{Job: app.Jobs}) }
