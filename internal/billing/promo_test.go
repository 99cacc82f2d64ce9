package billing_test

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestCouponTopupBonus: a top-up started with a percentage code is
// credited with its bonus once, however often the capture is settled.
func TestCouponTopupBonus(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.customer("cara")
	now := time.Now()
	if _, err := e.svc.CreateCoupon(ctx, "admin", panel.Coupon{Code: "bonus10", Kind: panel.CouponTopupPercent, Percent: 10,
		MinAmountMinor: 1000, ValidUntil: now.Add(time.Hour), PerCustomer: 1}); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrBelowMinimum", func(t *testing.T) {
		_, err := e.svc.StartTopupWith(ctx, c.UserID, 500, "", "", "BONUS10")
		if panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		if _, err := e.svc.PreviewCoupon(ctx, c.UserID, "NOPE123", billing.CouponCheck{On: billing.CouponOnTopup, AmountMinor: 2000}); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		prev, err := e.svc.PreviewCoupon(ctx, c.UserID, " bonus10 ", billing.CouponCheck{On: billing.CouponOnTopup, AmountMinor: 2000})
		if err != nil || prev.CreditMinor != 200 {
			t.Fatalf("preview %+v %v, want 200", prev, err)
		}
		st, err := e.svc.StartTopupWith(ctx, c.UserID, 2000, "", "", "bonus10")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.pp.Approve(st.OrderID); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := e.svc.CaptureTopup(ctx, c.UserID, st.OrderID); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.balance(c.UserID); got != 2200 {
			t.Fatalf("balance %d, want 2200", got)
		}
		if promo := e.entries(c.UserID, panel.EntryPromo); len(promo) != 1 || promo[0].AmountMinor != 200 {
			t.Fatalf("promo entries %+v", promo)
		}
	})
	t.Run("ErrSecondUse", func(t *testing.T) {
		if _, err := e.svc.StartTopupWith(ctx, c.UserID, 2000, "", "", "BONUS10"); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
}

// TestAutoTopup: save a wallet through the simulator's Vault approval,
// then the run tops up once per window (two concurrent runs fire once),
// a declined charge is mailed, and removing deletes the token at PayPal.
func TestAutoTopup(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.customer("otto")
	base := time.Now().UTC().Truncate(time.Hour)
	e.setClock(base)
	if _, err := e.svc.SetAutoTopup(ctx, c.UserID, true, 1000, 2000); panel.ErrorCode(err) != panel.ECONFLICT {
		t.Fatalf("enable without a wallet: %v, want conflict", err)
	}
	approve, err := e.svc.StartAutoTopupSetup(ctx, c.UserID)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(approve)
	token := u.Query().Get("approval_session_id")
	if _, err := e.svc.ConfirmAutoTopupSetup(ctx, c.UserID, token); err == nil {
		t.Fatal("confirmed a setup token the payer did not approve")
	}
	if err := e.pp.ApproveSetupToken(token); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmAutoTopupSetup(ctx, "u_someone_else", token); panel.ErrorCode(err) != panel.ENOTFOUND {
		t.Fatalf("another customer's token: %v, want not found", err)
	}
	v, err := e.svc.ConfirmAutoTopupSetup(ctx, c.UserID, token)
	if err != nil || !v.Saved {
		t.Fatalf("confirm: %+v %v", v, err)
	}
	if _, err := e.svc.SetAutoTopup(ctx, c.UserID, true, 1000, 100); panel.ErrorCode(err) != panel.EINVALID {
		t.Fatalf("amount below the top-up minimum: %v, want invalid", err)
	}
	if _, err := e.svc.SetAutoTopup(ctx, c.UserID, true, 1000, 2000); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	fired := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := e.svc.RunAutoTopups(ctx)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			fired += st.Fired
			mu.Unlock()
		}()
	}
	wg.Wait()
	if fired != 1 || e.balance(c.UserID) != 2000 {
		t.Fatalf("fired %d, balance %d; want 1 and 2000", fired, e.balance(c.UserID))
	}
	if st, _ := e.svc.RunAutoTopups(ctx); st.Fired != 0 || st.Due != 0 {
		t.Fatalf("above the threshold: %+v", st)
	}

	// Next window, below a raised threshold, PayPal declines: mailed.
	e.setClock(base.Add(25 * time.Hour))
	if _, err := e.svc.SetAutoTopup(ctx, c.UserID, true, 5000, 2000); err != nil {
		t.Fatal(err)
	}
	e.pp.DeclineVaultNext()
	st, err := e.svc.RunAutoTopups(ctx)
	if err != nil || st.Failed != 1 || e.balance(c.UserID) != 2000 {
		t.Fatalf("declined run %+v %v, balance %d", st, err, e.balance(c.UserID))
	}
	if v, _ := e.svc.AutoTopup(ctx, c.UserID); v.LastStatus != "failed" {
		t.Fatalf("last status %q, want failed", v.LastStatus)
	}
	mails, _, err := e.outbox.History(ctx, c.UserID, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[panel.NotificationKind]int{}
	for _, m := range mails {
		kinds[m.Kind]++
	}
	if kinds[panel.NotifyAutoTopupFailed] != 1 || kinds[panel.NotifyTopupCredited] != 1 {
		t.Fatalf("mails %v, want one receipt and one failure", kinds)
	}
	// The same window does not fire again after the failure.
	if st, _ := e.svc.RunAutoTopups(ctx); st.Fired+st.Failed != 0 {
		t.Fatalf("second run in the window: %+v", st)
	}

	saved, _ := e.store.AutoTopup(ctx, c.UserID)
	if err := e.svc.RemoveAutoTopup(ctx, c.UserID); err != nil {
		t.Fatal(err)
	}
	if e.pp.HasPaymentToken(saved.TokenID) {
		t.Fatal("payment token still vaulted at PayPal after removal")
	}
	if v, _ := e.svc.AutoTopup(ctx, c.UserID); v.Saved || v.Enabled {
		t.Fatalf("after removal: %+v", v)
	}
}

