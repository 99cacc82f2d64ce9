package paypalsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

// receiver is a webhook endpoint that verifies deliveries with the real
// client and answers with the statuses queued in fail (then 200).
type receiver struct {
	srv    *httptest.Server
	client *paypal.Client
	fails  atomic.Int32 // answer 500 this many more times
	mu     sync.Mutex
	events []*paypal.WebhookEvent
	errs   []error
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rc.fails.Add(-1) >= 0 {
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	body, _ := io.ReadAll(r.Body)
	ev, err := rc.client.VerifyWebhook(r.Context(), r.Header, body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err != nil {
		rc.errs = append(rc.errs, err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	rc.events = append(rc.events, ev)
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) received() ([]*paypal.WebhookEvent, []error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*paypal.WebhookEvent(nil), rc.events...), append([]error(nil), rc.errs...)
}

type env struct {
	sim    *paypalsim.Server
	client *paypal.Client
	rc     *receiver
}

// MustEnv starts a receiver, a simulator delivering to it and a client.
func MustEnv(tb testing.TB, opts paypalsim.Options) *env {
	tb.Helper()
	rc := &receiver{}
	rc.srv = httptest.NewServer(rc)
	tb.Cleanup(rc.srv.Close)
	opts.ClientID, opts.ClientSecret, opts.WebhookID = "cid", "secret", "WH-SIM"
	opts.WebhookURL = rc.srv.URL
	if opts.RetryBackoff == 0 {
		opts.RetryBackoff = time.Millisecond
	}
	sim := paypalsim.New(opts)
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sim.Close() })
	u, _ := url.Parse(base)
	client := paypal.New(paypal.Config{BaseURL: base, ClientID: "cid", ClientSecret: "secret", WebhookID: "WH-SIM", TrustedCertHosts: []string{u.Host}})
	rc.client = client
	return &env{sim: sim, client: client, rc: rc}
}

func (e *env) flush(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.sim.Flush(ctx); err != nil {
		tb.Fatalf("deliveries did not finish: %v", err)
	}
}

// raw sends a request to the simulator with a fresh token and decodes the
// JSON answer.
func (e *env) raw(tb testing.TB, method, path, body string, h http.Header) (int, map[string]any) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.sim.URL+"/v1/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth("cid", "secret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	status, _ := do(tb, req, &tok)
	if status != 200 {
		tb.Fatalf("token: status %d", status)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ = http.NewRequest(method, e.sim.URL+path, rd)
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	var out map[string]any
	status, _ = do(tb, req, &out)
	return status, out
}

func do(tb testing.TB, req *http.Request, out any) (int, []byte) {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	json.Unmarshal(b, out)
	return resp.StatusCode, b
}

func issue(m map[string]any) string {
	d, _ := m["details"].([]any)
	if len(d) == 0 {
		return ""
	}
	first, _ := d[0].(map[string]any)
	s, _ := first["issue"].(string)
	return s
}

const orderBody = `{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"USD","value":"10.00"},"custom_id":"topup-1"}],
"payment_source":{"paypal":{"experience_context":{"return_url":"https://panel.example/return?x=1","cancel_url":"https://panel.example/cancel"}}}}`

func TestToken(t *testing.T) {
	e := MustEnv(t, paypalsim.Options{})
	tests := []struct {
		name, user, pass, form string
		status                 int
		errName                string
	}{
		{"OK", "cid", "secret", "grant_type=client_credentials", 200, ""},
		{"ErrInvalidClient", "cid", "nope", "grant_type=client_credentials", 401, "invalid_client"},
		{"ErrGrantType", "cid", "secret", "grant_type=password", 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.sim.URL+"/v1/oauth2/token", strings.NewReader(tt.form))
			req.SetBasicAuth(tt.user, tt.pass)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			var out map[string]any
			status, _ := do(t, req, &out)
			if status != tt.status || (tt.errName != "" && out["error"] != tt.errName) || (tt.errName == "" && out["access_token"] == "") {
				t.Errorf("got %d %v, want %d %s", status, out, tt.status, tt.errName)
			}
		})
	}
	t.Run("ErrNoBearer", func(t *testing.T) {
		resp, err := http.Get(e.sim.URL + "/v2/checkout/orders/X")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("status = %d, want 401", resp.StatusCode)
		}
	})
}

