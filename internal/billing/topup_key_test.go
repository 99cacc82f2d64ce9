package billing_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestTopupIdempotencyKey: POST /api/billing/topups with a reused
// Idempotency-Key answers the first top-up for the same amount, and 422
// idempotency_mismatch for another amount, instead of a silent replay.
func TestTopupIdempotencyKey(t *testing.T) {
	e := newEnv(t, envOpts{})
	mount := func(userID string) http.Handler {
		h, err := httpx.Mount("billing", billingapi.Handlers(e.svc), fixedAuth{&panel.Principal{UserID: userID, Role: panel.RoleCustomer, EmailVerified: true}})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	alice, bob := mount("u_alice"), mount("u_bob")
	post := func(h http.Handler, key, amount string) (int, string, string) {
		req := httptest.NewRequest("POST", "/api/billing/topups", bytes.NewBufferString(`{"amount":"`+amount+`"}`))
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var body struct {
			OrderID string `json:"orderId"`
			Error   struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		json.Unmarshal(w.Body.Bytes(), &body)
		return w.Code, body.OrderID, body.Error.Code
	}

	s1, first, _ := post(alice, "k-1", "25.00")
	if s1 != http.StatusCreated || first == "" {
		t.Fatalf("first: got %d %q", s1, first)
	}
	tests := []struct {
		name    string
		h       http.Handler
		key     string
		amount  string
		status  int
		sameAs  bool // answers the first request's order
		errCode string
	}{
		{"OK_Replay", alice, "k-1", "25.00", http.StatusCreated, true, ""},
		{"OK_ReplaySameAmountOtherSpelling", alice, "k-1", "25", http.StatusCreated, true, ""},
		{"ErrMismatch", alice, "k-1", "30.00", http.StatusUnprocessableEntity, false, panel.EIDEMPOTENCYMISMATCH},
		{"OK_OtherKey", alice, "k-2", "25.00", http.StatusCreated, false, ""},
		{"OK_OtherCustomerSameKey", bob, "k-1", "30.00", http.StatusCreated, false, ""},
		{"OK_NoKey", alice, "", "25.00", http.StatusCreated, false, ""},
		{"ErrKeyTooLong", alice, strings.Repeat("k", 201), "25.00", http.StatusBadRequest, false, panel.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, orderID, code := post(tt.h, tt.key, tt.amount)
			if status != tt.status || code != tt.errCode || (orderID == first) != tt.sameAs {
				t.Fatalf("got %d %q order %q, want %d %q (same order as first: %v)", status, code, orderID, tt.status, tt.errCode, tt.sameAs)
			}
		})
	}
	t.Run("OK_ConcurrentRetries", func(t *testing.T) {
		orders := make([]string, 10)
		var wg sync.WaitGroup
		for i := range orders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if s, o, c := post(alice, "k-race", "40.00"); s == http.StatusCreated {
					orders[i] = o
				} else {
					t.Errorf("retry %d: got %d %s", i, s, c)
				}
			}()
		}
		wg.Wait()
		for _, o := range orders {
			if o != orders[0] {
				t.Fatalf("got orders %v, want one", orders)
			}
		}
	})
}
