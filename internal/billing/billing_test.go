package billing_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

func TestTopup(t *testing.T) {
	t.Run("ByCapture", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		st := e.topup("u1", 2500)
		res, err := e.svc.CaptureTopup(ctx, "u1", st.OrderID)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Credited || res.BalanceMinor != 2500 || res.Status != "COMPLETED" {
			t.Fatalf("got %+v, want credited 2500 COMPLETED", res)
		}
		// Capturing again (the payer reloads the page) credits nothing more.
		if res, err = e.svc.CaptureTopup(ctx, "u1", st.OrderID); err != nil || res.BalanceMinor != 2500 {
			t.Fatalf("second capture: got %+v, %v", res, err)
		}
		if got := e.balance("u1"); got != 2500 {
			t.Fatalf("got balance %d, want 2500", got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		st := e.topup("u1", 2500)
		if _, err := e.svc.CaptureTopup(ctx, "intruder", st.OrderID); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want not_found for another customer's order", err)
		}
		if got := e.balance("u1"); got != 0 {
			t.Fatalf("got balance %d, want 0", got)
		}
	})
	t.Run("ByWebhookOnly", func(t *testing.T) {
		// The payer never comes back: APPROVED makes billing capture, and
		// COMPLETED credits.
		e := newEnv(t, envOpts{webhooks: true})
		e.topup("u1", 1000)
		e.waitFor("credit by webhook", func() bool { b, _ := e.store.Balance(ctx, "u1"); return b.BalanceMinor == 1000 })
		e.pp.Flush(ctx)
		if got := len(e.entries("u1", panel.EntryTopup)); got != 1 {
			t.Fatalf("got %d top-up entries, want 1", got)
		}
	})
	t.Run("ByBoth", func(t *testing.T) {
		e := newEnv(t, envOpts{webhooks: true})
		st := e.topup("u1", 1500)
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e.svc.CaptureTopup(ctx, "u1", st.OrderID)
			}()
		}
		wg.Wait()
		e.pp.Flush(ctx)
		e.waitFor("credit", func() bool { b, _ := e.store.Balance(ctx, "u1"); return b.BalanceMinor == 1500 })
		time.Sleep(100 * time.Millisecond)
		if got := e.balance("u1"); got != 1500 {
			t.Fatalf("got balance %d, want 1500 (credited once)", got)
		}
		if got := len(e.entries("u1", panel.EntryTopup)); got != 1 {
			t.Fatalf("got %d top-up entries, want 1", got)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		for _, amt := range []string{"4.99", "1000.01", "abc", "-5", "5.001"} {
			if _, err := e.svc.ParseAmount(t.Context(), amt); panel.ErrorCode(err) != panel.EINVALID {
				t.Errorf("ParseAmount(%q): got %v, want invalid", amt, err)
			}
		}
	})
}

func topupID(t *testing.T, e *env, orderID string) string {
	tp, err := e.store.TopupByOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	return tp.ID
}

