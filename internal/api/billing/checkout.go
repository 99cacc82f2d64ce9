package billing

import (
	"context"
	"net/http"
	"net/url"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/httpx"
)

// Checkout modes: the browser either runs PayPal's JS SDK buttons or is
// sent to the order's approval URL (the simulator's page locally).
const (
	CheckoutSDK      = "sdk"
	CheckoutRedirect = "redirect"
)

// paypalHosts are PayPal's own API hosts; any other host is a simulator,
// whose approval page the SDK cannot drive.
var paypalHosts = map[string]bool{"api-m.paypal.com": true, "api-m.sandbox.paypal.com": true}

// Checkout is the body of GET /api/billing/checkout: how the browser pays.
// The client id is public by design (PayPal's SDK URL carries it); the
// client secret never belongs here.
type Checkout struct {
	Mode     string `json:"mode" enum:"sdk,redirect"`
	ClientID string `json:"clientId"`
	Currency string `json:"currency"`
	SDKURL   string `json:"sdkUrl,omitempty"`
	// The bounds of a top-up (TOPUP_MIN, TOPUP_MAX), so the form checks
	// what the API will.
	TopupMinMinor int64 `json:"topupMinMinor"`
	TopupMaxMinor int64 `json:"topupMaxMinor"`
	// Hours of a plan's price an order's balance must cover (ORDER_PREPAY_HOURS),
	// so the order form can say how much is missing before it is sent.
	OrderPrepayHours int `json:"orderPrepayHours"`
}

// NewCheckout derives the checkout mode from the PayPal API URL: "sdk"
// against PayPal itself (with the SDK's script URL), "redirect" otherwise
// or when no client id is configured.
func NewCheckout(cfg config.Config) Checkout {
	c := Checkout{Mode: CheckoutRedirect, ClientID: cfg.PayPalClientID, Currency: cfg.Currency,
		TopupMinMinor: cfg.TopupMinMinor, TopupMaxMinor: cfg.TopupMaxMinor, OrderPrepayHours: max(cfg.OrderPrepayHours, 1)}
	if c.Currency == "" {
		c.Currency = "USD"
	}
	u, err := url.Parse(cfg.PayPalAPIURL)
	if err != nil || u.Scheme != "https" || !paypalHosts[u.Host] || c.ClientID == "" {
		return c
	}
	c.Mode = CheckoutSDK
	q := url.Values{"client-id": {c.ClientID}, "currency": {c.Currency}, "intent": {"capture"}}
	c.SDKURL = "https://www.paypal.com/sdk/js?" + q.Encode()
	return c
}

// Handler serves GET /api/billing/checkout; limits, when set, gives the
// top-up bounds in force (the administrators' settings) at each request.
func (c Checkout) Handler(limits func(ctx context.Context) (minMinor, maxMinor int64, prepayHours int)) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := caller(r); err != nil {
			return err
		}
		out := c
		if limits != nil {
			var hours int
			out.TopupMinMinor, out.TopupMaxMinor, hours = limits(r.Context())
			out.OrderPrepayHours = max(hours, 1)
		}
		return httpx.Encode(w, http.StatusOK, out)
	}
}

// WithCheckout replaces the checkout route of hs (which Handlers serves in
// redirect mode, as it knows only the currency) with one built from cfg,
// whose top-up bounds are those in force at svc.
func WithCheckout(hs httpx.Handlers, cfg config.Config, svc *bill.Service) httpx.Handlers {
	hs["GET /api/billing/checkout"] = NewCheckout(cfg).Handler(limitsOf(svc))
	return hs
}

// limitsOf reads the top-up bounds and order prepay hours in force at svc.
func limitsOf(svc *bill.Service) func(ctx context.Context) (int64, int64, int) {
	return func(ctx context.Context) (int64, int64, int) {
		e := svc.Effective(ctx)
		return e.TopupMinMinor, e.TopupMaxMinor, e.OrderPrepayHours
	}
}
