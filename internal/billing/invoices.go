package billing

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

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

// InvoicePDF renders one monthly statement as a PDF.
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
	return renderPDF(inv, name, entries)
}

// line is one row of a statement: charges of one server are summed.
type line struct {
	date   time.Time
	desc   string
	amount int64
}

func statementLines(entries []*panel.LedgerEntry) []line {
	charges := map[string]*line{}
	hours := map[string]int{}
	var out []line
	for _, e := range entries {
		if e.Type == panel.EntryCharge && e.Ref != "" {
			l, ok := charges[e.Ref]
			if !ok {
				name, _, _ := strings.Cut(e.Description, ":")
				l = &line{date: e.CreatedAt, desc: name}
				charges[e.Ref] = l
			}
			l.amount += e.AmountMinor
			hours[e.Ref]++
			if e.CreatedAt.Before(l.date) {
				l.date = e.CreatedAt
			}
			continue
		}
		out = append(out, line{date: e.CreatedAt, desc: e.Description, amount: e.AmountMinor})
	}
	for ref, l := range charges {
		l.desc = fmt.Sprintf("%s (%s): %d hours", l.desc, ref, hours[ref])
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].date.Before(out[j].date) })
	return out
}

func renderPDF(inv *Invoice, name string, entries []*panel.LedgerEntry) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle("vfpanel statement "+inv.ID, true)
	pdf.SetCreator("vfpanel", true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.Cell(0, 10, "Statement "+inv.ID)
	pdf.Ln(12)
	pdf.SetFont("Helvetica", "", 11)
	pdf.Cell(0, 6, tr("Customer: "+name))
	pdf.Ln(6)
	pdf.Cell(0, 6, fmt.Sprintf("Period: %s to %s (UTC)", inv.PeriodStart.Format("2006-01-02"), inv.PeriodEnd.AddDate(0, 0, -1).Format("2006-01-02")))
	pdf.Ln(10)
	money := func(m int64) string { return config.FormatMoney(m) + " " + inv.Currency }
	for _, row := range [][2]string{
		{"Opening balance", money(inv.OpeningMinor)},
		{"Credits", money(inv.CreditsMinor)},
		{"Charges", money(negSaturated(inv.ChargesMinor))},
		{"Closing balance", money(inv.ClosingMinor)},
	} {
		pdf.CellFormat(60, 7, row[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(40, 7, row[1], "", 1, "R", false, 0, "")
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "B", 10)
	pdf.SetFillColor(235, 235, 235)
	pdf.CellFormat(30, 7, "Date", "B", 0, "L", true, 0, "")
	pdf.CellFormat(120, 7, "Description", "B", 0, "L", true, 0, "")
	pdf.CellFormat(40, 7, "Amount", "B", 1, "R", true, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	for _, l := range statementLines(entries) {
		desc := l.desc
		if len(desc) > 80 {
			desc = desc[:77] + "..."
		}
		pdf.CellFormat(30, 6, l.date.UTC().Format("2006-01-02"), "", 0, "L", false, 0, "")
		pdf.CellFormat(120, 6, tr(desc), "", 0, "L", false, 0, "")
		pdf.CellFormat(40, 6, money(l.amount), "", 1, "R", false, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("billing: render statement %s: %w", inv.ID, err)
	}
	return buf.Bytes(), nil
}
