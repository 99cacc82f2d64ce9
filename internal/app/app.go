// Package app wires vfpanel's functions: from a Config it builds the clients
// and storage once (per cold start) and each function's http.Handler. The
// function mains and the local runner both call it, so what runs locally is
// what runs in Lambda.
package app

import (
	"context"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

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

// NewDeps builds the shared dependencies from cfg. It also hands httpx the
// origin key, so every handler mounted afterwards refuses requests that did
// not come through CloudFront (no key, as locally, means no check).
func NewDeps(ctx context.Context, cfg config.Config) (*Deps, error) {
	httpx.SetOriginKey(cfg.OriginKey)
	db, err := dynamo.NewClient(ctx, cfg.Region, cfg.DynamoEndpoint)
	if err != nil {
		return nil, err
	}
	return &Deps{Config: cfg, DB: db, Store: dynamo.NewStore(db, cfg.TableName)}, nil
}

// Builder builds one function's http.Handler.
type Builder func(d *Deps) (http.Handler, error)

// mountSignedIn mounts a function whose routes need a signed-in caller,
// behind the shared UserAuth.
func mountSignedIn(d *Deps, function string, hs httpx.Handlers) (http.Handler, error) {
	ua, err := UserAuth(d)
	if err != nil {
		return nil, err
	}
	return httpx.Mount(function, hs, ua)
}

// once returns the value build makes for d, building it on the first call
// only: per process (cold start) in Lambda, and shared by the local
// runner's functions, which share one Deps. m holds one kind of value,
// keyed by *Deps. Two concurrent first calls may both build; one wins.
func once[T any](m *sync.Map, d *Deps, build func() (T, error)) (T, error) {
	if v, ok := m.Load(d); ok {
		return v.(T), nil
	}
	v, err := build()
	if err != nil {
		var zero T
		return zero, err
	}
	actual, _ := m.LoadOrStore(d, v)
	return actual.(T), nil
}
