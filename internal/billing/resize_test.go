package billing_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

func (s *lossyStore) ReserveResize(ctx context.Context, id int64, r panel.PendingResize, p *panel.Posting) (bs *panel.BilledServer, err error) {
	err = s.call("ReserveResize", func() error { bs, err = s.LedgerStore.ReserveResize(ctx, id, r, p); return err })
	return bs, err
}

func (s *lossyStore) SettleResize(ctx context.Context, id int64, key string, from time.Time) (bs *panel.BilledServer, err error) {
	err = s.call("SettleResize", func() error { bs, err = s.LedgerStore.SettleResize(ctx, id, key, from); return err })
	return bs, err
}

func (s *lossyStore) UndoResize(ctx context.Context, id int64, key string, p *panel.Posting) (changed bool, err error) {
	err = s.call("UndoResize", func() error { changed, err = s.LedgerStore.UndoResize(ctx, id, key, p); return err })
	return changed, err
}

// resizeEnv is a customer with one server on package 1 (10 an hour, cap
// 5000), package 2 at 20 (cap 9000) and package 3 at 40 for sale, the
// clock 20 minutes into an hour.
func resizeEnv(t *testing.T, name string) (*env, *panel.Principal, *panel.BilledServer) {
	t.Helper()
	e := newEnv(t, envOpts{})
	e.setClock(time.Now().UTC().Truncate(time.Hour).Add(20 * time.Minute))
	setPrice(t, e, 10, 5000)
	for pkg, hourly := range map[int64]int64{2: 20, 3: 40} {
		if _, err := e.svc.SetPrice(ctx, pkg, panel.Price{HourlyMinor: hourly, MonthlyCapMinor: hourly * 450}); err != nil {
			t.Fatal(err)
		}
	}
	p := e.customer(name)
	e.fund(p.UserID, 10000)
	return e, p, billedServer(t, e, p, name+"-1")
}