func TestWebhook(t *testing.T) {
	t.Run("ConcurrentDuplicates", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		st := e.topup("u1", 2500)
		h, body, _ := completedDelivery(e, st)
		var wg sync.WaitGroup
		statuses := make([]int, 200)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = e.post(h, body)
			}()
		}
		wg.Wait()
		for i, s := range statuses {
			if s != http.StatusOK && s != http.StatusServiceUnavailable {
				t.Fatalf("delivery %d: got status %d", i, s)
			}
		}
		if got := e.balance("u1"); got != 2500 {
			t.Fatalf("got balance %d, want 2500 (one credit)", got)
		}
		if got := len(e.entries("u1", panel.EntryTopup)); got != 1 {
			t.Fatalf("got %d top-up entries, want 1", got)
		}
		// A later redelivery is acknowledged without another credit.
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("redelivery: got %d, want 200", s)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		st := e.topup("u1", 2500)
		h, body, capID := completedDelivery(e, st)
		forged := []byte(strings.Replace(string(body), `"25.00"`, `"99.00"`, 1))
		stale := h.Clone()
		stale.Set("Paypal-Transmission-Time", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
		evilHost := h.Clone()
		evilHost.Set("Paypal-Cert-Url", "http://evil.example:8080/v1/notifications/certs/CERT-1")
		h2, body2 := e.pp2.SignedDelivery("PAYMENT.CAPTURE.COMPLETED", map[string]any{"id": capID, "status": "COMPLETED",
			"amount": map[string]string{"currency_code": "USD", "value": "25.00"}})
		for name, c := range map[string]struct {
			h    http.Header
			body []byte
		}{"Forged": {h, forged}, "Stale": {stale, body}, "WrongCertHost": {evilHost, body}, "WrongWebhookID": {h2, body2},
			"Unsigned": {http.Header{"Content-Type": {"application/json"}}, body}} {
			if s := e.post(c.h, c.body); s != http.StatusUnauthorized {
				t.Errorf("%s: got status %d, want 401", name, s)
			}
		}
		if got := e.balance("u1"); got != 0 {
			t.Fatalf("got balance %d, want 0", got)
		}
		// The genuine delivery still works.
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("genuine: got %d", s)
		}
		if got := e.balance("u1"); got != 2500 {
			t.Fatalf("got balance %d, want 2500", got)
		}
	})
	t.Run("UnknownEventAcknowledged", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		h, body := e.pp.SignedDelivery("BILLING.SUBSCRIPTION.CREATED", map[string]any{"id": "I-1"})
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("got %d, want 200", s)
		}
		rec, err := e.store.WebhookEvent(ctx, eventID(body))
		if err != nil || !rec.Processed {
			t.Fatalf("got %+v, %v, want stored and processed", rec, err)
		}
	})
	t.Run("FailureIsRetried", func(t *testing.T) {
		// A refund arriving before its capture is credited fails (5xx) and
		// is processed on redelivery once the credit exists.
		e := newEnv(t, envOpts{})
		st := e.topup("u1", 2000)
		h, body, capID := completedDelivery(e, st)
		_, rbody, _ := e.refundDelivery(capID, 500)
		if s := e.post(e.pp.Sign(rbody), rbody); s/100 != 5 {
			t.Fatalf("early refund: got %d, want 5xx", s)
		}
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("completed: got %d", s)
		}
		if s := e.post(e.pp.Sign(rbody), rbody); s != http.StatusOK { // PayPal signs each retry afresh
			t.Fatalf("refund retry: got %d", s)
		}
		if got := e.balance("u1"); got != 1500 {
			t.Fatalf("got balance %d, want 1500", got)
		}
	})
}

func eventID(body []byte) string {
	s := string(body)
	i := strings.Index(s, `"id":"`)
	s = s[i+6:]
	return s[:strings.Index(s, `"`)]
}

func order(t *testing.T, e *env, p *panel.Principal, key, name string) (*billing.OrderResult, error) {
	t.Helper()
	return e.svc.PlaceOrder(ctx, p, key, billing.OrderRequest{PackageID: 1, LocationID: 1, TemplateID: 52,
		Hostname: name + ".example.com", Name: name})
}

func setPrice(t *testing.T, e *env, hourly, cap int64) {
	t.Helper()
	if _, err := e.svc.SetPrice(ctx, 1, panel.Price{HourlyMinor: hourly, MonthlyCapMinor: cap}); err != nil {
		t.Fatal(err)
	}
}

