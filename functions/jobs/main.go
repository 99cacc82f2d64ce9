// Command jobs is the EventBridge-scheduled function: the hourly billing run.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
)

func main() {
	app.SetupLogging()
	ctx := context.Background()
	cfg, err := app.LoadConfig(ctx, config.NeedTable, config.NeedVirtFusion)
	if err != nil {
		slog.Error("function failed to start", "function", "jobs", "err", err)
		os.Exit(1)
	}
	deps, err := app.NewDeps(ctx, cfg)
	if err != nil {
		slog.Error("function failed to start", "function", "jobs", "err", err)
		os.Exit(1)
	}
	run, err := app.Jobs(deps)
	if err != nil {
		slog.Error("function failed to start", "function", "jobs", "err", err)
		os.Exit(1)
	}
	lambda.Start(run)
}
