package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/vfpanel/vfpanel/internal/awssecrets"
	"github.com/vfpanel/vfpanel/internal/config"
)

// LoadConfig reads the environment (and Secrets Manager in AWS), checks the
// sections a function needs, and reports every problem at once.
func LoadConfig(ctx context.Context, needs ...string) (config.Config, error) {
	cfg, err := config.Load(os.Getenv, awssecrets.Source(ctx, os.Getenv("AWS_REGION")))
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Need(needs...)
}

// SetupLogging makes slog write JSON in Lambda and text elsewhere.
func SetupLogging() {
	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if config.InLambda() {
		h = slog.NewJSONHandler(os.Stdout, nil)
	}
	slog.SetDefault(slog.New(h))
}

// RunHTTP is a function main: config, dependencies, handler, then the
// API Gateway HTTP API (payload 2.0) adapter under lambda.Start.
func RunHTTP(name string, build Builder, needs ...string) {
	h, err := build(startDeps(name, needs))
	if err != nil {
		fatal(name, err)
	}
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}

// RunJob is the main of a function EventBridge invokes with a JSON event.
func RunJob(name string, build func(d *Deps) (func(ctx context.Context, event json.RawMessage) error, error), needs ...string) {
	run, err := build(startDeps(name, needs))
	if err != nil {
		fatal(name, err)
	}
	lambda.Start(run)
}

// startDeps sets up logging, loads and checks the configuration, and builds
// the shared dependencies, exiting with every problem reported on failure.
func startDeps(name string, needs []string) *Deps {
	SetupLogging()
	ctx := context.Background()
	cfg, err := LoadConfig(ctx, append([]string{config.NeedTable}, needs...)...)
	if err != nil {
		fatal(name, err)
	}
	deps, err := NewDeps(ctx, cfg)
	if err != nil {
		fatal(name, err)
	}
	return deps
}

func fatal(name string, err error) {
	slog.Error("function failed to start", "function", name, "err", err)
	os.Exit(1)
}
