package billing_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

type fixedAuth struct{ p *panel.Principal }

func (a fixedAuth) Authenticate(*http.Request) (*panel.Principal, error) {
	if a.p == nil {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "Please sign in.")
	}
	return a.p, nil
}

func TestNewCheckout(t *testing.T) {
	tests := []struct {
		name   string
		apiURL string
		id     string
		want   billingapi.Checkout
	}{
		{"Live", "https://api-m.paypal.com", "AZ-live", billingapi.Checkout{Mode: "sdk", ClientID: "AZ-live", Currency: "USD",
			SDKURL: "https://www.paypal.com/sdk/js?client-id=AZ-live&currency=USD&intent=capture"}},
		{"Sandbox", "https://api-m.sandbox.paypal.com", "sb id&x", billingapi.Checkout{Mode: "sdk", ClientID: "sb id&x", Currency: "USD",
			SDKURL: "https://www.paypal.com/sdk/js?client-id=sb+id%26x&currency=USD&intent=capture"}},
		{"Simulator", "http://127.0.0.1:8081", "sim", billingapi.Checkout{Mode: "redirect", ClientID: "sim", Currency: "USD"}},
		{"LookalikeHost", "https://api-m.paypal.com.evil.test", "x", billingapi.Checkout{Mode: "redirect", ClientID: "x", Currency: "USD"}},
		{"PlainHTTP", "http://api-m.paypal.com", "x", billingapi.Checkout{Mode: "redirect", ClientID: "x", Currency: "USD"}},
		{"NoClientID", "https://api-m.paypal.com", "", billingapi.Checkout{Mode: "redirect", Currency: "USD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := billingapi.NewCheckout(config.Config{PayPalAPIURL: tt.apiURL, PayPalClientID: tt.id, Currency: "USD", OrderPrepayHours: 24})
			if got.OrderPrepayHours != 24 {
				t.Errorf("got %d prepay hours, want 24", got.OrderPrepayHours)
			}
			got.TopupMinMinor, got.TopupMaxMinor, got.OrderPrepayHours = 0, 0, 0 // TestCheckoutRoute checks the limits
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckoutRoute(t *testing.T) {
	cfg := config.Config{PayPalAPIURL: "https://api-m.paypal.com", PayPalClientID: "AZ-public",
		PayPalClientSecret: "EL-very-secret", Currency: "USD", TopupMinMinor: 700, TopupMaxMinor: 25000}
	get := func(t *testing.T, p *panel.Principal) *httptest.ResponseRecorder {
		t.Helper()
		h, err := httpx.Mount("billing", billingapi.WithCheckout(billingapi.Handlers(&bill.Service{Currency: "USD"}), cfg, &bill.Service{TopupMinMinor: cfg.TopupMinMinor, TopupMaxMinor: cfg.TopupMaxMinor}), fixedAuth{p})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/billing/checkout", nil))
		return w
	}
	t.Run("OK", func(t *testing.T) {
		w := get(t, &panel.Principal{UserID: "u_1", Role: panel.RoleCustomer})
		var got map[string]any
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil {
			t.Fatalf("got %d %s", w.Code, w.Body)
		}
		// The form checks the limits the API enforces (TOPUP_MIN, TOPUP_MAX).
		if got["topupMinMinor"] != 700.0 || got["topupMaxMinor"] != 25000.0 {
			t.Fatalf("got limits %v / %v, want 700 / 25000", got["topupMinMinor"], got["topupMaxMinor"])
		}
		if got["mode"] != "sdk" || got["clientId"] != "AZ-public" || got["currency"] != "USD" ||
			got["sdkUrl"] != "https://www.paypal.com/sdk/js?client-id=AZ-public&currency=USD&intent=capture" {
			t.Fatalf("got %v", got)
		}
		if strings.Contains(w.Body.String(), cfg.PayPalClientSecret) {
			t.Fatalf("the client secret leaked: %s", w.Body)
		}
	})
	t.Run("ErrUnauthorized", func(t *testing.T) {
		if w := get(t, nil); w.Code != http.StatusUnauthorized {
			t.Fatalf("got %d, want 401", w.Code)
		}
	})
	t.Run("DefaultRedirect", func(t *testing.T) {
		h, err := httpx.Mount("billing", billingapi.Handlers(&bill.Service{Currency: "EUR", TopupMinMinor: 500, TopupMaxMinor: 100000}),
			fixedAuth{&panel.Principal{UserID: "u_1"}})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/billing/checkout", nil))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"mode":"redirect"`) || !strings.Contains(w.Body.String(), `"currency":"EUR"`) ||
			!strings.Contains(w.Body.String(), `"topupMinMinor":500,"topupMaxMinor":100000`) {
			t.Fatalf("got %d %s", w.Code, w.Body)
		}
	})
}
