package paypal_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a simulator plus a client pointed at it.
type env struct {
	sim    *paypalsim.Server
	client *paypal.Client
	clock  *clock
	cfg    paypal.Config
}

// MustEnv starts a simulator and returns a client for it sharing one clock.
func MustEnv(tb testing.TB, opts paypalsim.Options) *env {
	tb.Helper()
	clk := newClock()
	opts.ClientID, opts.ClientSecret, opts.WebhookID = "cid", "secret", "WH-ID-1"
	opts.Clock = clk.Now
	opts.RetryBackoff = time.Millisecond
	sim := paypalsim.New(opts)
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatalf("start simulator: %v", err)
	}
	tb.Cleanup(func() { sim.Close() })
	u, _ := url.Parse(base)
	cfg := paypal.Config{
		BaseURL: base, ClientID: "cid", ClientSecret: "secret", WebhookID: "WH-ID-1",
		TrustedCertHosts: []string{u.Host}, Clock: clk.Now, Backoff: time.Millisecond,
		HTTPClient: &http.Client{Timeout: 5 * time.Second},
	}
	return &env{sim: sim, client: paypal.New(cfg), clock: clk, cfg: cfg}
}

func order(id string) paypal.CreateOrderInput {
	return paypal.CreateOrderInput{
		AmountMinor: 1050, Currency: "USD", CustomID: id, InvoiceID: "INV-" + id,
		ReturnURL: "https://panel.example/billing/paypal/return", CancelURL: "https://panel.example/billing",
	}
}

func code(err error) string { return panel.ErrorCode(err) }

func TestToken(t *testing.T) {
	ctx := context.Background()
	t.Run("OK_Cached", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		o, err := e.client.CreateOrder(ctx, order("t1"), "req-t1")
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := e.client.GetOrder(ctx, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.sim.TokenRequests(); got != 1 {
			t.Errorf("token requests = %d, want 1", got)
		}
	})
	t.Run("OK_RenewedBeforeExpiry", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{TokenTTL: time.Hour})
		if _, err := e.client.CreateOrder(ctx, order("t2"), "req-t2"); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(55 * time.Minute) // inside the renewal margin, still valid at PayPal
		if _, err := e.client.CreateOrder(ctx, order("t3"), "req-t3"); err != nil {
			t.Fatal(err)
		}
		if got := e.sim.TokenRequests(); got != 2 {
			t.Errorf("token requests = %d, want 2", got)
		}
	})
	t.Run("OK_RefreshOn401", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		o, err := e.client.CreateOrder(ctx, order("t4"), "req-t4")
		if err != nil {
			t.Fatal(err)
		}
		e.sim.ExpireTokens()
		if _, err := e.client.GetOrder(ctx, o.ID); err != nil {
			t.Fatalf("after revoked token: %v", err)
		}
		if got := e.sim.TokenRequests(); got != 2 {
			t.Errorf("token requests = %d, want 2", got)
		}
	})
	t.Run("OK_Concurrent", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				_, err := e.client.CreateOrder(ctx, order("c"+string(rune('a'+i))), "req-c"+string(rune('a'+i)))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := e.sim.TokenRequests(); got != 1 {
			t.Errorf("token requests = %d, want 1", got)
		}
	})
	t.Run("ErrInvalidClient", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		cfg := e.cfg
		cfg.ClientSecret = "wrong"
		_, err := paypal.New(cfg).CreateOrder(ctx, order("t5"), "req-t5")
		var ae *paypal.APIError
		if !errors.As(err, &ae) || ae.Status != 401 || ae.Name != "invalid_client" {
			t.Fatalf("got %v, want 401 invalid_client", err)
		}
		if code(err) != panel.EUPSTREAM {
			t.Errorf("code = %q, want %q", code(err), panel.EUPSTREAM)
		}
	})
}

