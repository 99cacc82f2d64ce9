package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/vfpanel/vfpanel/internal/app"
	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// localPrices are the prices make dev starts with (the simulator's packages).
var localPrices = map[int64]panel.Price{
	1: {HourlyMinor: 1, MonthlyCapMinor: 500},
	2: {HourlyMinor: 2, MonthlyCapMinor: 1000},
	3: {HourlyMinor: 3, MonthlyCapMinor: 2000},
	4: {HourlyMinor: 6, MonthlyCapMinor: 4000},
	5: {HourlyMinor: 12, MonthlyCapMinor: 8000},
}

// startBilling seeds missing package prices and, when ticker is set, runs
// the jobs function (see runSchedules) every minute: each run re-delivers
// webhook events, retries order cleanups and bills whatever hours are due.
// EventBridge runs it hourly in AWS. It stops with ctx.
func startBilling(ctx context.Context, deps *app.Deps, jobs JobsHandler, ticker bool) error {
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
	if err := seedAddonPrices(ctx, svc); err != nil {
		return err
	}
	if err := seedFirewallPresets(ctx, dynamo.NewFirewall(deps.Store)); err != nil { // issue 19, fw
		return err
	}
	if !ticker {
		return nil
	}
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		runSchedules(ctx, t.C, jobs)
	}()
	return nil
}

// seedAddonPrices prices the simulator's backup plans and extra IPv4
// addresses when nothing is priced yet (resize).
func seedAddonPrices(ctx context.Context, svc *bill.Service) error {
	have, err := svc.Store.AddonPrices(ctx)
	if err != nil || len(have.BackupPlans) > 0 || have.IPv4.MaxPerServer > 0 {
		return err
	}
	for _, bp := range []panel.BackupPlanPrice{{PlanID: 1, Name: "Daily (7 days)", HourlyMinor: 1}, {PlanID: 2, Name: "Weekly (4 weeks)", HourlyMinor: 1}} {
		if _, err := svc.SetBackupPlanPrice(ctx, bp); err != nil {
			return err
		}
	}
	_, err = svc.SetIPv4Price(ctx, panel.IPv4Price{HourlyMinor: 1, MaxPerServer: 2})
	return err
}

// seedFirewallPresets names the simulator's firewall rulesets for
// customers when no preset is set yet (issue 19, fw).
func seedFirewallPresets(ctx context.Context, fw *dynamo.Firewall) error {
	have, err := fw.FirewallPresets(ctx)
	if err != nil || have.Version > 0 {
		return err
	}
	return fw.PutFirewallPresets(ctx, panel.FirewallPresets{Version: 1, Presets: []panel.FirewallPreset{
		{ID: "web", Name: "Web", Description: "Allows HTTP (80) and HTTPS (443) in.", RulesetIDs: []int64{1}},
		{ID: "ssh", Name: "SSH only", Description: "Allows SSH (22) in.", RulesetIDs: []int64{2}},
		{ID: "mail", Name: "Mail", Description: "Allows SMTP (25), submission (465, 587) and IMAPS (993) in.", RulesetIDs: []int64{3}},
		{ID: "deny", Name: "Block everything else", Description: "Drops other incoming traffic; add it with the presets above.", RulesetIDs: []int64{4}},
	}})
}

// JobsHandler is what lambda.Start receives in the jobs function.
type JobsHandler = app.JobHandler

// runSchedules sends the jobs function the event each of its EventBridge
// schedules (routes.Schedules) sends, once at once and then on every tick,
// until ctx ends. A failed run is logged; the next tick tries again, as the
// next scheduled run does in AWS.
func runSchedules(ctx context.Context, tick <-chan time.Time, jobs JobsHandler) {
	for {
		for _, s := range routes.Schedules {
			if s.Function != "jobs" {
				continue
			}
			event, _ := json.Marshal(map[string]string{"job": s.Name})
			if err := jobs(ctx, event); err != nil && ctx.Err() == nil {
				slog.Error("local: scheduled job run", "schedule", s.Name, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
