package panel

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// BillingProfile is who a customer's invoices are made out to: the
// customer's own name, company, postal address and tax id. Empty fields
// are left off the invoice.
type BillingProfile struct {
	Name         string   `json:"name"`
	Company      string   `json:"company"`
	AddressLines []string `json:"addressLines"`
	TaxID        string   `json:"taxId"`
}

// Bounds of a billing profile.
const (
	MaxAddressLines = 5
	MaxAddressLine  = 100
)

// Normalize trims every field and drops empty address lines.
func (b *BillingProfile) Normalize() {
	b.Name, b.Company, b.TaxID = strings.TrimSpace(b.Name), strings.TrimSpace(b.Company), strings.TrimSpace(b.TaxID)
	lines := make([]string, 0, len(b.AddressLines))
	for _, l := range b.AddressLines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	b.AddressLines = lines
}

// Valid reports each bad field (call Normalize first).
func (b BillingProfile) Valid() map[string]string {
	bad := map[string]string{}
	text := func(field, v string, max int) {
		switch {
		case utf8.RuneCountInString(v) > max:
			bad[field] = "Too long."
		case TextProblem(v) != "" || strings.ContainsAny(v, "\n\r"):
			bad[field] = "Remove control characters."
		}
	}
	text("name", b.Name, 100)
	text("company", b.Company, 100)
	text("taxId", b.TaxID, 50)
	if len(b.AddressLines) > MaxAddressLines {
		bad["addressLines"] = "Use at most 5 lines."
	}
	for _, l := range b.AddressLines {
		if utf8.RuneCountInString(l) > MaxAddressLine || TextProblem(l) != "" || strings.ContainsAny(l, "\n\r") {
			bad["addressLines"] = "Each line: at most 100 characters, no control characters."
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// InvoiceStore keeps customers' billing profiles and numbers invoices.
type InvoiceStore interface {
	// BillingProfile returns userID's profile; the zero profile when none
	// was saved.
	BillingProfile(ctx context.Context, userID string) (*BillingProfile, error)
	PutBillingProfile(ctx context.Context, userID string, b BillingProfile) error
	// InvoiceNumber returns the number of userID's invoice for period
	// (yyyy-mm), allocating the next number of the one sequence the first
	// time: numbers are consecutive, without gaps, and a period keeps its
	// number.
	InvoiceNumber(ctx context.Context, userID, period string) (int64, error)
}

// AdminOverview is the console's front page (issue 20, item 10).
type AdminOverview struct {
	Month          string `json:"month"` // yyyy-mm, UTC
	Users          int    `json:"users"`
	NewUsers       int    `json:"newUsers"`       // signed up this month
	FailedPayments int    `json:"failedPayments"` // top-ups PayPal denied this month
	FailedBuilds   int    `json:"failedBuilds"`   // installs VirtFusion reported failed in the last BuildDays days
	BuildDays      int    `json:"buildDays"`
	OpenTickets    int    `json:"openTickets"` // open or waiting on the customer
	// Revenue is this month's ledger totals (charges are what customers
	// were billed).
	Revenue MonthRevenue `json:"revenue"`
	// AsOf is when the figures were counted (they are cached up to a minute).
	AsOf time.Time `json:"asOf"`
}
