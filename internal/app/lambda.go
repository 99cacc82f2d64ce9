package app

import (
	"context"
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

// Run is a function's main: logging, config (checked against what the
// function's routes need), dependencies, its handler from Functions, then
// lambda.Start with the right adapter. It exits, reporting every problem,
// when any step fails.
func Run(name string, f Function) {
	SetupLogging()
	ctx := context.Background()
	cfg, err := LoadConfig(ctx, ConfigNeeds(name)...)
	if err != nil {
		fatal(name, err)
	}
	d, err := NewDeps(ctx, cfg)
	if err != nil {
		fatal(name, err)
	}
	switch {
	case f.HTTP != nil:
		h, err := f.HTTP(d)
		if err != nil {
			fatal(name, err)
		}
		lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
	case f.Job != nil:
		run, err := f.Job(d)
		if err != nil {
			fatal(name, err)
		}
		lambda.Start(run)
	case f.Stream != nil:
		h, err := f.Stream(d)
		if err != nil {
			fatal(name, err)
		}
		lambda.Start(h)
	case f.Queue != nil:
		h, err := f.Queue(d)
		if err != nil {
			fatal(name, err)
		}
		lambda.Start(h)
	}
}

func fatal(name string, err error) {
	slog.Error("function failed to start", "function", name, "err", err)
	os.Exit(1)
}
