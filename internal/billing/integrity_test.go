package billing_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// alteredPayments changes what PayPal answers about captures and refunds,
// to force one specific mismatch.
type alteredPayments struct {
	panel.Payments
	alter       func(*panel.PaymentCapture)
	alterRefund func(*panel.PaymentRefund)
}

func (a alteredPayments) CaptureOrder(ctx context.Context, orderID, requestID string) (*panel.PaymentOrder, error) {
	o, err := a.Payments.CaptureOrder(ctx, orderID, requestID)
	if err == nil && a.alter != nil {
		for i := range o.Captures {
			a.alter(&o.Captures[i])
		}
	}
	return o, err
}

func (a alteredPayments) GetCapture(ctx context.Context, id string) (*panel.PaymentCapture, error) {
	c, err := a.Payments.GetCapture(ctx, id)
	if err == nil && a.alter != nil {
		a.alter(c)
	}
	return c, err
}

func (a alteredPayments) GetRefund(ctx context.Context, id string) (*panel.PaymentRefund, error) {
	r, err := a.Payments.GetRefund(ctx, id)
	if err == nil && a.alterRefund != nil {
		a.alterRefund(r)
	}
	return r, err
}

func TestCaptureMustMatchTopup(t *testing.T) {
	e := newEnv(t, envOpts{})
	st := e.topup("u1", 2500)
	other := e.topup("u2", 2500)
	otherID := topupID(t, e, other.OrderID)
	_, body, _ := completedDelivery(e, st)
	pay := e.svc.Payments

	// PayPal is the authority: when what it confirms is not exactly this
	// top-up's payment, the delivery is acknowledged (no redelivery can
	// help), logged, and credits nothing.
	for name, alter := range map[string]func(*panel.PaymentCapture){
		"ErrAmount":      func(c *panel.PaymentCapture) { c.AmountMinor = 9900 },
		"ErrCurrency":    func(c *panel.PaymentCapture) { c.Currency = "EUR" },
		"ErrOtherCustom": func(c *panel.PaymentCapture) { c.CustomID = otherID },
		"ErrOtherOrder":  func(c *panel.PaymentCapture) { c.OrderID = other.OrderID; c.CustomID = "" },
		"ErrNoOrder":     func(c *panel.PaymentCapture) { c.OrderID = "" },
		"PendingOnly":    func(c *panel.PaymentCapture) { c.Status = "PENDING" },
	} {
		e.svc.Payments = alteredPayments{Payments: pay, alter: alter}
		if s := e.post(e.pp.Sign(body), body); s != http.StatusOK {
			t.Errorf("%s: got status %d, want 200", name, s)
		}
		if _, err := e.store.WebhookEvent(ctx, eventID(body)); err != nil {
			t.Fatal(err)
		}
		// Forget the event so the next case processes it again.
		if err := e.store.FinishWebhookEvent(ctx, eventID(body), e.now(), errors.New("test: process again")); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"u1", "u2"} {
			if got := e.balance(u); got != 0 {
				t.Fatalf("%s: %s: got balance %d, want 0", name, u, got)
			}
		}
	}

	// The capture route refuses a capture PayPal reports for another amount.
	e.svc.Payments = alteredPayments{Payments: pay, alter: func(c *panel.PaymentCapture) { c.AmountMinor = 1 }}
	if _, err := e.svc.CaptureTopup(ctx, "u1", st.OrderID); panel.ErrorCode(err) != panel.ECONFLICT {
		t.Fatalf("capture of another amount: got %v, want conflict", err)
	}
	if got := e.balance("u1"); got != 0 {
		t.Fatalf("got balance %d, want 0", got)
	}
	// The genuine capture still credits exactly the amount, once.
	e.svc.Payments = pay
	if s := e.post(e.pp.Sign(body), body); s != http.StatusOK {
		t.Fatalf("genuine: got %d", s)
	}
	res, err := e.svc.CaptureTopup(ctx, "u1", st.OrderID)
	if err != nil || !res.Credited || res.BalanceMinor != 2500 {
		t.Fatalf("genuine capture: got %+v, %v", res, err)
	}
	if tp, _ := e.store.Topup(ctx, otherID); tp.Status == panel.TopupCredited {
		t.Fatalf("u2's top-up is %s", tp.Status)
	}
}