func TestCreateOrder(t *testing.T) {
	ctx := context.Background()
	e := MustEnv(t, paypalsim.Options{})
	t.Run("OK", func(t *testing.T) {
		o, err := e.client.CreateOrder(ctx, order("topup-1"), "req-1")
		if err != nil {
			t.Fatal(err)
		}
		if o.ID == "" || o.Status != paypal.OrderCreated || o.CustomID != "topup-1" || o.AmountMinor != 1050 || o.Currency != "USD" {
			t.Errorf("got %+v", o)
		}
		if !strings.Contains(o.ApproveURL, "/checkoutnow?token="+o.ID) {
			t.Errorf("ApproveURL = %q", o.ApproveURL)
		}
		again, err := e.client.CreateOrder(ctx, order("topup-1"), "req-1")
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != o.ID {
			t.Errorf("replayed id = %s, want %s", again.ID, o.ID)
		}
		got, err := e.client.GetOrder(ctx, o.ID)
		if err != nil || got.ID != o.ID || got.InvoiceID != "INV-topup-1" {
			t.Errorf("GetOrder = %+v, %v", got, err)
		}
	})
	t.Run("OK_ZeroDecimalCurrency", func(t *testing.T) {
		in := order("jpy")
		in.Currency, in.AmountMinor = "JPY", 1500
		o, err := e.client.CreateOrder(ctx, in, "req-jpy")
		if err != nil {
			t.Fatal(err)
		}
		if o.AmountMinor != 1500 || o.Currency != "JPY" {
			t.Errorf("got %d %s, want 1500 JPY", o.AmountMinor, o.Currency)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		in := order("")
		in.AmountMinor, in.ReturnURL = 0, "/relative"
		_, err := e.client.CreateOrder(ctx, in, "req-bad")
		var pe *panel.Error
		if !errors.As(err, &pe) || pe.Code != panel.EINVALID || len(pe.Fields) != 3 {
			t.Fatalf("got %v (%+v), want invalid with 3 fields", err, pe)
		}
	})
	t.Run("ErrDuplicateInvoiceID", func(t *testing.T) {
		_, err := e.client.CreateOrder(ctx, order("topup-1"), "req-other")
		if !paypal.HasIssue(err, paypal.IssueDuplicateInvoiceID) {
			t.Fatalf("got %v, want DUPLICATE_INVOICE_ID", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := e.client.GetOrder(ctx, "NOPE1234567890ABC")
		if code(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want not_found", err)
		}
	})
}

func TestCaptureOrder(t *testing.T) {
	ctx := context.Background()
	e := MustEnv(t, paypalsim.Options{})
	o, err := e.client.CreateOrder(ctx, order("topup-7"), "req-create-7")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNotApproved", func(t *testing.T) {
		_, err := e.client.CaptureOrder(ctx, o.ID, "req-cap-early")
		if !paypal.IsNotApproved(err) || code(err) != panel.EPAYMENTREQUIRED {
			t.Fatalf("got %v, want ORDER_NOT_APPROVED", err)
		}
	})
	if err := e.sim.Approve(o.ID); err != nil {
		t.Fatal(err)
	}
	var first *paypal.CaptureResult
	t.Run("OK", func(t *testing.T) {
		first, err = e.client.CaptureOrder(ctx, o.ID, "req-cap-7")
		if err != nil {
			t.Fatal(err)
		}
		if first.OrderID != o.ID || first.Status != paypal.OrderCompleted || len(first.Captures) != 1 {
			t.Fatalf("got %+v", first)
		}
		c := first.Captures[0]
		if c.ID == "" || c.Status != paypal.CaptureCompleted || c.AmountMinor != 1050 || c.Currency != "USD" || c.CustomID != "topup-7" || c.OrderID != o.ID {
			t.Errorf("capture = %+v", c)
		}
	})
	t.Run("OK_IdempotentRetry", func(t *testing.T) {
		again, err := e.client.CaptureOrder(ctx, o.ID, "req-cap-7")
		if err != nil {
			t.Fatal(err)
		}
		if again.Captures[0].ID != first.Captures[0].ID {
			t.Errorf("capture id = %s, want %s", again.Captures[0].ID, first.Captures[0].ID)
		}
	})
	t.Run("ErrAlreadyCaptured", func(t *testing.T) {
		_, err := e.client.CaptureOrder(ctx, o.ID, "req-cap-other")
		if !paypal.IsAlreadyCaptured(err) || code(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want ORDER_ALREADY_CAPTURED", err)
		}
		var ae *paypal.APIError
		if !errors.As(err, &ae) || ae.Status != 422 || ae.DebugID == "" {
			t.Errorf("APIError = %+v", ae)
		}
	})
	t.Run("ErrInstrumentDeclined", func(t *testing.T) {
		o2, err := e.client.CreateOrder(ctx, order("topup-8"), "req-create-8")
		if err != nil {
			t.Fatal(err)
		}
		e.sim.Approve(o2.ID)
		e.sim.DeclineNextCapture(o2.ID)
		_, err = e.client.CaptureOrder(ctx, o2.ID, "req-cap-8")
		if !paypal.IsInstrumentDeclined(err) {
			t.Fatalf("got %v, want INSTRUMENT_DECLINED", err)
		}
	})
	t.Run("OK_Refund", func(t *testing.T) {
		r, err := e.client.RefundCapture(ctx, first.Captures[0].ID, 50, "USD", "req-refund-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.ID == "" || r.Status != paypal.RefundCompleted || r.AmountMinor != 50 || r.CaptureID != first.Captures[0].ID {
			t.Errorf("refund = %+v", r)
		}
	})
}

func TestAPIFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		fault    paypalsim.Fault
		timeout  time.Duration
		wantCode string // "" means success after retries
	}{
		{"OK_RetriedAfter500", paypalsim.Fault{Path: "/v2/", Status: 500, Count: 2}, 0, ""},
		{"OK_RetriedAfter429", paypalsim.Fault{Path: "/v2/", Status: 429, Count: 1}, 0, ""},
		{"ErrUnavailable", paypalsim.Fault{Path: "/v2/", Status: 503}, 0, panel.EUNAVAILABLE},
		{"ErrRateLimitedLongRetryAfter", paypalsim.Fault{Path: "/v2/", Status: 429, RetryAfter: 30}, 0, panel.ERATELIMITED},
		{"ErrMalformed", paypalsim.Fault{Path: "/v2/", Malformed: true}, 0, panel.EUPSTREAM},
		{"ErrTimeout", paypalsim.Fault{Path: "/v2/", Timeout: true}, 100 * time.Millisecond, panel.ETIMEOUT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustEnv(t, paypalsim.Options{})
			o, err := e.client.CreateOrder(ctx, order("f"), "req-f")
			if err != nil {
				t.Fatal(err)
			}
			client := e.client
			if tt.timeout > 0 {
				cfg := e.cfg
				cfg.HTTPClient = &http.Client{Timeout: tt.timeout}
				cfg.MaxRetries = -1
				client = paypal.New(cfg)
			}
			e.sim.SetFault(tt.fault)
			_, err = client.GetOrder(ctx, o.ID)
			if got := code(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
		})
	}
}