// vfMemory is the server's memory in VirtFusion.
func (e *env) vfMemory(id int64) int64 {
	e.t.Helper()
	res, err := e.svc.Changes.ServerResources(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.MemoryMB
}

// resizeNet is what package changes moved: upgrade charges minus their
// reversals (positive: the customer paid).
func (e *env) resizeNet(userID string) int64 {
	e.t.Helper()
	net := int64(0)
	for _, en := range e.entries(userID, "") {
		if strings.Contains(en.Description, "upgrade to") || strings.Contains(en.Description, "plan change failed") {
			net -= en.AmountMinor
		}
	}
	return net
}

func TestResizePreview(t *testing.T) {
	e, p, bs := resizeEnv(t, "pre")
	t.Run("Upgrade", func(t *testing.T) {
		pv, err := e.svc.PreviewResize(ctx, p, bs.ServerID, billing.ResizeRequest{PackageID: 2})
		if err != nil {
			t.Fatal(err)
		}
		want := billing.ResizePreview{FromPackageID: 1, ToPackageID: 2, ToPackageName: "VPS Micro", FromHourlyMinor: 10, HourlyMinor: 20,
			HourlyDiffMinor: 10, FromMonthlyCapMinor: 5000, MonthlyCapMinor: 9000, ChargeNowMinor: 10,
			EffectiveFrom: e.now().Truncate(time.Hour).Add(time.Hour), RebootRequired: true, DiskResize: true, DiskFromGB: 20, DiskToGB: 40, Currency: "USD"}
		if *pv != want {
			t.Fatalf("got %+v, want %+v", *pv, want)
		}
	})
	t.Run("ErrNotForSale", func(t *testing.T) {
		_, err := e.svc.PreviewResize(ctx, p, bs.ServerID, billing.ResizeRequest{PackageID: 4})
		if panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("ErrForeign", func(t *testing.T) {
		other := e.customer("pre-other")
		_, err := e.svc.PreviewResize(ctx, other, bs.ServerID, billing.ResizeRequest{PackageID: 2})
		if panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want not_found", err)
		}
	})
	t.Run("ErrDiskWouldShrink", func(t *testing.T) {
		if _, err := e.svc.Resize(ctx, p, bs.ServerID, "up", billing.ResizeRequest{PackageID: 2}); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.PreviewResize(ctx, p, bs.ServerID, billing.ResizeRequest{PackageID: 1})
		var pe *panel.Error
		if panel.ErrorCode(err) != panel.EINVALID || !asPanel(err, &pe) || !strings.Contains(pe.Fields["packageId"], "cannot shrink") {
			t.Fatalf("got %v, want invalid naming the disk", err)
		}
	})
}

func asPanel(err error, pe **panel.Error) bool {
	e, ok := err.(*panel.Error)
	*pe = e
	return ok
}

func TestResizeUpgrade(t *testing.T) {
	e, p, bs := resizeEnv(t, "up")
	before := e.balance(p.UserID)
	res, err := e.svc.Resize(ctx, p, bs.ServerID, "k1", billing.ResizeRequest{PackageID: 2})
	if err != nil || res.Status != "done" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if got := e.balance(p.UserID); got != before-10 {
		t.Fatalf("got balance %d, want %d (the rest of the hour's difference)", got, before-10)
	}
	if got := e.vfMemory(bs.ServerID); got != 2048 {
		t.Fatalf("got VirtFusion memory %d, want 2048", got)
	}
	// The same key again: nothing more is charged.
	if _, err := e.svc.Resize(ctx, p, bs.ServerID, "k1", billing.ResizeRequest{PackageID: 2}); err != nil {
		t.Fatalf("replay: %v", err)
	}
	if got := e.balance(p.UserID); got != before-10 {
		t.Fatalf("replay: got balance %d, want %d", got, before-10)
	}
	// The price switches at the next hour: the hourly run charges 20.
	now, _ := e.store.BilledServer(ctx, bs.ServerID)
	if now.PackageID != 2 || now.HourlyMinor != 20 || now.Resize != nil {
		t.Fatalf("got billed %+v", now)
	}
	e.setClock(now.BilledThrough.Add(5 * time.Minute))
	if _, err := e.svc.RunHourly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(p.UserID); got != before-10-20 {
		t.Fatalf("after the hour: got balance %d, want %d", got, before-30)
	}
	// Downgrading back: no refund, the lower price from the next hour.
	// (Disk 40 GB now: package 1's 20 GB would shrink it.)
	if _, err := e.svc.Resize(ctx, p, bs.ServerID, "k2", billing.ResizeRequest{PackageID: 1}); panel.ErrorCode(err) != panel.EINVALID {
		t.Fatalf("downgrade to a smaller disk: got %v, want invalid", err)
	}
}

func TestResizeLateRunChargesOldPriceForTheHour(t *testing.T) {
	// The run has not charged the hour under way yet when the change is
	// made: that hour is charged at the old price (the change paid its
	// difference), the next at the new one.
	e, p, bs := resizeEnv(t, "late")
	e.setClock(bs.BilledThrough.Add(20 * time.Minute)) // into the next hour, not charged
	before := e.balance(p.UserID)
	if _, err := e.svc.Resize(ctx, p, bs.ServerID, "k", billing.ResizeRequest{PackageID: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RunHourly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(p.UserID); got != before-10-10 {
		t.Fatalf("got balance %d, want %d (difference + the hour at 10)", got, before-20)
	}
}

// TestResizeFaults fails VirtFusion or DynamoDB at each step of a package
// change; afterwards (the jobs function's settling included) money and
// server agree, and nothing is charged twice.
func TestResizeFaults(t *testing.T) {
	pkgPath := func(id int64) string { return fmt.Sprintf("/servers/%d/package", id) }
	tests := []struct {
		name    string
		vf      func(id int64) *vfsim.Fault
		at      string // DynamoDB lost from this store call on
		applied bool   // the lost call was applied
		changed bool   // the server ends on the new package
	}{
		{name: "VirtFusionFailsBefore", vf: func(id int64) *vfsim.Fault { return &vfsim.Fault{Status: 500, PathPrefix: pkgPath(id), Times: 1} }},
		{name: "VirtFusionFailsAfter", vf: func(id int64) *vfsim.Fault {
			return &vfsim.Fault{Status: 502, AfterApply: true, PathPrefix: pkgPath(id), Times: 1}
		}, changed: true},
		{name: "VirtFusionFailsAfterAndLookupFails", vf: func(id int64) *vfsim.Fault {
			// The preview's read passes; the change and the read that
			// would decide it fail: left to the retry.
			return &vfsim.Fault{Status: 503, AfterApply: true, Skip: 1, PathPrefix: fmt.Sprintf("/servers/%d", id), Times: 2}
		}, changed: true},
		// Nothing was written: the retry with the key makes the change.
		{name: "ReserveLostBeforeWrite", at: "ReserveResize", changed: true},
		{name: "ReserveLostAfterWrite", at: "ReserveResize", applied: true},
		{name: "SettleLost", at: "SettleResize", changed: true},
		{name: "SettleLostAfterWrite", at: "SettleResize", applied: true, changed: true},
		{name: "UndoLost", at: "UndoResize", vf: func(id int64) *vfsim.Fault { return &vfsim.Fault{Status: 500, PathPrefix: pkgPath(id), Times: 1} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, p, bs := resizeEnv(t, "f"+strings.ToLower(tt.name[:6]))
			lossy := &lossyStore{LedgerStore: e.store, at: tt.at, applied: tt.applied}
			e.svc.Store = lossy
			before := e.balance(p.UserID)
			if tt.vf != nil {
				e.vf.SetFault(*tt.vf(bs.ServerID))
			}
			_, err := e.svc.Resize(ctx, p, bs.ServerID, "k", billing.ResizeRequest{PackageID: 2})
			e.vf.ClearFaults()
			lossy.restore()
			t.Logf("resize: %v", err)
			// A retry with the key, then the jobs function, later.
			e.setClock(e.now().Add(3 * time.Minute))
			if _, err := e.svc.Resize(ctx, p, bs.ServerID, "k", billing.ResizeRequest{PackageID: 2}); err != nil {
				t.Logf("retry: %v", err)
			}
			if _, err := e.svc.SettleResizes(ctx); err != nil {
				t.Fatalf("settle: %v", err)
			}
			got, err := e.store.BilledServer(ctx, bs.ServerID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Resize != nil {
				t.Fatalf("a change is still pending: %+v", got.Resize)
			}
			mem, wantPkg, wantNet := e.vfMemory(bs.ServerID), int64(1), int64(0)
			if tt.changed {
				wantPkg, wantNet = 2, 10
			}
			if (mem == 2048) != (got.PackageID == 2) || got.PackageID != wantPkg {
				t.Fatalf("VirtFusion memory %d, billed package %d; want package %d", mem, got.PackageID, wantPkg)
			}
			if wantPkg == 2 && got.HourlyMinor != 20 || wantPkg == 1 && got.HourlyMinor != 10 {
				t.Fatalf("billed price %d for package %d", got.HourlyMinor, got.PackageID)
			}
			if net := e.resizeNet(p.UserID); net != wantNet {
				t.Fatalf("package changes moved %d, want %d", net, wantNet)
			}
			if bal := e.balance(p.UserID); bal != before-wantNet {
				t.Fatalf("got balance %d, want %d", bal, before-wantNet)
			}
		})
	}
}

func TestConcurrentResizesChargeOnce(t *testing.T) {
	e, p, bs := resizeEnv(t, "race")
	before := e.balance(p.UserID)
	errs := make(chan error, 6)
	for i := range 6 {
		go func() {
			_, err := e.svc.Resize(ctx, p, bs.ServerID, fmt.Sprintf("race-%d", i), billing.ResizeRequest{PackageID: 2 + int64(i%2)})
			errs <- err
		}()
	}
	oks := 0
	for range 6 {
		if err := <-errs; err == nil {
			oks++
		} else if c := panel.ErrorCode(err); c != panel.ECONFLICT && c != panel.EINVALID {
			t.Errorf("got %v, want conflict or invalid", err)
		}
	}
	got, _ := e.store.BilledServer(ctx, bs.ServerID)
	want := map[int64]int64{2: 10, 3: 30}[got.PackageID]
	if oks < 1 || want == 0 || e.resizeNet(p.UserID) != want || e.balance(p.UserID) != before-want {
		t.Fatalf("%d changes made, now package %d; moved %d, want %d", oks, got.PackageID, e.resizeNet(p.UserID), want)
	}
	if mem := e.vfMemory(bs.ServerID); mem != map[int64]int64{2: 2048, 3: 4096}[got.PackageID] {
		t.Fatalf("VirtFusion memory %d for billed package %d", mem, got.PackageID)
	}
}