func TestCreateOrderValidation(t *testing.T) {
	e := MustEnv(t, paypalsim.Options{})
	tests := []struct {
		name, body  string
		contentType string
		status      int
		issue       string
	}{
		{"ErrMalformedJSON", `{"intent":`, "", 400, "MALFORMED_REQUEST_JSON"},
		{"ErrMediaType", `{}`, "text/plain", 415, ""},
		{"ErrMissingIntent", `{"purchase_units":[{"amount":{"currency_code":"USD","value":"1.00"}}]}`, "", 400, "MISSING_REQUIRED_PARAMETER"},
		{"ErrMissingUnits", `{"intent":"CAPTURE"}`, "", 400, "MISSING_REQUIRED_PARAMETER"},
		{"ErrValueSyntax", `{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"USD","value":"1,00"}}]}`, "", 400, "INVALID_PARAMETER_SYNTAX"},
		{"ErrDecimalPrecision", `{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"JPY","value":"100.50"}}]}`, "", 422, "DECIMAL_PRECISION"},
		{"ErrZero", `{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"USD","value":"0.00"}}]}`, "", 422, "CANNOT_BE_ZERO_OR_NEGATIVE"},
		{"ErrCustomIDLength", `{"intent":"CAPTURE","purchase_units":[{"amount":{"currency_code":"USD","value":"1.00"},"custom_id":"` + strings.Repeat("x", 128) + `"}]}`, "", 400, "INVALID_STRING_MAX_LENGTH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			status, out := e.raw(t, http.MethodPost, "/v2/checkout/orders", tt.body, h)
			if status != tt.status || issue(out) != tt.issue {
				t.Errorf("got %d %s, want %d %s (%v)", status, issue(out), tt.status, tt.issue, out)
			}
			if tt.status != 415 && (out["name"] == nil || out["debug_id"] == nil || out["message"] == nil) {
				t.Errorf("error shape = %v, want name, message, debug_id", out)
			}
		})
	}
}

