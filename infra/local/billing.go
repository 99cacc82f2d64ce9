package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/panel"
)

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
func startBilling(ctx context.Context, deps *app.Deps, ticker bool) error {
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
	if !ticker {
		return nil
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
