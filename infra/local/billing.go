package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/panel"
	paypalsim "github.com/vfpanel/vfpanel/internal/sim/paypal"
)

// startPayPal starts the PayPal simulator, delivering signed webhooks to
// the panel, and returns the environment that points the panel at it
// (its host is the only trusted certificate host).
func startPayPal(publicURL string) (*paypalsim.Server, map[string]string, error) {
	const id, secret, webhookID = "sim-client", "sim-secret", "WH-LOCAL-SIM"
	pp := paypalsim.New(paypalsim.Options{ClientID: id, ClientSecret: secret, WebhookID: webhookID,
		WebhookURL: publicURL + "/api/webhooks/paypal"})
	u, err := pp.Start("127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("start paypal simulator: %w", err)
	}
	pu, _ := url.Parse(u)
	return pp, map[string]string{
		"PAYPAL_API_URL": u, "PAYPAL_CLIENT_ID": id, "PAYPAL_CLIENT_SECRET": secret,
		"PAYPAL_WEBHOOK_ID": webhookID, "PAYPAL_CERT_HOSTS": pu.Host,
	}, nil
}

// localPrices are the prices make dev starts with (the simulator's packages).
var localPrices = map[int64]panel.Price{
	1: {HourlyMinor: 1, MonthlyCapMinor: 500},
	2: {HourlyMinor: 2, MonthlyCapMinor: 1000},
	3: {HourlyMinor: 3, MonthlyCapMinor: 2000},
	4: {HourlyMinor: 6, MonthlyCapMinor: 4000},
	5: {HourlyMinor: 12, MonthlyCapMinor: 8000},
}

// startBilling seeds missing package prices and runs the hourly billing job
// every minute (each run bills whatever hours are due), as EventBridge does
// hourly in AWS. It stops with ctx.
func startBilling(ctx context.Context, deps *app.Deps) error {
	svc, err := app.BillingService(deps)
	if err != nil {
		return err
	}
	have, err := svc.Prices(ctx)
	if err != nil {
		return err
	}
	for id, p := range localPrices {
		if _, ok := have[id]; !ok {
			if _, err := svc.SetPrice(ctx, id, p); err != nil {
				return err
			}
		}
	}
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			if _, err := svc.RunHourly(ctx); err != nil && ctx.Err() == nil {
				slog.Error("local: hourly billing run", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}
