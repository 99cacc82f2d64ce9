package billing_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

type settingsSource struct{ s panel.Settings }

func (f settingsSource) Current(context.Context) panel.Settings { return f.s }

// plainPDF is the PDF's text with streams inflated and the escapes of
// parentheses removed.
func plainPDF(t *testing.T, pdf []byte) string {
	return strings.NewReplacer(`\(`, "(", `\)`, ")").Replace(string(pdfText(t, pdf)))
}

// TestInvoiceForBusiness: the PDF names the company (legal name, address,
// tax id from the settings) and the customer (their billing profile),
// carries a sequential number that a month keeps, and has one line per
// server and per add-on with its hours, not one per hour; payments are
// listed apart.
func TestInvoiceForBusiness(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 0)
	e.svc.Settings = settingsSource{panel.Settings{CompanyName: "Acme", LegalName: "Acme Hosting Ltd",
		PostalAddress: "1 Main Street\nSpringfield 12345", TaxID: "GB999888", SupportEmail: "billing@acme.test"}}
	e.svc.Invoicing = e.store
	p := e.customer("biz")
	e.setClock(time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC))
	e.fund(p.UserID, 10000)
	web := billedServer(t, e, p, "web-1")
	db := billedServer(t, e, p, "db-1")
	for h := 10; h <= 14; h++ {
		e.setClock(time.Date(2026, 11, 3, h, 5, 0, 0, time.UTC))
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Add-on hours as the hourly run writes them (dynamo hourPostings).
	for h := 10; h <= 12; h++ {
		at := time.Date(2026, 11, 3, h, 0, 0, 0, time.UTC)
		if _, _, err := e.store.Post(ctx, panel.Posting{UserID: p.UserID, Type: panel.EntryCharge, AmountMinor: -2, Currency: "USD",
			Description: fmt.Sprintf("web-1: backup plan, %s UTC", at.Format("2006-01-02 15:04")), Ref: fmt.Sprintf("server:%d", web.ServerID),
			IdemKey: fmt.Sprintf("test-addon-%d", h), At: at}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.PutBillingProfile(ctx, p.UserID, panel.BillingProfile{Name: "Bea Buyer", Company: "Buyer GmbH",
		AddressLines: []string{"Hauptstrasse 5", "10115 Berlin"}, TaxID: "DE123456789"}); err != nil {
		t.Fatal(err)
	}
	e.setClock(time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC))
	pdf, err := e.svc.InvoicePDF(ctx, p.UserID, "biz", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	text := plainPDF(t, pdf)
	wantLines := []string{"Acme Hosting Ltd", "1 Main Street", "Springfield 12345", "Tax ID: GB999888",
		"Invoice INV-000001", "Bea Buyer", "Buyer GmbH", "Hauptstrasse 5", "10115 Berlin", "Tax ID: DE123456789",
		"Period: 1 Nov 2026", "30 Nov 2026 (UTC)",
		fmt.Sprintf("web-1 (server %d)", web.ServerID), fmt.Sprintf("db-1 (server %d)", db.ServerID),
		fmt.Sprintf("web-1 (server %d): backup plan", web.ServerID), "(6)", "(3)", "-0.60 USD", "-0.06 USD",
		"Payments and credits", "test funds", "100.00 USD"}
	for _, w := range wantLines {
		if !strings.Contains(text, w) {
			t.Errorf("the invoice does not show %q", w)
		}
	}
	if strings.Contains(text, "2026-11-03 11:00 UTC") {
		t.Error("the invoice lists single hours; want one line per server")
	}
	// A month keeps its number; the next invoice takes the next one.
	again, err := e.svc.InvoicePDF(ctx, p.UserID, "biz", "2026-11")
	if err != nil || !strings.Contains(plainPDF(t, again), "INV-000001") {
		t.Fatalf("the second download is not INV-000001 (%v)", err)
	}
	q := e.customer("other")
	e.fund(q.UserID, 500)
	other, err := e.svc.InvoicePDF(ctx, q.UserID, "Other Person", "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	ot := plainPDF(t, other)
	for _, w := range []string{"INV-000002", "Other Person", "The month is not over"} {
		if !strings.Contains(ot, w) {
			t.Errorf("the other invoice does not show %q", w)
		}
	}
	if _, err := e.svc.InvoicePDF(ctx, q.UserID, "Other Person", "2026-10"); panel.ErrorCode(err) != panel.ENOTFOUND {
		t.Fatalf("a month without entries: %v, want not found", err)
	}
}

// TestDailyTransactions: hourly charges become one row per server per
// day, pages end at a day's end, and the rows add up to the ledger.
func TestDailyTransactions(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 0)
	p := e.customer("daily")
	e.setClock(time.Date(2026, 11, 3, 21, 30, 0, 0, time.UTC))
	e.fund(p.UserID, 10000)
	billedServer(t, e, p, "web-1") // hour 21
	for _, at := range []time.Time{
		time.Date(2026, 11, 3, 22, 10, 0, 0, time.UTC), time.Date(2026, 11, 3, 23, 10, 0, 0, time.UTC),
		time.Date(2026, 11, 4, 0, 10, 0, 0, time.UTC), time.Date(2026, 11, 4, 1, 10, 0, 0, time.UTC),
	} {
		e.setClock(at)
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
	}
	first, next, err := e.svc.DailyTransactions(ctx, p.UserID, panel.EntryFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || first[0].Description != "web-1: 2 hours" || first[0].AmountMinor != -20 || next != "2026-11-04" {
		t.Fatalf("page 1: %s, next %q; want web-1: 2 hours, -20, next 2026-11-04", rows(first), next)
	}
	second, next2, err := e.svc.DailyTransactions(ctx, p.UserID, panel.EntryFilter{Limit: 1, Cursor: next})
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 2 || second[0].Description != "web-1: 3 hours" || second[0].AmountMinor != -30 ||
		second[1].Description != "Adjustment: test funds" || next2 != "" {
		t.Fatalf("page 2: %s, next %q; want web-1: 3 hours and the top-up, then the end", rows(second), next2)
	}
	if got := first[0].BalanceAfterMinor; got != e.balance(p.UserID) {
		t.Errorf("the newest row shows balance %d, want %d", got, e.balance(p.UserID))
	}
	all, _, err := e.svc.DailyTransactions(ctx, p.UserID, panel.EntryFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	sum := int64(0)
	for _, r := range all {
		sum += r.AmountMinor
	}
	if len(all) != 3 || sum != e.balance(p.UserID) {
		t.Fatalf("all rows %s sum to %d, want 3 rows summing to the balance %d", rows(all), sum, e.balance(p.UserID))
	}
	for _, bad := range []panel.EntryFilter{{Cursor: "not-a-day"}, {Type: "bogus"}} {
		if _, _, err := e.svc.DailyTransactions(ctx, p.UserID, bad); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}

func rows(v []*panel.LedgerEntry) string {
	var b bytes.Buffer
	for _, r := range v {
		fmt.Fprintf(&b, "[%s %s %d] ", r.CreatedAt.Format("01-02"), r.Description, r.AmountMinor)
	}
	return b.String()
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 hours"}, {1, "1 hour"}, {2, "2 hours"}, {24, "24 hours"}} {
		if got := billing.Plural(c.n, "hour"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
