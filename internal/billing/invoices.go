package billing

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Invoice is a monthly statement built from the ledger.
type Invoice struct {
	ID           string    `json:"id"` // 2026-11
	PeriodStart  time.Time `json:"periodStart"`
	PeriodEnd    time.Time `json:"periodEnd"`
	OpeningMinor int64     `json:"openingMinor"`
	CreditsMinor int64     `json:"creditsMinor"`
	ChargesMinor int64     `json:"chargesMinor"`
	ClosingMinor int64     `json:"closingMinor"`
	Currency     string    `json:"currency"`
}

// Invoices returns a customer's monthly statements, newest first: one per
// month from the first entry to the current month.
func (s *Service) Invoices(ctx context.Context, userID string) ([]Invoice, error) {
	totals, err := s.Store.Statements(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := []Invoice{}
	byMonth := map[string]panel.MonthTotals{}
	var months []panel.MonthTotals
	for _, t := range totals {
		// A month that does not parse (never written by billing) is left
		// out rather than breaking every statement.
		if _, err := time.Parse("2006-01", t.Month); err != nil {
			s.log(ctx).Error("billing: bad statement month skipped", "user", userID, "month", t.Month)
			continue
		}
		byMonth[t.Month] = t
		months = append(months, t)
	}
	if len(months) == 0 {
		return out, nil
	}
	totals = months
	first, _ := time.Parse("2006-01", totals[0].Month)
	now := s.now()
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if lt, err := time.Parse("2006-01", totals[len(totals)-1].Month); err == nil && lt.After(last) {
		last = lt
	}
	balance := int64(0)
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		t := byMonth[m.Format("2006-01")]
		inv := Invoice{ID: m.Format("2006-01"), PeriodStart: m, PeriodEnd: m.AddDate(0, 1, 0), OpeningMinor: balance,
			CreditsMinor: t.CreditsMinor, ChargesMinor: t.ChargesMinor, Currency: s.Currency}
		// Saturating, so a stored total no bound allows (a past bug) shows
		// as a huge number instead of wrapping around.
		balance = addSaturated(addSaturated(balance, t.CreditsMinor), negSaturated(t.ChargesMinor))
		inv.ClosingMinor = balance
		out = append(out, inv)
	}
	slicesReverse(out)
	return out, nil
}

// addSaturated returns a+b, clamped to the int64 range.
func addSaturated(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}

// negSaturated returns -a, clamped to the int64 range.
func negSaturated(a int64) int64 {
	if a == math.MinInt64 {
		return math.MaxInt64
	}
	return -a
}

func slicesReverse(v []Invoice) {
	for i, j := 0, len(v)-1; i < j; i, j = i+1, j-1 {
		v[i], v[j] = v[j], v[i]
	}
}

