package billing_test

import (
	"context"
	"sync"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// webhookFirst is PayPal whose PAYMENT.CAPTURE.REFUNDED webhook is
// processed before the refund call returns to the panel (the webhook wins
// the race).
type webhookFirst struct {
	panel.Payments
	e *env
}

func (w webhookFirst) RefundCapture(ctx context.Context, captureID string, amountMinor int64, currency, requestID string) (*panel.PaymentRefund, error) {
	r, err := w.Payments.RefundCapture(ctx, captureID, amountMinor, currency, requestID)
	if err != nil {
		return nil, err
	}
	h, body := w.e.lastEvent(r.ID)
	if status := w.e.post(h, body); status != 200 {
		w.e.t.Fatalf("webhook before the panel's debit: got %d", status)
	}
	return r, nil
}

// creditedTopup tops userID up by amount (captured in the browser flow).
func creditedTopup(t *testing.T, e *env, userID string, amount int64) *panel.Topup {
	t.Helper()
	st := e.topup(userID, amount)
	if _, err := e.svc.CaptureTopup(ctx, userID, st.OrderID); err != nil {
		t.Fatal(err)
	}
	tp, err := e.store.TopupByOrder(ctx, st.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// TestRefundRace: a refund made in the panel and PayPal's webhook about it
// debit the wallet once, whichever arrives first, and a retried panel
// refund (same Idempotency-Key) is the same refund.
func TestRefundRace(t *testing.T) {
	check := func(t *testing.T, e *env, userID string, wantBalance int64, wantRefunds int) {
		t.Helper()
		if got := e.balance(userID); got != wantBalance {
			t.Errorf("got balance %d, want %d", got, wantBalance)
		}
		if got := len(e.entries(userID, panel.EntryRefund)); got != wantRefunds {
			t.Errorf("got %d refund entries, want %d", got, wantRefunds)
		}
	}
	t.Run("OKPanelFirst", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		tp := creditedTopup(t, e, "u1", 2500)
		res, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, 700, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if res.AmountMinor != 700 || res.DebitedMinor != 700 || res.Status != "COMPLETED" {
			t.Fatalf("got %+v", res)
		}
		h, body := e.lastEvent(res.RefundID)
		if status := e.post(h, body); status != 200 {
			t.Fatalf("webhook: got %d", status)
		}
		check(t, e, "u1", 1800, 1)
	})
	t.Run("OKWebhookFirst", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		tp := creditedTopup(t, e, "u1", 2500)
		e.svc.Payments = webhookFirst{Payments: e.svc.Payments, e: e}
		res, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, 0, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if res.AmountMinor != 2500 || res.DebitedMinor != 2500 {
			t.Fatalf("got %+v, want the whole 2500", res)
		}
		check(t, e, "u1", 0, 1)
	})
	t.Run("OKConcurrent", func(t *testing.T) {
		e := newEnv(t, envOpts{webhooks: true}) // PayPal delivers on its own
		tp := creditedTopup(t, e, "u1", 2500)
		var wg sync.WaitGroup
		for range 3 { // the admin double-clicks: one key, one refund
			wg.Go(func() {
				if _, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, 1000, "same-key"); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if err := e.pp.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		check(t, e, "u1", 1500, 1)
	})
	t.Run("OKPartialThenRest", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		tp := creditedTopup(t, e, "u1", 2500)
		if _, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, 500, "k1"); err != nil {
			t.Fatal(err)
		}
		res, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, 0, "k2")
		if err != nil || res.AmountMinor != 2000 || res.DebitedMinor != 2500 {
			t.Fatalf("got %+v, %v, want the remaining 2000", res, err)
		}
		check(t, e, "u1", 0, 2)
	})
	for _, tt := range []struct {
		name   string
		amount int64
		key    string
		code   string
	}{
		{"ErrTooMuch", 2501, "k", panel.EINVALID},
		{"ErrNegative", -1, "k", panel.EINVALID},
		{"ErrNoKey", 100, "", panel.EINVALID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envOpts{})
			tp := creditedTopup(t, e, "u1", 2500)
			if _, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, tt.amount, tt.key); panel.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
			check(t, e, "u1", 2500, 0)
		})
	}
	t.Run("ErrNotCredited", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		st := e.topup("u1", 2500)
		tp, _ := e.store.TopupByOrder(ctx, st.OrderID)
		if _, err := e.svc.RefundTopup(ctx, "u_admin", tp.ID, 0, "k"); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
}
