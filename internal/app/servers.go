package app

import (
	"context"
	"errors"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/alerts"
	"github.com/vfpanel/vfpanel/internal/api/catalog"
	"github.com/vfpanel/vfpanel/internal/api/changes"
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
		// Billing: package changes and add-ons move money too.
		changes.Handlers(svc),
	))
}

// Catalog builds the public catalog function.
func Catalog(d *Deps) (http.Handler, error) {
	vf, err := VirtFusion(d)
	if err != nil {
		return nil, err
	}
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	return d.Site.Mount("catalog", catalog.Handlers(catalog.Deps{VirtFusion: vf, Prices: svc}), nil)
}

// AlertEvaluator builds the customers' alert evaluator; traffic rules read
// the current period through vf.
func AlertEvaluator(d *Deps, vf *virtfusion.Client) *alerts.Evaluator {
	return &alerts.Evaluator{Store: dynamo.NewAlerts(d.Store), Users: dynamo.NewUsers(d.Store), Now: d.Store.Clock,
		Traffic: func(ctx context.Context, id int64) (panel.TrafficPeriod, error) {
			ms, err := vf.Traffic(ctx, id)
			if err != nil {
				return panel.TrafficPeriod{}, err
			}
			if len(ms) == 0 {
				return panel.TrafficPeriod{}, errors.New("app: no traffic period")
			}
			return virtfusion.PanelTraffic(ms)[0], nil
		}}
}

// ServersDeps builds what the servers handlers need. The webhooks function
// uses it too for servers.WebhookHandlers, setting Sink to billing's
// panel.ServerEventSink.
func ServersDeps(d *Deps) (servers.Deps, error) {
	vf, err := VirtFusion(d)
	if err != nil {
		return servers.Deps{}, err
	}
	return servers.Deps{
		VirtFusion:        vf,
		Alerts:            dynamo.NewAlerts(d.Store),
		AlertEvents:       AlertEvaluator(d, vf),
		AllowPrivateHooks: d.Config.Stage == "local",
		Firewall:          dynamo.NewFirewall(d.Store), // issue 19, fw
		FirewallVF:        vf,
		Audit:             dynamo.NewAuditLog(d.Store),
		Limiter:           dynamo.NewRateLimiter(d.Store),
		Snapshots:         dynamo.NewServerSnapshots(d.Store),
		Metrics:           dynamo.NewMetrics(d.Store),
		Ordered:           dynamo.NewLedger(d.Store), // billing's record of each ordered server's package
		Unbilled:          dynamo.NewLedger(d.Store), // and whether it still bills it
		Events:            dynamo.NewServerEvents(d.Store),
		Owners:            dynamo.NewLedger(d.Store), // whose activity a webhook event is
		Users:             dynamo.NewUsers(d.Store),
		WebhookToken:      d.Config.VirtFusionWebhookToken,
		Cache:             serverCache(d),
	}, nil
}
