package billing_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// captureResource is a PAYMENT.CAPTURE.COMPLETED resource.
func captureResource(id, customID, orderID, currency string, minor int64) map[string]any {
	return map[string]any{"id": id, "status": "COMPLETED", "custom_id": customID,
		"amount":             map[string]string{"currency_code": currency, "value": config.FormatMoney(minor)},
		"supplementary_data": map[string]any{"related_ids": map[string]string{"order_id": orderID}}}
}

// refundResource is a PAYMENT.CAPTURE.REFUNDED resource (a refund).
func refundResource(id, customID, captureID, currency string, minor int64) map[string]any {
	return map[string]any{"id": id, "status": "COMPLETED", "custom_id": customID,
		"amount": map[string]string{"currency_code": currency, "value": config.FormatMoney(minor)},
		"links":  []map[string]string{{"rel": "up", "href": "http://x/v2/payments/captures/" + captureID}}}
}

// alteredPayments changes what PayPal answers to a capture.
type alteredPayments struct {
	panel.Payments
	alter func(*panel.PaymentCapture)
}

func (a alteredPayments) CaptureOrder(ctx context.Context, orderID, requestID string) (*panel.PaymentOrder, error) {
	o, err := a.Payments.CaptureOrder(ctx, orderID, requestID)
	if err == nil {
		for i := range o.Captures {
			a.alter(&o.Captures[i])
		}
	}
	return o, err
}

func TestCaptureMustMatchTopup(t *testing.T) {
	e := newEnv(t, envOpts{})
	st := e.topup("u1", 2500)
	tid := topupID(t, e, st.OrderID)
	other := e.topup("u2", 2500)
	otherID := topupID(t, e, other.OrderID)

	for name, res := range map[string]map[string]any{
		"ErrAmount":     captureResource("CAPA", tid, st.OrderID, "USD", 9900),
		"ErrCurrency":   captureResource("CAPB", tid, st.OrderID, "EUR", 2500),
		"ErrOtherOrder": captureResource("CAPC", otherID, st.OrderID, "USD", 2500), // custom_id of u2's top-up, u1's order
		"ErrNoCustomID": captureResource("CAPD", "", st.OrderID, "USD", 2500),
	} {
		h, body := e.pp.SignedDelivery("PAYMENT.CAPTURE.COMPLETED", res)
		// Refused for good: acknowledged (no redelivery can help), logged, not credited.
		if s := e.post(h, body); s != http.StatusOK {
			t.Errorf("%s: got status %d, want 200", name, s)
		}
	}
	for _, u := range []string{"u1", "u2"} {
		if got := e.balance(u); got != 0 {
			t.Fatalf("%s: got balance %d, want 0", u, got)
		}
	}

	// The capture route refuses a capture PayPal reports for another amount.
	pay := e.svc.Payments
	e.svc.Payments = alteredPayments{pay, func(c *panel.PaymentCapture) { c.AmountMinor = 1 }}
	if _, err := e.svc.CaptureTopup(ctx, "u1", st.OrderID); panel.ErrorCode(err) != panel.ECONFLICT {
		t.Fatalf("capture of another amount: got %v, want conflict", err)
	}
	if got := e.balance("u1"); got != 0 {
		t.Fatalf("got balance %d, want 0", got)
	}
	// The genuine capture still credits exactly the amount.
	e.svc.Payments = pay
	res, err := e.svc.CaptureTopup(ctx, "u1", st.OrderID)
	if err != nil || !res.Credited || res.BalanceMinor != 2500 {
		t.Fatalf("genuine capture: got %+v, %v", res, err)
	}
	if tp, _ := e.store.Topup(ctx, otherID); tp.Status == panel.TopupCredited {
		t.Fatalf("u2's top-up is %s", tp.Status)
	}
}

func TestRefunds(t *testing.T) {
	credited := func(t *testing.T, e *env, amount int64) (tid, capID string) {
		t.Helper()
		st := e.topup("u1", amount)
		tid = topupID(t, e, st.OrderID)
		capID = "CAP-" + tid
		h, body := e.pp.SignedDelivery("PAYMENT.CAPTURE.COMPLETED", captureResource(capID, tid, st.OrderID, "USD", amount))
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("credit: got %d", s)
		}
		return tid, capID
	}
	refund := func(t *testing.T, e *env, id, tid, capID, currency string, minor int64) {
		t.Helper()
		h, body := e.pp.SignedDelivery("PAYMENT.CAPTURE.REFUNDED", refundResource(id, tid, capID, currency, minor))
		if s := e.post(h, body); s != http.StatusOK {
			t.Fatalf("refund %s: got %d", id, s)
		}
		if s := e.post(e.pp.Sign(body), body); s != http.StatusOK { // redelivered
			t.Fatalf("refund %s again: got %d", id, s)
		}
	}
	t.Run("PartialRefundsSumAndStopAtTheCredit", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		tid, capID := credited(t, e, 2000)
		refund(t, e, "R1", tid, capID, "USD", 500)
		refund(t, e, "R2", tid, capID, "USD", 700)
		if got := e.balance("u1"); got != 800 {
			t.Fatalf("got balance %d, want 800", got)
		}
		refund(t, e, "R3", tid, capID, "USD", 1500) // more than is left: 800 debited
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
	t.Run("ConcurrentPartialRefunds", func(t *testing.T) {
		// Each read 2000 left; together they debit exactly the credit.
		e := newEnv(t, envOpts{})
		tid, capID := credited(t, e, 2000)
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, body := e.pp.SignedDelivery("PAYMENT.CAPTURE.REFUNDED", refundResource(fmt.Sprintf("RC%d", i), tid, capID, "USD", 600))
				for s := 0; s != http.StatusOK; {
					s = e.post(h, body)
					h = e.pp.Sign(body)
				}
			}()
		}
		wg.Wait()
		if got := e.balance("u1"); got != 0 {
			t.Fatalf("got balance %d, want 0 (600+600+600+200 debited)", got)
		}
	})
	t.Run("ErrOtherCapture", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		tid, capID := credited(t, e, 2000)
		refund(t, e, "RX", tid, "SOMEONE-ELSES-CAPTURE", "USD", 500)
		refund(t, e, "RY", tid, capID, "EUR", 500)
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
	for _, want := range []string{"Statement 2026-11", "Opening balance", "9.90 USD", "Credits", "0.07 USD",
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