func TestOrder(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("alice")
		e.fund(p.UserID, 1000)
		res, err := order(t, e, p, "k1", "web-1")
		if err != nil {
			t.Fatal(err)
		}
		if res.RootPassword == "" || !strings.Contains(string(res.Server), `"name":"web-1"`) {
			t.Fatalf("got %s / %q", res.Server, res.RootPassword)
		}
		if got := e.balance(p.UserID); got != 990 {
			t.Fatalf("got balance %d, want 990", got)
		}
		// Same key: replayed, not ordered again.
		again, err := order(t, e, p, "k1", "web-1")
		if err != nil || string(again.Server) != string(res.Server) || again.RootPassword != res.RootPassword {
			t.Fatalf("replay: got %v, %v", again, err)
		}
		// The same key with another body is refused, not replayed (it was
		// answered 409 before, as if the order were still being placed).
		if _, err := order(t, e, p, "k1", "other"); panel.ErrorCode(err) != panel.EIDEMPOTENCYMISMATCH {
			t.Fatalf("key reuse with another body: got %v, want idempotency_mismatch", err)
		}
		if got := e.balance(p.UserID); got != 990 {
			t.Fatalf("got balance %d after replay, want 990", got)
		}
	})
	t.Run("ErrPaymentRequired", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("bob")
		e.fund(p.UserID, 239) // 24 h × 10 = 240
		if _, err := order(t, e, p, "k1", "web-1"); panel.ErrorCode(err) != panel.EPAYMENTREQUIRED {
			t.Fatalf("got %v, want payment_required", err)
		}
		// Nothing happened, so the same key may be used after a top-up.
		e.fund(p.UserID, 1)
		if _, err := order(t, e, p, "k1", "web-1"); err != nil {
			t.Fatalf("after top-up: %v", err)
		}
	})
	t.Run("FailsHalfWayIsReversed", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("carol")
		e.fund(p.UserID, 1000)
		// Create succeeds; the build (the next call under /servers/) fails.
		e.vf.SetFault(vfsim.Fault{Status: 500, PathPrefix: "/servers/", Times: 1})
		if _, err := order(t, e, p, "k1", "web-1"); err == nil {
			t.Fatal("order succeeded, want the build failure")
		}
		if got := e.balance(p.UserID); got != 1000 {
			t.Fatalf("got balance %d, want 1000 (charge reversed)", got)
		}
		charges, reversals := e.entries(p.UserID, panel.EntryCharge), e.entries(p.UserID, panel.EntryReversal)
		if len(charges) != 1 || len(reversals) != 1 || charges[0].AmountMinor+reversals[0].AmountMinor != 0 {
			t.Fatalf("got charges %v reversals %v, want one of each cancelling out", charges, reversals)
		}
		servers, _ := e.store.UserServers(ctx, p.UserID)
		if len(servers) != 1 || servers[0].Status != panel.BilledStopped {
			t.Fatalf("got billed servers %+v, want one stopped", servers)
		}
		if _, ok := e.vf.Server(int(servers[0].ServerID)); ok {
			t.Fatal("the VirtFusion server was not deleted")
		}
	})
	t.Run("Delete", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("dan")
		e.fund(p.UserID, 1000)
		if _, err := order(t, e, p, "k1", "web-1"); err != nil {
			t.Fatal(err)
		}
		e.vf.Advance()
		servers, _ := e.store.UserServers(ctx, p.UserID)
		id := servers[0].ServerID
		other := e.customer("eve")
		if err := e.svc.DeleteServer(ctx, other, id, "web-1"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("someone else's server: got %v, want not_found", err)
		}
		if err := e.svc.DeleteServer(ctx, p, id, "web-2"); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("wrong confirm: got %v, want invalid", err)
		}
		if err := e.svc.DeleteServer(ctx, p, id, "web-1"); err != nil {
			t.Fatal(err)
		}
		if _, ok := e.vf.Server(int(id)); ok {
			t.Fatal("server still in VirtFusion")
		}
		// Hours later, nothing more is charged.
		e.setClock(time.Now().Add(5 * time.Hour))
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
		if got := e.balance(p.UserID); got != 990 {
			t.Fatalf("got balance %d, want 990", got)
		}
	})
}

