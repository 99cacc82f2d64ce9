package app

import (
	"net/http"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/catalog"
	"github.com/vfpanel/vfpanel/internal/api/orders"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// Servers builds the servers function: the customer's servers, SSH keys
// and activity (internal/api/servers) plus ordering and deleting servers
// (billing's handlers, merged below).
func Servers(d *Deps) (http.Handler, error) {
	sd, err := ServersDeps(d)
	if err != nil {
		return nil, err
	}
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	return mountSignedIn(d, "servers", httpx.Merge(
		servers.Handlers(sd),
		// Billing: ordering and deleting servers move money.
		orders.Handlers(svc),
	))
}

// Catalog builds the public catalog function.
func Catalog(d *Deps) (http.Handler, error) {
	vf, err := sharedVirtFusion(d)
	if err != nil {
		return nil, err
	}
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	var prices panel.PriceBook = svc
	return httpx.Mount("catalog", catalog.Handlers(catalog.Deps{VirtFusion: vf, Prices: prices}), nil)
}

// ServersDeps builds what the servers handlers need. The webhooks function
// uses it too for servers.WebhookHandlers, setting Sink to billing's
// panel.ServerEventSink.
func ServersDeps(d *Deps) (servers.Deps, error) {
	vf, err := sharedVirtFusion(d)
	if err != nil {
		return servers.Deps{}, err
	}
	return servers.Deps{
		VirtFusion:   vf,
		Audit:        dynamo.NewAuditLog(d.Store),
		Limiter:      dynamo.NewRateLimiter(d.Store),
		Snapshots:    dynamo.NewServerSnapshots(d.Store),
		Metrics:      dynamo.NewMetrics(d.Store),
		Ordered:      dynamo.NewLedger(d.Store), // billing's record of each ordered server's package
		Events:       dynamo.NewServerEvents(d.Store),
		Owners:       dynamo.NewLedger(d.Store), // whose activity a webhook event is
		Users:        dynamo.NewUsers(d.Store),
		WebhookToken: d.Config.VirtFusionWebhookToken,
		Cache:        sharedServerCache(d),
	}, nil
}

// One VirtFusion client and live-state cache per Deps: in Lambda that is
// one per process; in the local runner, functions share them as they share
// everything else, so the webhook's invalidation reaches the list.
var (
	vfClients    sync.Map // *Deps → *virtfusion.Client
	serverCaches sync.Map // *Deps → *servers.Cache
)

func sharedVirtFusion(d *Deps) (*virtfusion.Client, error) {
	return once(&vfClients, d, func() (*virtfusion.Client, error) {
		return virtfusion.New(virtfusion.Config{PanelURL: d.Config.VirtFusionURL, Token: d.Config.VirtFusionToken,
			// Leave room for a retry inside API Gateway's 30 s.
			Timeout: 10 * time.Second, Retry: virtfusion.RetryPolicy{MaxRetryAfter: 3 * time.Second}})
	})
}

func sharedServerCache(d *Deps) *servers.Cache {
	c, _ := once(&serverCaches, d, func() (*servers.Cache, error) {
		return servers.NewCache(servers.DefaultCacheTTL, nil), nil
	})
	return c
}