func TestAPIErrorDecoding(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   paypal.APIError
		code   string
	}{
		{"ErrAlreadyCaptured", 422, nil,
			`{"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"ORDER_ALREADY_CAPTURED","description":"Order already captured."}],"message":"The requested action could not be performed.","debug_id":"f6fb6c3fd8e1d"}`,
			paypal.APIError{Status: 422, Name: "UNPROCESSABLE_ENTITY", Issue: "ORDER_ALREADY_CAPTURED", Description: "Order already captured.", Message: "The requested action could not be performed.", DebugID: "f6fb6c3fd8e1d"},
			panel.ECONFLICT},
		{"ErrNotFound", 404, nil,
			`{"name":"RESOURCE_NOT_FOUND","details":[{"field":"order_id","issue":"INVALID_RESOURCE_ID","description":"Specified resource ID does not exist."}],"message":"The specified resource does not exist.","debug_id":"abc"}`,
			paypal.APIError{Status: 404, Name: "RESOURCE_NOT_FOUND", Issue: "INVALID_RESOURCE_ID", Description: "Specified resource ID does not exist.", Message: "The specified resource does not exist.", DebugID: "abc"},
			panel.ENOTFOUND},
		{"ErrRateLimited", 429, http.Header{"Retry-After": {"7"}, "Paypal-Debug-Id": {"hdr-debug"}},
			`{"name":"RATE_LIMIT_REACHED","message":"Too many requests."}`,
			paypal.APIError{Status: 429, Name: "RATE_LIMIT_REACHED", Message: "Too many requests.", DebugID: "hdr-debug", RetryAfter: 7},
			panel.ERATELIMITED},
		{"ErrNotJSON", 502, nil, `<html>bad gateway</html>`,
			paypal.APIError{Status: 502, Name: "BAD_GATEWAY"}, panel.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/v1/oauth2/token" {
					w.Write([]byte(`{"access_token":"tok","token_type":"Bearer","expires_in":32400}`))
					return
				}
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c := paypal.New(paypal.Config{BaseURL: srv.URL, ClientID: "a", ClientSecret: "b", MaxRetries: -1})
			_, err := c.GetOrder(context.Background(), "ORDER1")
			var ae *paypal.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v, want *APIError", err)
			}
			if *ae != tt.want {
				t.Errorf("got %+v, want %+v", *ae, tt.want)
			}
			if got := code(err); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
		})
	}
}

func TestAmount(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		wire     string
	}{
		{1000, "USD", "10.00"}, {5, "EUR", "0.05"}, {123456, "usd", "1234.56"}, {1500, "JPY", "1500"}, {0, "USD", "0.00"},
	}
	for _, tt := range tests {
		if got := paypal.FormatAmount(tt.minor, tt.currency); got != tt.wire {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tt.minor, tt.currency, got, tt.wire)
		}
		if got, err := paypal.ParseAmount(tt.wire, tt.currency); err != nil || got != tt.minor {
			t.Errorf("ParseAmount(%q, %s) = %d, %v, want %d", tt.wire, tt.currency, got, err, tt.minor)
		}
	}
	for _, bad := range []string{"", "1.", ".5", "1.234", "-1.00", "1e3", "1,00", "+1"} {
		if _, err := paypal.ParseAmount(bad, "USD"); err == nil {
			t.Errorf("ParseAmount(%q) succeeded, want error", bad)
		}
	}
	if _, err := paypal.ParseAmount("10.5", "JPY"); err == nil {
		t.Error("ParseAmount(10.5 JPY) succeeded, want error")
	}
}
