package billing

import (
	"net/http"
	"net/url"

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

// Handler serves GET /api/billing/checkout.
func (c Checkout) Handler() httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := caller(r); err != nil {
			return err
		}
		return httpx.Encode(w, http.StatusOK, c)
	}
}

// WithCheckout replaces the checkout route of hs (which Handlers serves in
// redirect mode, as it knows only the currency) with one built from cfg.
func WithCheckout(hs httpx.Handlers, cfg config.Config) httpx.Handlers {
	hs["GET /api/billing/checkout"] = NewCheckout(cfg).Handler()
	return hs
}
