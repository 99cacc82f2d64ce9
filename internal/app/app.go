// Package app wires vfpanel's functions: from a Config it builds the clients
// and storage once (per cold start) and each function's handler. The
// function mains and the local runner both use Functions, so what runs
// locally is what runs in Lambda. It only wires: adapters live in their
// packages (internal/virtfusion, internal/paypal, ...).
package app

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/settings"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// Deps are the things every function may share. Clients are built once and
// make no network call until first used (nothing slow at cold start). The
// local runner's functions share one Deps, so they share its clients and
// caches as functions in one Lambda process would.
type Deps struct {
	Config config.Config
	DB     *dynamodb.Client
	Store  dynamo.Store
	// Site mounts handlers behind the origin check (Config.OriginKey).
	Site httpx.Site

	virtFusion  lazy[*virtfusion.Client]
	serverCache lazy[*servers.Cache]
	billing     lazy[*billing.Service]
	auth        lazy[auth.Deps]
	settings    lazy[*settings.Cache]
}

// NewDeps builds the shared dependencies from cfg. Every handler mounted
// through d.Site refuses requests that did not come through CloudFront (no
// key, as locally, means no check).
func NewDeps(ctx context.Context, cfg config.Config) (*Deps, error) {
	db, err := dynamo.NewClient(ctx, cfg.Region, cfg.DynamoEndpoint)
	if err != nil {
		return nil, err
	}
	return &Deps{Config: cfg, DB: db, Store: dynamo.NewStore(db, cfg.TableName),
		Site: httpx.Site{OriginKey: cfg.OriginKey}}, nil
}

// lazy is a value built on first use and kept (with its error).
type lazy[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (l *lazy[T]) get(build func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = build() })
	return l.v, l.err
}

// mountSignedIn mounts a function whose routes need a signed-in caller,
// behind the shared UserAuth.
func mountSignedIn(d *Deps, function string, hs httpx.Handlers) (http.Handler, error) {
	ua, err := UserAuth(d)
	if err != nil {
		return nil, err
	}
	return d.Site.Mount(function, hs, ua)
}

// VirtFusion returns d's VirtFusion client (built once).
func VirtFusion(d *Deps) (*virtfusion.Client, error) {
	return d.virtFusion.get(func() (*virtfusion.Client, error) {
		return virtfusion.New(virtfusion.Config{PanelURL: d.Config.VirtFusionURL, Token: d.Config.VirtFusionToken,
			// Leave room for a retry inside API Gateway's 30 s.
			Timeout: 10 * time.Second, Retry: virtfusion.RetryPolicy{MaxRetryAfter: 3 * time.Second}})
	})
}

// serverCache is d's live-state cache, shared so the webhook's
// invalidation reaches the list in the same process.
func serverCache(d *Deps) *servers.Cache {
	c, _ := d.serverCache.get(func() (*servers.Cache, error) {
		return servers.NewCache(servers.DefaultCacheTTL, nil), nil
	})
	return c
}

// Settings returns d's settings cache (built once): the administrators'
// settings, read again at most every settings.TTL, over the deploy-time
// defaults.
func Settings(d *Deps) *settings.Cache {
	c, _ := d.settings.get(func() (*settings.Cache, error) {
		return &settings.Cache{Store: dynamo.NewSettings(d.Store), Defaults: settings.Defaults(d.Config), Now: d.Store.Clock}, nil
	})
	return c
}
