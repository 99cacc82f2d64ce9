package billing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// returnSpy records the URLs a top-up hands PayPal, then lets the simulator answer.
type returnSpy struct {
	panel.Payments
	returnURL, cancelURL string
}

func (r *returnSpy) CreateOrder(ctx context.Context, amountMinor int64, currency, customID, returnURL, cancelURL, requestID string) (*panel.PaymentOrder, error) {
	r.returnURL, r.cancelURL = returnURL, cancelURL
	return r.Payments.CreateOrder(ctx, amountMinor, currency, customID, returnURL, cancelURL, requestID)
}

func TestTopupReturnTo(t *testing.T) {
	tests := []struct {
		name, returnTo, wantPath string
		wantCode                 string
	}{
		{"OK", "/deploy", "/deploy", ""},
		{"OKDefault", "", "/billing", ""},
		{"OKNested", "/servers/12", "/servers/12", ""},
		{"ErrInvalidHost", "//evil.example/x", "", panel.EINVALID},
		{"ErrInvalidURL", "https://evil.example/", "", panel.EINVALID},
		{"ErrInvalidQuery", "/deploy?x=1", "", panel.EINVALID},
		{"ErrInvalidDots", "/../admin", "", panel.EINVALID},
		{"ErrInvalidBackslash", `/\evil.example`, "", panel.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envOpts{})
			spy := &returnSpy{Payments: e.svc.Payments}
			e.svc.Payments = spy
			st, err := e.svc.StartTopupOnce(ctx, "u1", 1000, "", tt.returnTo)
			if tt.wantCode != "" {
				if got := panel.ErrorCode(err); got != tt.wantCode {
					t.Fatalf("got %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			id := topupID(t, e, st.OrderID)
			if want := e.svc.PublicURL + tt.wantPath + "?topup=" + id; spy.returnURL != want {
				t.Errorf("got return URL %q, want %q", spy.returnURL, want)
			}
			if !strings.HasPrefix(spy.cancelURL, e.svc.PublicURL+tt.wantPath+"?topupCancelled=") {
				t.Errorf("got cancel URL %q, want it on %s", spy.cancelURL, tt.wantPath)
			}
		})
	}
	if billing.ValidReturnPath(strings.Repeat("/a", 60)) {
		t.Error("a 120-character path is accepted")
	}
}