// InvoicePDF renders one month's invoice as a PDF: the company (from the
// settings), the customer (their billing profile, else name), the
// month's invoice number, one line per server and add-on with its hours,
// then the payments and credits.
func (s *Service) InvoicePDF(ctx context.Context, userID, name, id string) ([]byte, error) {
	invs, err := s.Invoices(ctx, userID)
	if err != nil {
		return nil, err
	}
	var inv *Invoice
	for i := range invs {
		if invs[i].ID == id {
			inv = &invs[i]
		}
	}
	if inv == nil {
		return nil, panel.NotFound("invoice")
	}
	doc := invoiceDoc{inv: inv, customer: panel.BillingProfile{Name: name}, now: s.now()}
	if s.Settings != nil {
		doc.company = s.Settings.Current(ctx)
	}
	if s.Invoicing != nil {
		bp, err := s.Invoicing.BillingProfile(ctx, userID)
		if err != nil {
			return nil, err
		}
		if bp.Name == "" {
			bp.Name = name
		}
		doc.customer = *bp
		if doc.number, err = s.Invoicing.InvoiceNumber(ctx, userID, inv.ID); err != nil {
			return nil, err
		}
	}
	var entries []*panel.LedgerEntry
	cursor := ""
	for {
		page, next, err := s.Store.Entries(ctx, userID, panel.EntryFilter{From: inv.PeriodStart, To: inv.PeriodEnd, Cursor: cursor, Limit: 200})
		if err != nil {
			return nil, err
		}
		entries = append(entries, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	doc.charges, doc.credits = invoiceLines(entries)
	return doc.render()
}

// hourlyCharge matches the description of an hour's charge: "<server>:
// <hour> UTC", or "<server>: <add-on>, <hour> UTC" for an add-on's.
var hourlyCharge = regexp.MustCompile(`^(.+?): (?:(.+), )?\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$`)

// chargeParts splits an hourly charge's description into the server's
// name and the add-on ("" for the server itself); ok is false for any
// other entry.
func chargeParts(e *panel.LedgerEntry) (server, addon string, ok bool) {
	if e.Type != panel.EntryCharge || !strings.HasPrefix(e.Ref, "server:") {
		return "", "", false
	}
	m := hourlyCharge.FindStringSubmatch(e.Description)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// line is one row of an invoice.
type line struct {
	date   time.Time
	desc   string
	hours  int // 0: not an hourly line
	amount int64
}

// invoiceLines sums a month's hourly charges into one line per server and
// add-on (with the hours), keeps other charges as they are, and lists
// payments and credits (every positive entry, refunds and reversals)
// apart, each oldest first.
func invoiceLines(entries []*panel.LedgerEntry) (charges, credits []line) {
	byKey := map[string]*line{}
	var keys []string
	for _, e := range entries {
		server, addon, ok := chargeParts(e)
		switch {
		case ok:
			k := e.Ref + "\x00" + addon
			l := byKey[k]
			if l == nil {
				desc := fmt.Sprintf("%s (%s)", server, strings.Replace(e.Ref, ":", " ", 1))
				if addon != "" {
					desc += ": " + addon
				}
				l = &line{date: e.CreatedAt, desc: desc}
				byKey[k] = l
				keys = append(keys, k)
			}
			l.amount += e.AmountMinor
			l.hours++
			if e.CreatedAt.Before(l.date) {
				l.date = e.CreatedAt
			}
		case e.Type == panel.EntryCharge:
			charges = append(charges, line{date: e.CreatedAt, desc: e.Description, amount: e.AmountMinor})
		default:
			credits = append(credits, line{date: e.CreatedAt, desc: e.Description, amount: e.AmountMinor})
		}
	}
	for _, k := range keys {
		charges = append(charges, *byKey[k])
	}
	byDate := func(v []line) {
		sort.SliceStable(v, func(i, j int) bool {
			if !v[i].date.Equal(v[j].date) {
				return v[i].date.Before(v[j].date)
			}
			return v[i].desc < v[j].desc
		})
	}
	byDate(charges)
	byDate(credits)
	return charges, credits
}

// Plural returns "1 hour", "2 hours": n and the noun, pluralised with "s".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// InvoiceNumberText formats an invoice number as it is printed.
func InvoiceNumberText(n int64) string { return fmt.Sprintf("INV-%06d", n) }

// invoiceDoc is everything an invoice PDF shows.
type invoiceDoc struct {
	inv              *Invoice
	company          panel.Settings
	customer         panel.BillingProfile
	number           int64
	now              time.Time
	charges, credits []line
}

func (d invoiceDoc) render() ([]byte, error) {
	inv := d.inv
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	company := d.company.LegalName
	if company == "" {
		company = d.company.CompanyName
	}
	if company == "" {
		company = "vfpanel"
	}
	title := "Invoice " + inv.ID
	if d.number > 0 {
		title = "Invoice " + InvoiceNumberText(d.number)
	}
	pdf.SetTitle(tr(company+" "+title), true)
	pdf.SetCreator("vfpanel", true)
	pdf.AddPage()
	text := func(style string, size float64, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.CellFormat(0, 5.5, tr(s), "", 1, "L", false, 0, "")
	}
	// The seller.
	text("B", 14, company)
	for _, l := range strings.Split(strings.TrimSpace(d.company.PostalAddress), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			text("", 10, l)
		}
	}
	if d.company.TaxID != "" {
		text("", 10, "Tax ID: "+d.company.TaxID)
	}
	if d.company.SupportEmail != "" {
		text("", 10, d.company.SupportEmail)
	}
	pdf.Ln(6)
	text("B", 18, title)
	pdf.Ln(1)
	last := inv.PeriodEnd.AddDate(0, 0, -1)
	text("", 10, "Period: "+PeriodText(inv.PeriodStart, inv.PeriodEnd))
	issued := last
	if d.now.Before(inv.PeriodEnd) {
		issued = d.now
		text("I", 10, "The month is not over: amounts to "+d.now.UTC().Format("2 Jan 2006")+".")
	}
	text("", 10, "Issued: "+issued.UTC().Format("2 Jan 2006"))
	pdf.Ln(4)
	// The customer.
	text("B", 10, "Bill to")
	for _, l := range append([]string{d.customer.Name, d.customer.Company}, d.customer.AddressLines...) {
		if l != "" {
			text("", 10, l)
		}
	}
	if d.customer.TaxID != "" {
		text("", 10, "Tax ID: "+d.customer.TaxID)
	}
	pdf.Ln(6)
	money := func(m int64) string { return config.FormatMoney(m) + " " + inv.Currency }
	table := func(heading string, rows []line, hours bool) {
		pdf.SetFont("Helvetica", "B", 10)
		pdf.SetFillColor(235, 235, 235)
		pdf.CellFormat(25, 7, "Date", "B", 0, "L", true, 0, "")
		pdf.CellFormat(105, 7, heading, "B", 0, "L", true, 0, "")
		pdf.CellFormat(20, 7, map[bool]string{true: "Hours"}[hours], "B", 0, "R", true, 0, "")
		pdf.CellFormat(40, 7, "Amount", "B", 1, "R", true, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		if len(rows) == 0 {
			pdf.CellFormat(0, 6, "None in this period.", "", 1, "L", false, 0, "")
		}
		for _, l := range rows {
			desc := l.desc
			if utf8.RuneCountInString(desc) > 64 {
				desc = string([]rune(desc)[:61]) + "..."
			}
			h := ""
			if l.hours > 0 {
				h = strconv.Itoa(l.hours)
			}
			pdf.CellFormat(25, 6, l.date.UTC().Format("2006-01-02"), "", 0, "L", false, 0, "")
			pdf.CellFormat(105, 6, tr(desc), "", 0, "L", false, 0, "")
			pdf.CellFormat(20, 6, h, "", 0, "R", false, 0, "")
			pdf.CellFormat(40, 6, money(l.amount), "", 1, "R", false, 0, "")
		}
		pdf.Ln(5)
	}
	table("Charges", d.charges, true)
	table("Payments and credits", d.credits, false)
	pdf.SetFont("Helvetica", "", 10)
	for _, row := range [][2]string{
		{"Opening balance", money(inv.OpeningMinor)},
		{"Payments and credits", money(inv.CreditsMinor)},
		{"Charges", money(negSaturated(inv.ChargesMinor))},
		{"Closing balance", money(inv.ClosingMinor)},
	} {
		pdf.CellFormat(130, 6, "", "", 0, "L", false, 0, "")
		pdf.CellFormat(35, 6, row[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(25, 6, row[1], "", 1, "R", false, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("billing: render invoice %s: %w", inv.ID, err)
	}
	return buf.Bytes(), nil
}

// PeriodText is how an invoice's period is written everywhere (the PDF,
// and the same words as the panel's list): "1 Nov 2026 – 30 Nov 2026",
// the end day inclusive.
func PeriodText(start, end time.Time) string {
	return start.UTC().Format("2 Jan 2006") + " – " + end.UTC().AddDate(0, 0, -1).Format("2 Jan 2006") + " (UTC)"
}

// DailyTransactions is the ledger, newest first, with each server's hourly
// charges (its add-ons' too) of one UTC day summed into one row: "web-1:
// 24 hours". Other entries are as they are. Pages end at a day's end, so
// a day's row is never split; the cursor is the day the next page ends
// before (yyyy-mm-dd). f.Limit counts rows (a page may overrun it to
// finish its last day).
func (s *Service) DailyTransactions(ctx context.Context, userID string, f panel.EntryFilter) ([]*panel.LedgerEntry, string, error) {
	if f.Type != "" && !panel.ValidEntryType(f.Type) {
		return nil, "", panel.Invalid(map[string]string{"type": "Use topup, charge, refund, reversal, adjustment or promo."})
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	if f.Cursor != "" {
		day, err := time.Parse("2006-01-02", f.Cursor)
		if err != nil {
			return nil, "", panel.Invalid(map[string]string{"cursor": "Use the nextCursor of the previous page."})
		}
		if f.To.IsZero() || day.Before(f.To) {
			f.To = day
		}
	}
	inner := f
	inner.Cursor, inner.Limit = "", 200
	out := []*panel.LedgerEntry{}
	groups := map[string]*panel.LedgerEntry{}
	hours := map[string]int{}
	addons := map[string][]string{}
	names := map[string]string{}
	stopDay := ""
	finish := func(next string) ([]*panel.LedgerEntry, string, error) {
		for k, g := range groups {
			desc := names[k] + ": " + Plural(hours[k], "hour")
			switch {
			case hours[k] == 0:
				desc = names[k] + ": " + strings.Join(addons[k], ", ")
			case len(addons[k]) > 0:
				desc += " with " + strings.Join(addons[k], ", ")
			}
			g.Description = desc
		}
		return out, next, nil
	}
	for {
		page, next, err := s.Store.Entries(ctx, userID, inner)
		if err != nil {
			return nil, "", err
		}
		for _, e := range page {
			day := e.CreatedAt.UTC().Format("2006-01-02")
			if stopDay != "" && day != stopDay {
				return finish(stopDay)
			}
			if server, addon, ok := chargeParts(e); ok {
				k := day + "|" + e.Ref
				g := groups[k]
				if g == nil {
					// Newest first: the first entry seen is the day's last,
					// whose balance the row shows.
					cp := *e
					g = &cp
					g.ID, g.AmountMinor = "day:"+day+":"+e.Ref, 0
					groups[k], names[k] = g, server
					out = append(out, g)
				}
				g.AmountMinor += e.AmountMinor
				if addon == "" {
					hours[k]++
				} else if !slices.Contains(addons[k], addon) {
					addons[k] = append(addons[k], addon)
				}
			} else {
				out = append(out, e)
			}
			if stopDay == "" && len(out) >= limit {
				stopDay = day
			}
		}
		if next == "" {
			return finish("")
		}
		inner.Cursor = next
	}
}
