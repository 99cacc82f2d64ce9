package billing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
)

// hourLines sums the charges of one server-hour by line: "server",
// "backup" and "ipv4" (upgrade differences are not hour lines).
func (e *env) hourLines(userID string, hour time.Time) map[string]int64 {
	e.t.Helper()
	at := hour.UTC().Format("2006-01-02 15:04") + " UTC"
	out := map[string]int64{}
	for _, en := range e.entries(userID, "charge") {
		if !strings.HasSuffix(en.Description, at) {
			continue
		}
		switch {
		case strings.Contains(en.Description, "backup plan"):
			out["backup"] -= en.AmountMinor
		case strings.Contains(en.Description, "extra IPv4"):
			out["ipv4"] -= en.AmountMinor
		default:
			out["server"] -= en.AmountMinor
		}
	}
	return out
}

// TestAddonPricesSwitchAtTheHourBoundary: add-ons and package changes take
// effect from the hour after the change; the hour in which they change is
// charged as it stood at its start (no pro-rata), also when the hourly run
// charges that hour only after the change, and when several changes fall
// in one hour. Package 1 costs 10, package 2 20, the backup plan 3 and an
// extra IPv4 2 an hour.
func TestAddonPricesSwitchAtTheHourBoundary(t *testing.T) {
	e, p, bs := addonEnv(t, "hourly", 2)
	h0 := bs.BilledThrough.Add(-time.Hour) // the order charged h0; the clock is at h0+20m
	h := func(n int) time.Time { return h0.Add(time.Duration(n) * time.Hour) }
	run := func(at time.Time) {
		t.Helper()
		e.setClock(at)
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want := func(hour int, lines map[string]int64) {
		t.Helper()
		got := e.hourLines(p.UserID, h(hour))
		if len(got) != len(lines) {
			t.Errorf("hour %d: got %v, want %v", hour, got, lines)
			return
		}
		for k, v := range lines {
			if got[k] != v {
				t.Errorf("hour %d: got %v, want %v", hour, got, lines)
				return
			}
		}
	}

	// h0+20m: a backup plan and an address; h0 (charged) is not touched.
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 1}); err != nil {
		t.Fatal(err)
	}
	a, err := e.svc.AddIPv4(ctx, p, bs.ServerID)
	if err != nil {
		t.Fatal(err)
	}
	run(h(0).Add(40 * time.Minute))
	want(0, map[string]int64{"server": 10})
	run(h(1).Add(5 * time.Minute))
	want(1, map[string]int64{"server": 10, "backup": 3, "ipv4": 2})

	// h1+30m: the address goes; h1 was charged with it at its start.
	e.setClock(h(1).Add(30 * time.Minute))
	if _, err := e.svc.RemoveIPv4(ctx, p, bs.ServerID, a.ExtraIPv4[0]); err != nil {
		t.Fatal(err)
	}
	run(h(1).Add(40 * time.Minute))
	want(1, map[string]int64{"server": 10, "backup": 3, "ipv4": 2})

	// h2: the run is late. Three changes in the hour before it charges h2:
	// an address back, the backup plan off, and an upgrade to package 2.
	// h2 is charged as it stood at 02:00 (package 1, backup plan, no
	// address); the upgrade pays its own difference.
	e.setClock(h(2).Add(10 * time.Minute))
	if _, err := e.svc.AddIPv4(ctx, p, bs.ServerID); err != nil {
		t.Fatal(err)
	}
	e.setClock(h(2).Add(15 * time.Minute))
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 0}); err != nil {
		t.Fatal(err)
	}
	e.setClock(h(2).Add(20 * time.Minute))
	if _, err := e.svc.Resize(ctx, p, bs.ServerID, "hourly-up", billing.ResizeRequest{PackageID: 2}); err != nil {
		t.Fatal(err)
	}
	if e.resizeNet(p.UserID) <= 0 {
		t.Fatal("the upgrade charged no difference")
	}
	run(h(2).Add(25 * time.Minute))
	want(2, map[string]int64{"server": 10, "backup": 3})

	// h3: everything from h2's changes, and nothing of h2's start.
	run(h(3).Add(5 * time.Minute))
	want(3, map[string]int64{"server": 20, "ipv4": 2})

	// A run that catches up on several hours charges each by the rule.
	e.setClock(h(3).Add(50 * time.Minute))
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 1}); err != nil {
		t.Fatal(err)
	}
	run(h(6).Add(1 * time.Minute))
	for hour := 4; hour <= 6; hour++ {
		want(hour, map[string]int64{"server": 20, "ipv4": 2, "backup": 3})
	}
	e.balance(p.UserID) // balance == Σ ledger
}