// TestCouponOnOrder: a first-order code credits once the server is built,
// only on a customer's first order; a free-hours code credits its hours of
// the plan it names.
func TestCouponOnOrder(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 0)
	c := e.customer("olga")
	e.fund(c.UserID, 10000)
	until := time.Now().Add(time.Hour)
	for _, cp := range []panel.Coupon{
		{Code: "WELCOME5", Kind: panel.CouponFirstOrder, AmountMinor: 500, ValidUntil: until, PerCustomer: 1},
		{Code: "FREE48", Kind: panel.CouponFreeHours, Hours: 48, PackageID: 1, ValidUntil: until, PerCustomer: 1},
	} {
		if _, err := e.svc.CreateCoupon(ctx, "admin", cp); err != nil {
			t.Fatal(err)
		}
	}
	req := orderReq("promo-1")
	req.Coupon = "welcome5"
	if _, err := e.svc.PlaceOrder(ctx, c, "k1", req); err != nil {
		t.Fatal(err)
	}
	if got := e.balance(c.UserID); got != 10000-10+500 {
		t.Fatalf("balance %d, want %d", got, 10000-10+500)
	}
	t.Run("ErrNotFirstOrder", func(t *testing.T) {
		req := orderReq("promo-2")
		req.Coupon = "WELCOME5"
		if _, err := e.svc.PlaceOrder(ctx, c, "k2", req); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("FreeHours", func(t *testing.T) {
		before := e.balance(c.UserID)
		req := orderReq("promo-3")
		req.Coupon = "FREE48"
		if _, err := e.svc.PlaceOrder(ctx, c, "k3", req); err != nil {
			t.Fatal(err)
		}
		if got := e.balance(c.UserID); got != before-10+480 {
			t.Fatalf("balance %d, want %d", got, before-10+480)
		}
	})
}