func TestRefunds(t *testing.T) {
	// credited tops u1 up by amount through a confirmed capture delivery.
	credited := func(t *testing.T, e *env, amount int64) (tid, capID string) {
		t.Helper()
		st := e.topup("u1", amount)
		h, body, capID := completedDelivery(e, st)
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("credit: got %d", s)
		}
		return topupID(t, e, st.OrderID), capID
	}
	// refund refunds minor in PayPal and delivers the event twice.
	refund := func(t *testing.T, e *env, capID string, minor int64) {
		t.Helper()
		h, body, id := e.refundDelivery(capID, minor)
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("refund %s: got %d", id, s)
		}
		if s := e.post(e.pp.Sign(body), body); s != http.StatusOK { // redelivered
			t.Fatalf("refund %s again: got %d", id, s)
		}
	}
	t.Run("PartialRefundsSumToTheCredit", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		tid, capID := credited(t, e, 2000)
		refund(t, e, capID, 500)
		refund(t, e, capID, 700)
		if got := e.balance("u1"); got != 800 {
			t.Fatalf("got balance %d, want 800", got)
		}
		refund(t, e, capID, 0) // the rest
		if got := e.balance("u1"); got != 0 {
			t.Fatalf("got balance %d, want 0", got)
		}
		if got := len(e.entries("u1", panel.EntryRefund)); got != 3 {
			t.Fatalf("got %d refund entries, want 3", got)
		}
		if tp, _ := e.store.Topup(ctx, tid); tp.DebitedMinor != 2000 || tp.CreditedMinor != 2000 {
			t.Fatalf("got credited %d debited %d, want 2000/2000", tp.CreditedMinor, tp.DebitedMinor)
		}
	})
	t.Run("StopsAtTheCredit", func(t *testing.T) {
		// PayPal says more was refunded than is left: only what is left
		// is debited.
		e := newEnv(t, envOpts{})
		_, capID := credited(t, e, 2000)
		refund(t, e, capID, 1500)
		pay := e.svc.Payments
		e.svc.Payments = alteredPayments{Payments: pay, alterRefund: func(r *panel.PaymentRefund) { r.AmountMinor = 1500 }}
		refund(t, e, capID, 100)
		if got := e.balance("u1"); got != 0 {
			t.Fatalf("got balance %d, want 0", got)
		}
	})
	t.Run("ConcurrentPartialRefunds", func(t *testing.T) {
		// Each read 2000 left; together they debit exactly the credit.
		e := newEnv(t, envOpts{})
		_, capID := credited(t, e, 2000)
		var bodies [][]byte
		for _, minor := range []int64{600, 600, 600, 0} {
			_, body, _ := e.refundDelivery(capID, minor)
			bodies = append(bodies, body)
		}
		var wg sync.WaitGroup
		for _, body := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for s := 0; s != http.StatusOK; {
					s = e.post(e.pp.Sign(body), body)
				}
			}()
		}
		wg.Wait()
		if got := e.balance("u1"); got != 0 {
			t.Fatalf("got balance %d, want 0 (600+600+600+200 debited)", got)
		}
	})
	t.Run("ErrNotThisTopup", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		_, capID := credited(t, e, 2000)
		pay := e.svc.Payments
		cases := map[string]func(*panel.PaymentRefund){
			"UnknownRefund": nil, // the body names a refund PayPal does not have
			"OtherCapture":  func(r *panel.PaymentRefund) { r.CaptureID = "SOMEONEELSES1" },
			"NoCapture":     func(r *panel.PaymentRefund) { r.CaptureID = "" },
			"Currency":      func(r *panel.PaymentRefund) { r.Currency = "EUR" },
			"Failed":        func(r *panel.PaymentRefund) { r.Status = "FAILED" },
		}
		for name, alter := range cases {
			var body []byte
			if alter == nil {
				_, body = e.pp.SignedDelivery("PAYMENT.CAPTURE.REFUNDED", map[string]any{"id": "UNKNOWNREFUND1", "status": "COMPLETED",
					"amount": map[string]string{"currency_code": "USD", "value": "5.00"},
					"links":  []map[string]string{{"rel": "up", "href": "http://x/v2/payments/captures/" + capID}}})
			} else {
				e.svc.Payments = alteredPayments{Payments: pay, alterRefund: alter}
				_, body, _ = e.refundDelivery(capID, 100)
			}
			if s := e.post(e.pp.Sign(body), body); s != http.StatusOK {
				t.Errorf("%s: got %d, want 200 (acknowledged)", name, s)
			}
			e.svc.Payments = pay
		}
		if got := e.balance("u1"); got != 2000 {
			t.Fatalf("got balance %d, want 2000 (nothing debited)", got)
		}
	})
}