func TestOrderLifecycle(t *testing.T) {
	e := MustEnv(t, paypalsim.Options{})
	reqID := http.Header{"Paypal-Request-Id": {"create-1"}, "Prefer": {"return=representation"}}

	status, created := e.raw(t, http.MethodPost, "/v2/checkout/orders", orderBody, reqID)
	if status != 201 || created["status"] != "CREATED" {
		t.Fatalf("create: %d %v", status, created)
	}
	id := created["id"].(string)
	t.Run("OK_ReplaySameRequestID", func(t *testing.T) {
		status, again := e.raw(t, http.MethodPost, "/v2/checkout/orders", orderBody, reqID)
		if status != 200 || again["id"] != id {
			t.Errorf("got %d %v, want 200 with id %s", status, again["id"], id)
		}
	})
	t.Run("OK_NewRequestIDNewOrder", func(t *testing.T) {
		status, other := e.raw(t, http.MethodPost, "/v2/checkout/orders", orderBody, http.Header{"Paypal-Request-Id": {"create-2"}})
		if status != 201 || other["id"] == id {
			t.Errorf("got %d %v, want 201 with a new id", status, other["id"])
		}
		if _, ok := other["purchase_units"]; ok {
			t.Error("return=minimal answer has purchase_units")
		}
	})
	t.Run("ErrNotApproved", func(t *testing.T) {
		status, out := e.raw(t, http.MethodPost, "/v2/checkout/orders/"+id+"/capture", "", http.Header{"Paypal-Request-Id": {"cap-early"}})
		if status != 422 || issue(out) != "ORDER_NOT_APPROVED" {
			t.Errorf("got %d %s", status, issue(out))
		}
	})
	if err := e.sim.Approve(id); err != nil {
		t.Fatal(err)
	}
	if _, got := e.raw(t, http.MethodGet, "/v2/checkout/orders/"+id, "", nil); got["status"] != "APPROVED" {
		t.Fatalf("status after approve = %v", got["status"])
	}
	capHdr := http.Header{"Paypal-Request-Id": {"cap-1"}}
	status, captured := e.raw(t, http.MethodPost, "/v2/checkout/orders/"+id+"/capture", "{}", capHdr)
	if status != 201 || captured["status"] != "COMPLETED" {
		t.Fatalf("capture: %d %v", status, captured)
	}
	capID := firstCapture(t, captured)["id"]
	t.Run("OK_CaptureShape", func(t *testing.T) {
		c := firstCapture(t, captured)
		if c["status"] != "COMPLETED" || c["custom_id"] != "topup-1" || c["amount"].(map[string]any)["value"] != "10.00" {
			t.Errorf("capture = %v", c)
		}
	})
	t.Run("OK_CaptureReplay", func(t *testing.T) {
		status, again := e.raw(t, http.MethodPost, "/v2/checkout/orders/"+id+"/capture", "{}", capHdr)
		if status != 200 || firstCapture(t, again)["id"] != capID {
			t.Errorf("got %d, capture %v, want 200 and %v", status, firstCapture(t, again)["id"], capID)
		}
	})
	t.Run("ErrAlreadyCaptured", func(t *testing.T) {
		status, out := e.raw(t, http.MethodPost, "/v2/checkout/orders/"+id+"/capture", "{}", http.Header{"Paypal-Request-Id": {"cap-2"}})
		if status != 422 || issue(out) != "ORDER_ALREADY_CAPTURED" {
			t.Errorf("got %d %s", status, issue(out))
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		status, out := e.raw(t, http.MethodGet, "/v2/checkout/orders/NOPE", "", nil)
		if status != 404 || out["name"] != "RESOURCE_NOT_FOUND" {
			t.Errorf("got %d %v", status, out)
		}
	})
	t.Run("OK_Refund", func(t *testing.T) {
		status, out := e.raw(t, http.MethodPost, "/v2/payments/captures/"+capID.(string)+"/refund", `{"amount":{"currency_code":"USD","value":"4.00"}}`, nil)
		if status != 201 || out["status"] != "COMPLETED" {
			t.Fatalf("got %d %v", status, out)
		}
		status, out = e.raw(t, http.MethodPost, "/v2/payments/captures/"+capID.(string)+"/refund", `{"amount":{"currency_code":"USD","value":"7.00"}}`, nil)
		if status != 422 || issue(out) != "REFUND_AMOUNT_EXCEEDED" {
			t.Errorf("over-refund: %d %s", status, issue(out))
		}
		_, c := e.raw(t, http.MethodGet, "/v2/payments/captures/"+capID.(string), "", nil)
		if c["status"] != "PARTIALLY_REFUNDED" {
			t.Errorf("capture status = %v, want PARTIALLY_REFUNDED", c["status"])
		}
	})
}

func firstCapture(tb testing.TB, order map[string]any) map[string]any {
	tb.Helper()
	defer func() {
		if r := recover(); r != nil {
			tb.Fatalf("no capture in %v", order)
		}
	}()
	pu := order["purchase_units"].([]any)[0].(map[string]any)
	return pu["payments"].(map[string]any)["captures"].([]any)[0].(map[string]any)
}

func TestCheckoutPage(t *testing.T) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	create := func(t *testing.T, e *env) string {
		_, o := e.raw(t, http.MethodPost, "/v2/checkout/orders", orderBody, nil)
		return o["id"].(string)
	}
	t.Run("OK_Approve", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		id := create(t, e)
		resp, err := http.Get(e.sim.URL + "/checkoutnow?token=" + id)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Contains(page, []byte("Pay with PayPal (simulated)")) || !bytes.Contains(page, []byte("Cancel")) {
			t.Fatalf("page = %s", page)
		}
		resp, err = noFollow.PostForm(e.sim.URL+"/checkoutnow/approve", url.Values{"token": {id}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || loc.Host != "panel.example" || loc.Path != "/return" ||
			loc.Query().Get("token") != id || loc.Query().Get("PayerID") == "" || loc.Query().Get("x") != "1" {
			t.Errorf("redirect = %d %s", resp.StatusCode, loc)
		}
		e.flush(t)
		events, errs := e.rc.received()
		if len(errs) > 0 || len(events) != 1 || events[0].EventType != paypal.EventOrderApproved {
			t.Fatalf("events = %v, errs = %v", events, errs)
		}
		o, err := events[0].Order()
		if err != nil || o.ID != id || o.CustomID != "topup-1" || o.Status != "APPROVED" {
			t.Errorf("order = %+v, %v", o, err)
		}
	})
	t.Run("OK_Cancel", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		id := create(t, e)
		resp, err := noFollow.PostForm(e.sim.URL+"/checkoutnow/cancel", url.Values{"token": {id}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "https://panel.example/cancel?token="+id) {
			t.Errorf("redirect = %s", loc)
		}
		if _, o := e.raw(t, http.MethodGet, "/v2/checkout/orders/"+id, "", nil); o["status"] != "CREATED" {
			t.Errorf("status = %v, want CREATED", o["status"])
		}
	})
	t.Run("OK_AutoApprove", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{AutoApprove: true})
		id := create(t, e)
		resp, err := noFollow.Get(e.sim.URL + "/checkoutnow?token=" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "PayerID=") {
			t.Errorf("got %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestWebhookDelivery(t *testing.T) {
	ctx := context.Background()
	newOrder := func(t *testing.T, e *env, customID string) (orderID, captureID string) {
		t.Helper()
		o, err := e.client.CreateOrder(ctx, paypal.CreateOrderInput{
			AmountMinor: 2500, Currency: "EUR", CustomID: customID,
			ReturnURL: "https://panel.example/r", CancelURL: "https://panel.example/c",
		}, "create-"+customID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.sim.Approve(o.ID); err != nil {
			t.Fatal(err)
		}
		res, err := e.client.CaptureOrder(ctx, o.ID, "capture-"+customID)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID, res.Captures[0].ID
	}

	t.Run("OK_VerifiedByClient", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		orderID, captureID := newOrder(t, e, "topup-42")
		e.flush(t)
		events, errs := e.rc.received()
		if len(errs) > 0 || len(events) != 2 {
			t.Fatalf("events = %d, errs = %v", len(events), errs)
		}
		// Deliveries run concurrently, so order is not guaranteed (nor is it by PayPal).
		byType := map[string]*paypal.WebhookEvent{}
		for _, ev := range events {
			byType[ev.EventType] = ev
		}
		if byType[paypal.EventOrderApproved] == nil || byType[paypal.EventCaptureCompleted] == nil {
			t.Fatalf("types = %v", eventTypes(events))
		}
		c, err := byType[paypal.EventCaptureCompleted].Capture()
		if err != nil {
			t.Fatal(err)
		}
		want := paypal.Capture{ID: captureID, Status: "COMPLETED", AmountMinor: 2500, Currency: "EUR", CustomID: "topup-42", OrderID: orderID}
		if *c != want {
			t.Errorf("capture = %+v, want %+v", *c, want)
		}
	})
	t.Run("OK_RetriedAfter500", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		e.rc.fails.Store(2)
		if _, err := e.client.CreateOrder(ctx, paypal.CreateOrderInput{AmountMinor: 100, Currency: "USD", CustomID: "r", ReturnURL: "https://p.example/r", CancelURL: "https://p.example/c"}, "c-r"); err != nil {
			t.Fatal(err)
		}
		ids := e.sim.EventIDs()
		if len(ids) != 0 {
			t.Fatalf("events before approval: %v", ids)
		}
		o, _ := e.client.CreateOrder(ctx, paypal.CreateOrderInput{AmountMinor: 100, Currency: "USD", CustomID: "r", ReturnURL: "https://p.example/r", CancelURL: "https://p.example/c"}, "c-r")
		e.sim.Approve(o.ID)
		e.flush(t)
		ds := e.sim.Deliveries()
		if len(ds) != 3 || ds[0].Status != 500 || ds[1].Status != 500 || !ds[2].OK() || ds[2].Attempt != 3 {
			t.Fatalf("deliveries = %+v", summary(ds))
		}
		if ds[0].Header.Get("Paypal-Transmission-Id") == ds[2].Header.Get("Paypal-Transmission-Id") {
			t.Error("retry reused the transmission id")
		}
		if events, errs := e.rc.received(); len(events) != 1 || len(errs) != 0 {
			t.Errorf("received %d events, errs %v", len(events), errs)
		}
	})
	t.Run("ErrGivesUpAfterMaxAttempts", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{MaxAttempts: 3})
		e.rc.fails.Store(100)
		newOrder(t, e, "g")
		e.flush(t)
		ds := e.sim.Deliveries()
		if len(ds) != 6 { // two events × three attempts
			t.Fatalf("deliveries = %v", summary(ds))
		}
		for _, d := range ds {
			if d.OK() {
				t.Errorf("delivery %+v succeeded", d)
			}
		}
	})
	t.Run("OK_DuplicateDeliveries", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{DuplicateDeliveries: 1})
		newOrder(t, e, "d")
		e.flush(t)
		events, _ := e.rc.received()
		seen := map[string][]string{} // event id → transmission ids
		for _, ev := range events {
			seen[ev.ID] = append(seen[ev.ID], ev.TransmissionID)
		}
		if len(events) != 4 || len(seen) != 2 {
			t.Fatalf("events = %v", eventIDs(events))
		}
		for id, tx := range seen {
			if len(tx) != 2 || tx[0] == tx[1] {
				t.Errorf("event %s transmissions = %v, want 2 distinct", id, tx)
			}
		}
	})
	t.Run("OK_ResendEvent", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		newOrder(t, e, "s")
		e.flush(t)
		ids := e.sim.EventIDs()
		if err := e.sim.ResendEvent(ids[1]); err != nil {
			t.Fatal(err)
		}
		e.flush(t)
		events, _ := e.rc.received()
		count := 0
		for _, ev := range events {
			if ev.ID == ids[1] {
				count++
			}
		}
		if len(events) != 3 || count != 2 {
			t.Errorf("events = %v, want %s twice", eventIDs(events), ids[1])
		}
	})
	t.Run("OK_RefundReverseDeny", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		_, cap1 := newOrder(t, e, "h1")
		_, cap2 := newOrder(t, e, "h2")
		_, cap3 := newOrder(t, e, "h3")
		refundID, err := e.sim.Refund(cap1, 500)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.sim.Reverse(cap2); err != nil {
			t.Fatal(err)
		}
		if err := e.sim.Deny(cap3); err != nil {
			t.Fatal(err)
		}
		e.flush(t)
		events, errs := e.rc.received()
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		byType := map[string]*paypal.WebhookEvent{}
		for _, ev := range events {
			byType[ev.EventType] = ev
		}
		// Refund resources are PayPal's refunds: no custom_id of the
		// capture; the "up" link is the only way back to it.
		r, err := byType[paypal.EventCaptureRefunded].Refund()
		if err != nil || r.ID != refundID || r.CaptureID != cap1 || r.AmountMinor != 500 || r.CustomID != "" || r.InvoiceID != "" {
			t.Errorf("refund = %+v, %v", r, err)
		}
		if raw := string(byType[paypal.EventCaptureRefunded].Resource); strings.Contains(raw, "custom_id") {
			t.Errorf("refund resource has custom_id: %s", raw)
		}
		r, err = byType[paypal.EventCaptureReversed].Refund()
		if err != nil || r.CaptureID != cap2 || r.AmountMinor != 2500 || r.CustomID != "" || byType[paypal.EventCaptureReversed].ResourceType != "refund" {
			t.Errorf("reversal = %+v, %v", r, err)
		}
		// GET /v2/payments/refunds/{id} answers the same refund.
		got, err := e.client.GetRefund(ctx, refundID)
		if err != nil || got.ID != refundID || got.CaptureID != cap1 || got.AmountMinor != 500 || got.Status != paypal.RefundCompleted {
			t.Errorf("GetRefund = %+v, %v", got, err)
		}
		if _, err := e.client.GetRefund(ctx, "NOSUCHREFUND1"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("GetRefund(unknown): got %v, want not_found", err)
		}
		c, err := byType[paypal.EventCaptureDenied].Capture()
		if err != nil || c.ID != cap3 || c.Status != "DECLINED" {
			t.Errorf("denied = %+v, %v", c, err)
		}
	})
	t.Run("OK_PendingThenCompleted", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		e.sim.HoldCaptures("PENDING_REVIEW")
		o, _ := e.client.CreateOrder(ctx, paypal.CreateOrderInput{AmountMinor: 100, Currency: "USD", CustomID: "p", ReturnURL: "https://p.example/r", CancelURL: "https://p.example/c"}, "c-p")
		e.sim.Approve(o.ID)
		res, err := e.client.CaptureOrder(ctx, o.ID, "cap-p")
		if err != nil {
			t.Fatal(err)
		}
		if c := res.Captures[0]; c.Status != paypal.CapturePending || c.StatusReason != "PENDING_REVIEW" {
			t.Fatalf("capture = %+v", c)
		}
		capID := res.Captures[0].ID
		// GET /v2/payments/captures/{id} carries custom_id and the order.
		gc, err := e.client.GetCapture(ctx, capID)
		if err != nil || gc.ID != capID || gc.Status != paypal.CapturePending || gc.CustomID != "p" || gc.OrderID != o.ID || gc.AmountMinor != 100 {
			t.Errorf("GetCapture = %+v, %v", gc, err)
		}
		if _, err := e.client.GetCapture(ctx, "NOSUCHCAPTURE"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Errorf("GetCapture(unknown): got %v, want not_found", err)
		}
		if err := e.sim.Complete(capID); err != nil {
			t.Fatal(err)
		}
		e.flush(t)
		events, _ := e.rc.received()
		for _, ev := range events {
			if ev.EventType != paypal.EventCapturePending {
				continue
			}
			// Like PayPal's sample: no custom_id, no supplementary_data;
			// the "up" link names the order.
			if raw := string(ev.Resource); strings.Contains(raw, "custom_id") || strings.Contains(raw, "supplementary_data") {
				t.Errorf("pending resource = %s", raw)
			}
			if c, err := ev.Capture(); err != nil || c.OrderID != o.ID {
				t.Errorf("pending capture = %+v, %v", c, err)
			}
		}
		got := eventTypes(events)
		slices.Sort(got)
		if strings.Join(got, ",") != "CHECKOUT.ORDER.APPROVED,PAYMENT.CAPTURE.COMPLETED,PAYMENT.CAPTURE.PENDING" {
			t.Errorf("events = %v", got)
		}
	})
}

func summary(ds []paypalsim.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.EventType+"#"+string(rune('0'+d.Attempt))+":"+http.StatusText(d.Status))
	}
	return out
}

func eventIDs(evs []*paypal.WebhookEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func eventTypes(evs []*paypal.WebhookEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.EventType)
	}
	return out
}
