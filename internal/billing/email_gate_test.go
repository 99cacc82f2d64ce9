package billing_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	ordersapi "github.com/vfpanel/vfpanel/internal/api/orders"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestMoneyNeedsVerifiedEmail: a caller whose email is not verified
// cannot start a top-up or place an order (403 email_unverified), and no
// ledger entry or PayPal order is made.
func TestMoneyNeedsVerifiedEmail(t *testing.T) {
	e := newEnv(t, envOpts{})
	unverified := fixedAuth{&panel.Principal{UserID: "u_alice", Role: panel.RoleCustomer}}
	billing, err := httpx.Mount("billing", billingapi.Handlers(e.svc), unverified)
	if err != nil {
		t.Fatal(err)
	}
	hs := ordersapi.Handlers(e.svc)
	tests := []struct {
		name, path, body string
		h                http.Handler
	}{
		{"ErrTopup", "/api/billing/topups", `{"amount":"25.00"}`, billing},
		{"ErrOrder", "/api/servers", `{"name":"x"}`, httpx.RequireAuth(unverified, false, hs["POST /api/servers"])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", tt.path, bytes.NewBufferString(tt.body))
			req.Header.Set("Idempotency-Key", "k-"+tt.name)
			w := httptest.NewRecorder()
			tt.h.ServeHTTP(w, req)
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `"email_unverified"`) {
				t.Fatalf("got %d %s, want 403 email_unverified", w.Code, w.Body)
			}
		})
	}
}
