package billing_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// addonEnv is resizeEnv with backup plans 1 (3 an hour) and 9 (unknown to
// VirtFusion) and extra IPv4 at 2 an hour, at most max a server.
func addonEnv(t *testing.T, name string, max int64) (*env, *panel.Principal, *panel.BilledServer) {
	t.Helper()
	e, p, bs := resizeEnv(t, name)
	for _, bp := range []panel.BackupPlanPrice{{PlanID: 1, Name: "Daily", HourlyMinor: 3}, {PlanID: 9, Name: "Ghost", HourlyMinor: 1}} {
		if _, err := e.svc.SetBackupPlanPrice(ctx, bp); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.SetIPv4Price(ctx, panel.IPv4Price{HourlyMinor: 2, MaxPerServer: max}); err != nil {
		t.Fatal(err)
	}
	return e, p, bs
}

func TestAddonsChargedHourlyAsOwnLines(t *testing.T) {
	e, p, bs := addonEnv(t, "addon", 2)
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 1}); err != nil {
		t.Fatal(err)
	}
	a, err := e.svc.AddIPv4(ctx, p, bs.ServerID)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.ExtraIPv4) != 1 || len(a.IPv4) != 2 || a.IPv4[1] != a.ExtraIPv4[0] || a.AddonsHourlyMinor != 5 {
		t.Fatalf("got add-ons %+v", a)
	}
	before := e.balance(p.UserID)
	e.setClock(bs.BilledThrough.Add(5 * time.Minute))
	if _, err := e.svc.RunHourly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(p.UserID); got != before-10-3-2 {
		t.Fatalf("got balance %d, want %d", got, before-15)
	}
	var lines []string
	for _, en := range e.entries(p.UserID, panel.EntryCharge)[:3] {
		lines = append(lines, fmt.Sprintf("%d %s", en.AmountMinor, en.Description[:strings.Index(en.Description, ",")+1]))
	}
	got := strings.Join(lines, "|")
	for _, want := range []string{"-3 addon-1: backup plan,", "-2 addon-1: 1 extra IPv4,"} {
		if !strings.Contains(got, want) {
			t.Errorf("statement lines %q lack %q", got, want)
		}
	}
	// Removing both stops their charges from the next hour.
	if _, err := e.svc.RemoveIPv4(ctx, p, bs.ServerID, a.ExtraIPv4[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 0}); err != nil {
		t.Fatal(err)
	}
	ips, err := e.svc.Changes.ServerIPv4(ctx, bs.ServerID)
	if err != nil || len(ips) != 1 {
		t.Fatalf("VirtFusion addresses %v, %v; want the primary only", ips, err)
	}
	mid := e.balance(p.UserID)
	e.setClock(e.now().Add(time.Hour))
	if _, err := e.svc.RunHourly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(p.UserID); got != mid-10 {
		t.Fatalf("got balance %d, want %d", got, mid-10)
	}
}

func TestIPv4MaxUnderConcurrency(t *testing.T) {
	e, p, bs := addonEnv(t, "ipmax", 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	oks := 0
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.svc.AddIPv4(ctx, p, bs.ServerID); err == nil {
				mu.Lock()
				oks++
				mu.Unlock()
			} else if panel.ErrorCode(err) != panel.ECONFLICT {
				t.Errorf("got %v, want conflict", err)
			}
		}()
	}
	wg.Wait()
	got, err := e.store.BilledServer(ctx, bs.ServerID)
	if err != nil {
		t.Fatal(err)
	}
	ips, _ := e.svc.Changes.ServerIPv4(ctx, bs.ServerID)
	if oks != 2 || got.IPv4Count != 2 || len(got.IPv4Extra) != 2 || len(ips) != 3 {
		t.Fatalf("got %d added, billed %d (%v), VirtFusion %v; want 2", oks, got.IPv4Count, got.IPv4Extra, ips)
	}
}

func TestBackupPlanRefusedByVirtFusionIsPutBack(t *testing.T) {
	e, p, bs := addonEnv(t, "bpref", 1)
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 9}); panel.ErrorCode(err) != panel.EINVALID {
		t.Fatalf("got %v, want VirtFusion's refusal", err)
	}
	got, _ := e.store.BilledServer(ctx, bs.ServerID)
	if got.BackupPlanID != 0 || got.BackupHourlyMinor != 0 {
		t.Fatalf("billed backup plan %d at %d; want none", got.BackupPlanID, got.BackupHourlyMinor)
	}
	if _, err := e.svc.SetBackupPlan(ctx, p, bs.ServerID, billing.BackupPlanRequest{PlanID: 7}); panel.ErrorCode(err) != panel.EINVALID {
		t.Fatalf("unpriced plan: got %v, want invalid", err)
	}
}
