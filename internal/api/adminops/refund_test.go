package adminops_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/adminops"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

// TestRefundRoute: an administrator refunds part of a top-up through the
// PayPal simulator; the wallet is debited once (a retry with the same key
// is the same refund) and the change is audited with before and after.
func TestRefundRoute(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sim := paypalsim.New(paypalsim.Options{RetryBackoff: 20 * time.Millisecond})
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	u, _ := url.Parse(base)
	e.svc.Payments = paypal.Payments{C: paypal.New(paypal.Config{BaseURL: base, ClientID: "sim-client", ClientSecret: "sim-secret",
		WebhookID: "WEBHOOK_ID", TrustedCertHosts: []string{u.Host}})}
	e.svc.Now, e.svc.PublicURL = nil, "http://panel.test" // the simulator dates its orders now
	st, err := e.svc.StartTopup(ctx, "u_alice", 2500)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Approve(st.OrderID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CaptureTopup(ctx, "u_alice", st.OrderID); err != nil {
		t.Fatal(err)
	}
	tp, err := e.ledger.TopupByOrder(ctx, st.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	hs := adminops.Handlers(e.deps)
	path := "/api/admin/topups/" + tp.ID + "/refunds"
	if status, body := call(t, hs, panel.RoleCustomer, "POST", path, `{"amountMinor":700}`, "Idempotency-Key", "r1"); status != 403 {
		t.Fatalf("customer: got %d %s", status, body)
	}
	for range 2 { // the second is a retry: the same PayPal refund, no second debit
		status, body := call(t, hs, panel.RoleAdmin, "POST", path, `{"amountMinor":700,"reason":"goodwill"}`, "Idempotency-Key", "r1")
		if status != 201 || !strings.Contains(body, `"debitedMinor":700`) {
			t.Fatalf("got %d %s, want 201 with 700 debited", status, body)
		}
	}
	if b, _ := e.ledger.Balance(ctx, "u_alice"); b.BalanceMinor != 1800 {
		t.Fatalf("got balance %d, want 1800", b.BalanceMinor)
	}
	if status, body := call(t, hs, panel.RoleAdmin, "GET", "/api/admin/topups?user=u_alice", ""); status != 200 ||
		!strings.Contains(body, `"paypalCaptureId":"`+tp.CaptureID+`"`) || !strings.Contains(body, `"debitedMinor":700`) {
		t.Fatalf("list: got %d %s", status, body)
	}
	entries, _, err := e.audit.Activity(ctx, "u_admin", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, a := range entries {
		if a.Action == "topup.refund" && a.Target == "topup:"+tp.ID && strings.Contains(a.After, `"debitedMinor":700`) && strings.Contains(a.Before, `"debitedMinor":`) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no topup.refund audit entry with before/after in %+v", entries)
	}
}