func TestHourlyRaces(t *testing.T) {
	t.Run("StaleViewOfDeletedServerIsNotCharged", func(t *testing.T) {
		// The run read the server as active just before the customer
		// deleted it: its charge must not be written.
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 0)
		p := e.customer("a")
		e.fund(p.UserID, 1000)
		stale := billedServer(t, e, p, "s1")
		if err := e.svc.DeleteServer(ctx, p, stale.ServerID, "s1"); err != nil {
			t.Fatal(err)
		}
		hour := stale.BilledThrough
		c := panel.ServerCharge{Server: stale, Hours: []panel.HourCharge{{HourStart: hour, AmountMinor: 10}},
			Postings: []panel.Posting{{UserID: p.UserID, Type: panel.EntryCharge, AmountMinor: -10, Currency: "USD", At: hour}}}
		if err := e.store.ChargeHours(ctx, map[string]*panel.Balance{}, []panel.ServerCharge{c}); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
		if got := e.balance(p.UserID); got != 990 {
			t.Fatalf("got balance %d, want 990", got)
		}
	})
	t.Run("CapAcrossMonthBoundary", func(t *testing.T) {
		// Missed runs from 31 Oct 22:00 to 1 Nov 01:00 (UTC): October's cap
		// stops its hours, November's starts afresh.
		e := newEnv(t, envOpts{})
		p := e.customer("b")
		e.fund(p.UserID, 1000)
		from := time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC)
		s := &panel.BilledServer{ServerID: 700, UserID: p.UserID, Name: "s", PackageID: 1, HourlyMinor: 10, MonthlyCapMinor: 25,
			Currency: "USD", ActiveSince: from.Add(-2 * time.Hour), BilledThrough: from, CapMonth: "2026-10", CapChargedMinor: 20}
		if err := e.store.ImportServers(ctx, []*panel.BilledServer{s}); err != nil {
			t.Fatal(err)
		}
		e.setClock(time.Date(2026, 11, 1, 1, 30, 0, 0, time.UTC))
		st, err := e.svc.RunHourly(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// 22:00 → 5 (to the cap), 23:00 → 0, 00:00 → 10, 01:00 → 10.
		if st.Charged != 4 || st.ChargedMinor != 25 {
			t.Fatalf("got %d hours / %d charged, want 4 / 25", st.Charged, st.ChargedMinor)
		}
		if got := e.balance(p.UserID); got != 1000-25 {
			t.Fatalf("got balance %d, want %d", got, 1000-25)
		}
		bs, err := e.store.BilledServer(ctx, 700)
		if err != nil {
			t.Fatal(err)
		}
		if bs.CapMonth != "2026-11" || bs.CapChargedMinor != 20 || !bs.BilledThrough.Equal(from.Add(4*time.Hour)) {
			t.Fatalf("got cap %s/%d through %v", bs.CapMonth, bs.CapChargedMinor, bs.BilledThrough)
		}
	})
}

func TestInvoicesMatchLedger(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 0)
	p := e.customer("inv")
	e.setClock(time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC))
	e.fund(p.UserID, 1000)
	billedServer(t, e, p, "s1") // October: -10
	e.setClock(time.Date(2026, 11, 1, 2, 10, 0, 0, time.UTC))
	if _, err := e.svc.RunHourly(ctx); err != nil { // November: 3 hours
		t.Fatal(err)
	}
	if _, _, err := e.svc.Adjust(ctx, "admin", p.UserID, -45, "correction", "k-inv"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Adjust(ctx, "admin", p.UserID, 7, "goodwill", "k-inv2"); err != nil {
		t.Fatal(err)
	}

	invs, err := e.svc.Invoices(ctx, p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != 2 || invs[0].ID != "2026-11" || invs[1].ID != "2026-10" {
		t.Fatalf("got %+v, want November and October", invs)
	}
	entries := e.entries(p.UserID, "")
	for i, inv := range invs {
		var credits, charges int64
		for _, en := range entries {
			if en.CreatedAt.Before(inv.PeriodStart) || !en.CreatedAt.Before(inv.PeriodEnd) {
				continue
			}
			if en.AmountMinor > 0 {
				credits += en.AmountMinor
			} else {
				charges -= en.AmountMinor
			}
		}
		if inv.CreditsMinor != credits || inv.ChargesMinor != charges {
			t.Errorf("%s: got credits %d charges %d, ledger has %d / %d", inv.ID, inv.CreditsMinor, inv.ChargesMinor, credits, charges)
		}
		if inv.OpeningMinor+inv.CreditsMinor-inv.ChargesMinor != inv.ClosingMinor {
			t.Errorf("%s: opening %d + credits %d - charges %d != closing %d", inv.ID, inv.OpeningMinor, inv.CreditsMinor, inv.ChargesMinor, inv.ClosingMinor)
		}
		if i+1 < len(invs) && invs[i+1].ClosingMinor != inv.OpeningMinor {
			t.Errorf("%s opens at %d, %s closed at %d", inv.ID, inv.OpeningMinor, invs[i+1].ID, invs[i+1].ClosingMinor)
		}
	}
	if want := int64(1000 - 10 - 30 - 45 + 7); invs[0].ClosingMinor != want || e.balance(p.UserID) != want {
		t.Fatalf("November closes at %d, balance %d, want %d", invs[0].ClosingMinor, e.balance(p.UserID), want)
	}

	pdf, err := e.svc.InvoicePDF(ctx, p.UserID, "Inv Customer", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Invoice 2026-11", "Opening balance", "9.90 USD", "Payments and credits", "0.07 USD",
		"Charges", "-0.75 USD", "Closing balance", "9.22 USD"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("the PDF does not show %q", want)
		}
	}
}

// pdfText returns a PDF's bytes with every (zlib) stream inflated.
func pdfText(t *testing.T, pdf []byte) []byte {
	t.Helper()
	out := append([]byte(nil), pdf...)
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			return out
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(r)
			out = append(out, b...)
		}
		rest = rest[j:]
	}
}