// billedServer orders a server for p and returns its billing state.
func billedServer(t *testing.T, e *env, p *panel.Principal, name string) *panel.BilledServer {
	t.Helper()
	if _, err := order(t, e, p, "k-"+name, name); err != nil {
		t.Fatal(err)
	}
	e.vf.Advance()
	servers, err := e.store.UserServers(ctx, p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no billed server %s", name)
	return nil
}

func TestHourly(t *testing.T) {
	t.Run("TwiceChargesOnce", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("a")
		e.fund(p.UserID, 1000)
		bs := billedServer(t, e, p, "s1")
		e.setClock(bs.BilledThrough.Add(5 * time.Minute)) // the next hour has started
		for range 2 {
			if _, err := e.svc.RunHourly(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.balance(p.UserID); got != 980 {
			t.Fatalf("got balance %d, want 980 (order hour + one hour)", got)
		}
	})
	t.Run("CatchUp", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("b")
		e.fund(p.UserID, 1000)
		bs := billedServer(t, e, p, "s1")
		// Five runs missed: the hours starting at BilledThrough .. +4h.
		e.setClock(bs.BilledThrough.Add(4*time.Hour + 30*time.Minute))
		st, err := e.svc.RunHourly(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Charged != 5 {
			t.Fatalf("got %d hours charged, want 5", st.Charged)
		}
		if got := e.balance(p.UserID); got != 1000-10-50 {
			t.Fatalf("got balance %d, want %d", got, 1000-60)
		}
		charges := e.entries(p.UserID, panel.EntryCharge)
		if len(charges) != 6 {
			t.Fatalf("got %d charges, want 6", len(charges))
		}
	})
	t.Run("CatchUpBeyondOneTransaction", func(t *testing.T) {
		// Three servers 60 hours behind: 180 entries, more than one
		// DynamoDB transaction holds, so the write is split.
		e := newEnv(t, envOpts{})
		p := e.customer("b2")
		e.fund(p.UserID, 5000)
		hour := time.Now().UTC().Truncate(time.Hour)
		var list []*panel.BilledServer
		for i := range 3 {
			list = append(list, &panel.BilledServer{ServerID: int64(900 + i), UserID: p.UserID, Name: fmt.Sprintf("s%d", i),
				PackageID: 1, HourlyMinor: 10, Currency: "USD", ActiveSince: hour.Add(-61 * time.Hour), BilledThrough: hour.Add(-60 * time.Hour)})
		}
		if err := e.store.ImportServers(ctx, list); err != nil {
			t.Fatal(err)
		}
		e.setClock(hour.Add(-time.Hour + 5*time.Minute))
		for run := range 2 {
			st, err := e.svc.RunHourly(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := []int{180, 0}[run]; st.Charged != want {
				t.Fatalf("run %d: got %d hours charged, want %d", run+1, st.Charged, want)
			}
		}
		if got := e.balance(p.UserID); got != 5000-1800 {
			t.Fatalf("got balance %d, want %d", got, 5000-1800)
		}
		charges := e.entries(p.UserID, panel.EntryCharge)
		if len(charges) != 180 {
			t.Fatalf("got %d charges, want 180", len(charges))
		}
		for i := range len(charges) - 1 { // newest first, each balance following on the one before
			if c := charges[i]; c.BalanceAfterMinor-c.AmountMinor != charges[i+1].BalanceAfterMinor {
				t.Fatalf("charge %d: balance after %d does not follow %d", i, c.BalanceAfterMinor, charges[i+1].BalanceAfterMinor)
			}
		}
		for _, s := range list {
			bs, err := e.store.BilledServer(ctx, s.ServerID)
			if err != nil {
				t.Fatal(err)
			}
			if !bs.BilledThrough.Equal(hour) {
				t.Errorf("server %d billed through %v, want %v", s.ServerID, bs.BilledThrough, hour)
			}
		}
	})
	t.Run("MonthlyCap", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 35) // cap after 3.5 hours
		p := e.customer("c")
		e.fund(p.UserID, 1000)
		bs := billedServer(t, e, p, "s1")
		e.setClock(bs.BilledThrough.Add(5 * time.Hour))
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
		// Unless the run crossed into a new month, at most 35 was charged.
		if bs.BilledThrough.Add(5*time.Hour).Month() == bs.BilledThrough.Add(-time.Hour).Month() {
			if got := e.balance(p.UserID); got != 1000-35 {
				t.Fatalf("got balance %d, want %d (capped)", got, 1000-35)
			}
		}
	})
	t.Run("DeletedBehindPanel", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("d")
		e.fund(p.UserID, 1000)
		bs := billedServer(t, e, p, "s1")
		e.vf.DeleteServerBehindPanel(int(bs.ServerID))
		e.setClock(bs.BilledThrough.Add(3 * time.Hour))
		st, err := e.svc.RunHourly(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Stopped != 1 || st.Charged != 0 {
			t.Fatalf("got %+v, want 1 stopped, 0 charged", st)
		}
		if got := e.balance(p.UserID); got != 990 {
			t.Fatalf("got balance %d, want 990", got)
		}
	})
	t.Run("DeletedByWebhook", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("f")
		e.fund(p.UserID, 1000)
		bs := billedServer(t, e, p, "s1")
		err := e.svc.ServerEvent(ctx, panel.ServerEvent{ID: "h1", Kind: panel.ServerEventDeleted, ServerID: bs.ServerID, At: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		e.setClock(bs.BilledThrough.Add(3 * time.Hour))
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
		if got := e.balance(p.UserID); got != 990 {
			t.Fatalf("got balance %d, want 990", got)
		}
	})
}

func TestSuspension(t *testing.T) {
	t.Run("NegativeSuspendsTopupUnsuspends", func(t *testing.T) {
		e := newEnv(t, envOpts{webhooks: true})
		setPrice(t, e, 100, 0)
		p := e.customer("g")
		e.fund(p.UserID, 2400)
		bs := billedServer(t, e, p, "s1") // balance 2300
		e.setClock(bs.BilledThrough.Add(23*time.Hour + time.Minute))
		if _, err := e.svc.RunHourly(ctx); err != nil { // 24 more hours: -100
			t.Fatal(err)
		}
		if got := e.balance(p.UserID); got != -100 {
			t.Fatalf("got balance %d, want -100", got)
		}
		if snap, _ := e.vf.Server(int(bs.ServerID)); !snap.Suspended {
			t.Fatal("server not suspended at a negative balance")
		}
		e.topup(p.UserID, 500) // credited by webhook
		e.waitFor("unsuspend", func() bool { snap, _ := e.vf.Server(int(bs.ServerID)); return !snap.Suspended })
		if got := e.balance(p.UserID); got != 400 {
			t.Fatalf("got balance %d, want 400", got)
		}
	})
	t.Run("RefundAfterSpending", func(t *testing.T) {
		e := newEnv(t, envOpts{webhooks: true})
		setPrice(t, e, 100, 0)
		p := e.customer("h")
		st := e.topup(p.UserID, 2500)
		e.waitFor("credit", func() bool { b, _ := e.store.Balance(ctx, p.UserID); return b.BalanceMinor == 2500 })
		bs := billedServer(t, e, p, "s1") // spends 100
		tp, _ := e.store.TopupByOrder(ctx, st.OrderID)
		if _, err := e.pp.Refund(tp.CaptureID, 0); err != nil {
			t.Fatal(err)
		}
		e.waitFor("refund", func() bool { b, _ := e.store.Balance(ctx, p.UserID); return b.BalanceMinor == -100 })
		e.pp.Flush(ctx)
		if got := len(e.entries(p.UserID, panel.EntryRefund)); got != 1 {
			t.Fatalf("got %d refunds, want 1", got)
		}
		e.waitFor("suspend", func() bool { snap, _ := e.vf.Server(int(bs.ServerID)); return snap.Suspended })
	})
}
