package billing_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// env is billing wired to DynamoDB Local, the PayPal simulator (its
// webhooks delivered to a real HTTP endpoint) and the VirtFusion simulator.
type env struct {
	t       testing.TB
	svc     *billing.Service
	store   *dynamo.Ledger
	users   *dynamo.Users
	outbox  *dynamo.Outbox
	pp      *paypalsim.Server
	ppc     *paypal.Client    // talks to pp directly, bypassing billing
	pp2     *paypalsim.Server // signs for another webhook id
	vf      *vfsim.Sim
	hookURL string

	mu    sync.Mutex
	clock time.Time // the billing service's clock; zero means real time
}

type envOpts struct {
	webhooks bool // the PayPal simulator delivers events to the endpoint
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	e := &env{t: t}
	e.store = dynamo.NewLedger(dynamo.NewStore(db, table))
	e.users, e.outbox = dynamo.NewUsers(e.store.Store), dynamo.NewOutbox(e.store.Store)

	var handler http.Handler = http.NotFoundHandler()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(hook.Close)
	e.hookURL = hook.URL + "/api/webhooks/paypal"

	ppOpts := paypalsim.Options{RetryBackoff: 20 * time.Millisecond}
	if o.webhooks {
		ppOpts.WebhookURL = e.hookURL
	}
	e.pp = paypalsim.New(ppOpts)
	ppURL, err := e.pp.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.pp.Close() })
	e.pp2 = paypalsim.New(paypalsim.Options{WebhookID: "WH-SOMEONE-ELSE"})
	pp2URL, err := e.pp2.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.pp2.Close() })

	e.vf = vfsim.New(vfsim.Options{Token: "test", BuildDelay: 20 * time.Millisecond, PowerDelay: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	vfURL, err := e.vf.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.vf.Close() })
	vfc, err := virtfusion.New(virtfusion.Config{PanelURL: vfURL, Token: "test", Retry: virtfusion.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}

	host := func(u string) string { p, _ := url.Parse(u); return p.Host }
	pp := paypal.New(paypal.Config{BaseURL: ppURL, ClientID: "sim-client", ClientSecret: "sim-secret", WebhookID: "WEBHOOK_ID",
		TrustedCertHosts: []string{host(ppURL), host(pp2URL)}})
	e.ppc = pp
	e.svc = &billing.Service{Store: e.store, Payments: paypal.Payments{C: pp}, Host: virtfusion.Host{C: vfc}, Changes: virtfusion.Host{C: vfc},
		Currency: "USD", TopupMinMinor: 500, TopupMaxMinor: 100000, OrderPrepayHours: 24, PublicURL: "http://panel.test",
		Now: e.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Users: e.users, Queue: e.outbox,
		Audit: dynamo.NewAuditLog(e.store.Store), Coupons: e.store, AutoTopups: e.store, Vault: paypal.Payments{C: pp}}
	handler = billingapi.WebhookHandlers(e.svc)["POST /api/webhooks/paypal"]
	return e
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.clock.IsZero() {
		return time.Now()
	}
	return e.clock
}

func (e *env) setClock(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clock = t
}

var ctx = context.Background()

// balance returns the wallet and checks it equals the sum of the ledger.
func (e *env) balance(userID string) int64 {
	e.t.Helper()
	b, err := e.store.Balance(ctx, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	sum := int64(0)
	for _, en := range e.entries(userID, "") {
		sum += en.AmountMinor
	}
	if sum != b.BalanceMinor {
		e.t.Fatalf("balance %d != sum of ledger %d", b.BalanceMinor, sum)
	}
	return b.BalanceMinor
}

func (e *env) entries(userID, typ string) []*panel.LedgerEntry {
	e.t.Helper()
	var all []*panel.LedgerEntry
	cursor := ""
	for {
		page, next, err := e.store.Entries(ctx, userID, panel.EntryFilter{Type: typ, Cursor: cursor, Limit: 200})
		if err != nil {
			e.t.Fatal(err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		cursor = next
	}
}

// topup starts a top-up for amount and approves it in PayPal.
func (e *env) topup(userID string, amount int64) *billing.TopupStarted {
	e.t.Helper()
	st, err := e.svc.StartTopup(ctx, userID, amount)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.pp.Approve(st.OrderID); err != nil {
		e.t.Fatal(err)
	}
	return st
}

// captured captures st's approved order in PayPal without telling billing
// (as when the payer's return never arrives) and returns the capture id.
func (e *env) captured(st *billing.TopupStarted) string {
	e.t.Helper()
	res, err := e.ppc.CaptureOrder(ctx, st.OrderID, "test-capture-"+st.OrderID)
	if err != nil || len(res.Captures) != 1 {
		e.t.Fatalf("capture %s: %+v, %v", st.OrderID, res, err)
	}
	return res.Captures[0].ID
}

// completedDelivery captures st's order in PayPal and returns the
// PAYMENT.CAPTURE.COMPLETED (or PENDING) delivery PayPal made of it.
func completedDelivery(e *env, st *billing.TopupStarted) (h http.Header, body []byte, captureID string) {
	e.t.Helper()
	captureID = e.captured(st)
	h, body = e.lastEvent(captureID)
	return h, body, captureID
}

// refundDelivery refunds minor of a capture in PayPal (0 refunds the rest)
// and returns the PAYMENT.CAPTURE.REFUNDED delivery and the refund id.
func (e *env) refundDelivery(captureID string, minor int64) (http.Header, []byte, string) {
	e.t.Helper()
	id, err := e.pp.Refund(captureID, minor)
	if err != nil {
		e.t.Fatal(err)
	}
	h, body := e.lastEvent(id)
	return h, body, id
}

// lastEvent returns PayPal's newest event about a resource, signed afresh.
func (e *env) lastEvent(resourceID string) (http.Header, []byte) {
	e.t.Helper()
	h, body, err := e.pp.LastEvent(resourceID)
	if err != nil {
		e.t.Fatal(err)
	}
	return h, body
}

// post sends a webhook delivery and returns the status.
func (e *env) post(h http.Header, body []byte) int {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.hookURL, bytes.NewReader(body))
	req.Header = h.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// waitFor polls cond (the simulators deliver in the background).
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// customer creates a VirtFusion user and returns its principal.
func (e *env) customer(name string) *panel.Principal {
	id := e.vf.AddUser(vfsim.User{Name: name, Email: name + "@example.com", ExtRelationID: "u_" + name})
	// The panel's user too: billing notifies them.
	u := &panel.User{ID: "u_" + name, Email: name + "@example.com", Name: name, Role: panel.RoleCustomer, CreatedAt: time.Now()}
	if _, _, err := e.users.ClaimLink(ctx, u, "t", time.Now(), time.Minute); err != nil {
		e.t.Fatal(err)
	}
	if err := e.users.ReleaseLink(ctx, u.ID, "t"); err != nil {
		e.t.Fatal(err)
	}
	return &panel.Principal{UserID: "u_" + name, Email: name + "@example.com", Name: name, Role: panel.RoleCustomer, VFUserID: int64(id)}
}

// fund credits a customer directly (an adjustment), for tests about spending.
func (e *env) fund(userID string, amount int64) {
	e.t.Helper()
	if _, _, err := e.svc.Adjust(ctx, "admin", userID, amount, "test funds", dynamo.NewLedgerID("k", time.Now())); err != nil {
		e.t.Fatal(err)
	}
}
