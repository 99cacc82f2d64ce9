// Package app wires vfpanel's functions: from a Config it builds the clients
// and storage once (per cold start) and each function's http.Handler. The
// function mains and the local runner both call it, so what runs locally is
// what runs in Lambda.
package app

import (
	"context"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
)

// Deps are the things every function may share. Clients are built once and
// make no network call until first used (nothing slow at cold start).
type Deps struct {
	Config config.Config
	DB     *dynamodb.Client
	Store  dynamo.Store
}

// NewDeps builds the shared dependencies from cfg.
func NewDeps(ctx context.Context, cfg config.Config) (*Deps, error) {
	db, err := dynamo.NewClient(ctx, cfg.Region, cfg.DynamoEndpoint)
	if err != nil {
		return nil, err
	}
	return &Deps{Config: cfg, DB: db, Store: dynamo.NewStore(db, cfg.TableName)}, nil
}

// Builder builds one function's http.Handler.
type Builder func(d *Deps) (http.Handler, error)

// Health builds the health function.
func Health(d *Deps) (http.Handler, error) {
	return httpx.Mount("health", health.Handlers(d.Config.Version, d.Store), nil)
}
