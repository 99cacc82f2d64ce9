package dynamo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

func newCouponLedger(t *testing.T) (*dynamo.Ledger, *acctClock) {
	t.Helper()
	st, c := newAcctStore(t)
	return dynamo.NewLedger(st), c
}

func mustCoupon(t *testing.T, l *dynamo.Ledger, c panel.Coupon) *panel.Coupon {
	t.Helper()
	if err := l.CreateCoupon(context.Background(), &c); err != nil {
		t.Fatalf("create coupon %s: %v", c.Code, err)
	}
	return &c
}

func redemption(c *panel.Coupon, user, ref string, amount int64, at time.Time) panel.Redemption {
	return panel.Redemption{Coupon: c, BaseMinor: 5000, Ref: ref, FirstOrder: c.Kind == panel.CouponFirstOrder,
		Posting: panel.Posting{UserID: user, AmountMinor: amount, Currency: "USD", Description: "Promo code " + c.Code, At: at}}
}

// TestRedeemCouponConcurrent: many goroutines redeem one coupon at once on
// DynamoDB Local; the total and per-customer limits hold exactly, and every
// balance equals the sum of its ledger.
func TestRedeemCouponConcurrent(t *testing.T) {
	l, clock := newCouponLedger(t)
	ctx := context.Background()
	now := clock.Now()
	tests := []struct {
		name           string
		max, per       int64
		users, perUser int
		wantTotal      int
		wantMaxPerUser int64
	}{
		{"TotalLimit", 5, 1, 10, 2, 5, 1},
		{"PerCustomerLimit", 0, 2, 2, 5, 4, 2},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCoupon(t, l, panel.Coupon{Code: fmt.Sprintf("RACE%d", i), Kind: panel.CouponTopupFixed, AmountMinor: 300,
				ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(time.Hour), MaxRedemptions: tt.max, PerCustomer: tt.per, CreatedAt: now})
			var wg sync.WaitGroup
			var mu sync.Mutex
			applied, refused := 0, 0
			// All goroutines race, at most 6 in flight: DynamoDB Local on a
			// shared 2-core machine times out beyond that.
			sem := make(chan struct{}, 6)
			for u := range tt.users {
				for k := range tt.perUser {
					wg.Add(1)
					go func() {
						defer wg.Done()
						sem <- struct{}{}
						defer func() { <-sem }()
						user := fmt.Sprintf("u_%s_%d", tt.name, u)
						_, ok, err := l.RedeemCoupon(ctx, redemption(c, user, fmt.Sprintf("topup:%d-%d", u, k), 300, now))
						mu.Lock()
						defer mu.Unlock()
						switch {
						case err == nil && ok:
							applied++
						case panel.ErrorCode(err) == panel.ECONFLICT:
							refused++
						default:
							t.Errorf("redeem: applied=%v err=%v", ok, err)
						}
					}()
				}
			}
			wg.Wait()
			if applied != tt.wantTotal {
				t.Errorf("applied %d, want %d (refused %d)", applied, tt.wantTotal, refused)
			}
			got, err := l.Coupon(ctx, c.Code)
			if err != nil {
				t.Fatal(err)
			}
			if got.Redeemed != int64(tt.wantTotal) || got.CreditedMinor != int64(tt.wantTotal)*300 {
				t.Errorf("counters %d / %d, want %d / %d", got.Redeemed, got.CreditedMinor, tt.wantTotal, tt.wantTotal*300)
			}
			reds, err := l.CouponRedemptions(ctx, c.Code)
			if err != nil || len(reds) != tt.wantTotal {
				t.Errorf("redemptions %d (%v), want %d", len(reds), err, tt.wantTotal)
			}
			var sum int64
			for u := range tt.users {
				user := fmt.Sprintf("u_%s_%d", tt.name, u)
				uses, err := l.CouponUses(ctx, c.Code, user)
				if err != nil || uses > tt.wantMaxPerUser {
					t.Errorf("%s uses %d (%v), want at most %d", user, uses, err, tt.wantMaxPerUser)
				}
				bal, err := l.Balance(ctx, user)
				if err != nil {
					t.Fatal(err)
				}
				entries, _, err := l.Entries(ctx, user, panel.EntryFilter{Limit: 200})
				if err != nil {
					t.Fatal(err)
				}
				var ledger int64
				for _, e := range entries {
					ledger += e.AmountMinor
				}
				if ledger != bal.BalanceMinor || bal.BalanceMinor != uses*300 {
					t.Errorf("%s: balance %d, ledger %d, uses %d", user, bal.BalanceMinor, ledger, uses)
				}
				sum += bal.BalanceMinor
			}
			if sum != int64(tt.wantTotal)*300 {
				t.Errorf("credited %d in all, want %d", sum, tt.wantTotal*300)
			}
		})
	}
}

