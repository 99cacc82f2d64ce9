package main

import (
	"context"
	"fmt"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/localrun"
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
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "TABLE_NAME":
			return o.Table
		case "DYNAMODB_ENDPOINT":
			return o.DynamoEndpoint
		case "PUBLIC_URL":
			return o.PublicURL
		}
		return ""
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
	builders := map[string]app.Builder{
		"health": app.Health,
	}
	for name, b := range builders {
		h, err := b(deps)
		if err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
		s.Functions[name] = localrun.Adapt(h)
	}
	return s, nil
}
