package main

import (
	"context"
	"fmt"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/localrun"
	vfsim "github.com/vfpanel/vfpanel/internal/sim/virtfusion"
)

// StackOptions say where the local stack's pieces live.
type StackOptions struct {
	DynamoEndpoint string
	PublicURL      string
	Table          string
}

// Stack is everything make dev runs in-process: the simulators and every
// function, each wrapped by the same API Gateway v2 adapter Lambda uses.
type Stack struct {
	Functions map[string]localrun.LambdaHandler
	Banner    []string
	closers   []func()
}

// Close stops the simulators.
func (s *Stack) Close() {
	for _, c := range s.closers {
		c()
	}
}

// StartStack starts the simulators, creates the table and builds every function.
func StartStack(ctx context.Context, o StackOptions) (*Stack, error) {
	// VirtFusion simulator with demo customers; the panel reaches it (and it
	// sends webhooks back) exactly as with a real panel.
	const vfToken, vfHookToken = "vfsim-local-token", "vfsim-local-webhook"
	vf := vfsim.New(vfsim.Options{Token: vfToken, Seed: true,
		WebhookURL: o.PublicURL + "/api/webhooks/virtfusion", WebhookToken: vfHookToken})
	vfURL, err := vf.Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start virtfusion simulator: %w", err)
	}
	pp, ppEnv, err := startPayPal(o.PublicURL)
	if err != nil {
		vf.Close()
		return nil, err
	}
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "VIRTFUSION_PANEL_URL":
			return vfURL
		case "VIRTFUSION_API_TOKEN":
			return vfToken
		case "VIRTFUSION_WEBHOOK_TOKEN":
			return vfHookToken
		case "TABLE_NAME":
			return o.Table
		case "DYNAMODB_ENDPOINT":
			return o.DynamoEndpoint
		case "PUBLIC_URL":
			return o.PublicURL
		}
		return ppEnv[k]
	}, nil)
	if err != nil {
		return nil, err
	}
	deps, err := app.NewDeps(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := dynamo.CreateTable(ctx, deps.DB, cfg.TableName); err != nil {
		return nil, err
	}
	s := &Stack{Functions: map[string]localrun.LambdaHandler{}}
	s.closers = append(s.closers, func() { vf.Close() }, func() { pp.Close() })
	s.Banner = append(s.Banner, "PayPal simulator:      "+pp.URL)
	s.Banner = append(s.Banner, "VirtFusion simulator:  "+vfURL+" (token "+vfToken+")")
	builders := map[string]app.Builder{
		"health":   app.Health,
		"servers":  app.Servers,
		"catalog":  app.Catalog,
		"billing":  app.Billing,
		"admin":    app.Admin,
		"webhooks": app.Webhooks,
	}
	for name, b := range builders {
		h, err := b(deps)
		if err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
		s.Functions[name] = localrun.Adapt(h)
	}
	billCtx, stopBilling := context.WithCancel(context.Background())
	s.closers = append(s.closers, stopBilling)
	if err := startBilling(billCtx, deps); err != nil {
		return nil, fmt.Errorf("billing: %w", err)
	}
	return s, nil
}
