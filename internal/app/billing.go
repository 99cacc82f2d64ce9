package app

import (
	"fmt"
	"net/http"

	"github.com/vfpanel/vfpanel/internal/api/admin"
	"github.com/vfpanel/vfpanel/internal/api/adminops"
	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/api/changes"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/api/status"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// Billing builds the billing function: balance, ledger, statements and
// PayPal top-ups.
func Billing(d *Deps) (http.Handler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	return mountSignedIn(d, "billing", billingapi.WithCheckout(billingapi.Handlers(svc), d.Config, svc))
}

// Admin builds the admin function.
func Admin(d *Deps) (http.Handler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	deps := admin.Deps{Billing: svc, Users: dynamo.NewUsers(d.Store)}
	st := Settings(d)
	ops := adminops.Deps{Settings: st.Store, Defaults: st.Defaults, Forget: st.Forget, Billing: svc,
		Ledger: dynamo.NewLedger(d.Store), Audit: dynamo.NewAuditLog(d.Store), Now: d.Store.Clock,
		Runs:  dynamo.NewBillingRuns(d.Store), // ops2: billing runs and webhook deliveries
		Hooks: dynamo.NewWebhookLog(d.Store), Events: dynamo.NewServerEvents(d.Store), Sink: svc,
		Reindex: dynamo.NewUsers(d.Store).ReindexUsers}
	ops.Overview = dynamo.NewLedger(d.Store).Overview // admin overview (issue 20, item 10)
	if d.Config.VirtFusionURL != "" {
		vf, err := VirtFusion(d)
		if err != nil {
			return nil, err
		}
		host := virtfusion.Host{C: vf, Ordered: dynamo.NewLedger(d.Store)}
		deps.Server, deps.UserServers = host.Server, host.UserServers
		ops.Packages = host.Packages
	}
	console, err := adminConsole(d, deps)
	if err != nil {
		return nil, err
	}
	return mountSignedIn(d, "admin", httpx.Merge(admin.Handlers(deps), console, notificationHandlers(d, "admin"), status.AdminHandlers(StatusDeps(d, nil)),
		changes.AdminHandlers(svc), // add-on prices (resize)
		servers.FirewallAdminHandlers(dynamo.NewFirewall(d.Store), dynamo.NewAuditLog(d.Store)), // firewall presets (issue 19, fw)
		adminops.Handlers(ops)))
}

// Webhooks builds the public webhooks function: VirtFusion's (servers,
// whose server events reach billing) and PayPal's (billing).
func Webhooks(d *Deps) (http.Handler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	sd, err := ServersDeps(d)
	if err != nil {
		return nil, err
	}
	sd.Sink = svc
	sd.Hooks = dynamo.NewWebhookLog(d.Store) // ops2: the console's webhook log
	return d.Site.Mount("webhooks", httpx.Merge(servers.WebhookHandlers(sd), billingapi.WebhookHandlers(svc)), nil)
}

// BillingService returns the billing service of d (built once): the
// ledger store, PayPal when configured and VirtFusion when configured.
func BillingService(d *Deps) (*billing.Service, error) {
	return d.billing.get(func() (*billing.Service, error) {
		var pay panel.Payments
		var vault panel.PaymentVault
		if d.Config.PayPalClientID != "" {
			pp := paypal.Payments{C: paypal.New(paypal.Config{BaseURL: d.Config.PayPalAPIURL, ClientID: d.Config.PayPalClientID,
				ClientSecret: d.Config.PayPalClientSecret, WebhookID: d.Config.PayPalWebhookID,
				TrustedCertHosts: d.Config.PayPalCertHosts})}
			pay, vault = pp, pp
		}
		var (
			host    panel.ServerHost
			changes panel.ServerChanges
		)
		if d.Config.VirtFusionURL != "" {
			vf, err := VirtFusion(d)
			if err != nil {
				return nil, fmt.Errorf("app: billing: %w", err)
			}
			h := virtfusion.Host{C: vf}
			host, changes = h, h
		}
		ledger := dynamo.NewLedger(d.Store)
		svc := billing.New(d.Config, ledger, pay, host)
		svc.Changes = changes
		svc.Coupons, svc.AutoTopups, svc.Vault = ledger, ledger, vault
		svc.Users, svc.Queue, svc.Audit = dynamo.NewUsers(d.Store), dynamo.NewOutbox(d.Store), dynamo.NewAuditLog(d.Store)
		svc.Settings = Settings(d)
		svc.Invoicing = ledger                       // invoices (issue 20, item 9)
		svc.Runs = dynamo.NewBillingRuns(d.Store)    // ops2: each run's summary
		svc.Webhooks = dynamo.NewWebhookLog(d.Store) // ops2: PayPal deliveries in the console
		return svc, nil
	})
}