// TestRedeemCouponConditions: each rule of a redemption is a condition of
// its write.
func TestRedeemCouponConditions(t *testing.T) {
	l, clock := newCouponLedger(t)
	ctx := context.Background()
	now := clock.Now()
	base := panel.Coupon{Kind: panel.CouponTopupPercent, Percent: 10, ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(time.Hour),
		PerCustomer: 1, CreatedAt: now}
	ok := mustCoupon(t, l, withCode(base, "OKCODE"))
	t.Run("OKThenReplay", func(t *testing.T) {
		e1, applied, err := l.RedeemCoupon(ctx, redemption(ok, "u_r", "topup:a", 250, now))
		if err != nil || !applied || e1.Type != panel.EntryPromo {
			t.Fatalf("first: %v %v %+v", applied, err, e1)
		}
		e2, applied, err := l.RedeemCoupon(ctx, redemption(ok, "u_r", "topup:a", 250, now))
		if err != nil || applied || e2 == nil || e2.ID != e1.ID {
			t.Fatalf("replay: applied=%v err=%v entry=%+v, want the first entry", applied, err, e2)
		}
	})
	t.Run("ErrPerCustomer", func(t *testing.T) {
		if _, _, err := l.RedeemCoupon(ctx, redemption(ok, "u_r", "topup:b", 250, now)); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	expired := withCode(base, "OLDCODE")
	expired.ValidUntil = now.Add(-time.Minute)
	expired.ValidFrom = now.Add(-time.Hour)
	disabled := withCode(base, "OFFCODE")
	minimum := withCode(base, "BIGCODE")
	minimum.MinAmountMinor = 10000
	for _, c := range []panel.Coupon{expired, disabled, minimum} {
		cc := mustCoupon(t, l, c)
		if c.Code == "OFFCODE" {
			if _, _, err := l.SetCouponDisabled(ctx, c.Code, true); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("Err"+c.Code, func(t *testing.T) {
			_, _, err := l.RedeemCoupon(ctx, redemption(cc, "u_x", "topup:x", 100, now))
			if panel.ErrorCode(err) != panel.ECONFLICT {
				t.Fatalf("got %v, want conflict", err)
			}
			if b, _ := l.Balance(ctx, "u_x"); b.BalanceMinor != 0 {
				t.Fatalf("balance %d after a refused redemption", b.BalanceMinor)
			}
		})
	}
	t.Run("ErrSecondFirstOrder", func(t *testing.T) {
		fo := withCode(base, "FIRST1")
		fo.Kind, fo.Percent, fo.AmountMinor = panel.CouponFirstOrder, 0, 500
		a := mustCoupon(t, l, fo)
		fo.Code = "FIRST2"
		b := mustCoupon(t, l, fo)
		if _, _, err := l.RedeemCoupon(ctx, redemption(a, "u_f", "server:1", 500, now)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.RedeemCoupon(ctx, redemption(b, "u_f", "server:2", 500, now)); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
		if used, err := l.FirstOrderPromoUsed(ctx, "u_f"); err != nil || !used {
			t.Fatalf("used %v %v", used, err)
		}
	})
	t.Run("ErrDuplicateCode", func(t *testing.T) {
		c := withCode(base, "OKCODE")
		if err := l.CreateCoupon(ctx, &c); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("List", func(t *testing.T) {
		cs, err := l.Coupons(ctx)
		if err != nil || len(cs) != 6 {
			t.Fatalf("got %d coupons (%v), want 6", len(cs), err)
		}
	})
}

func withCode(c panel.Coupon, code string) panel.Coupon {
	c.Code = code
	return c
}
