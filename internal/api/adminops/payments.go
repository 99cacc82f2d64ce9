package adminops

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// AdminTopup is a top-up in the payments list, with its PayPal ids.
type AdminTopup struct {
	ID            string    `json:"id"`
	UserID        string    `json:"userId"`
	Status        string    `json:"status" enum:"created,pending,credited,denied"`
	AmountMinor   int64     `json:"amountMinor"`
	Currency      string    `json:"currency"`
	CreditedMinor int64     `json:"creditedMinor"`
	DebitedMinor  int64     `json:"debitedMinor"`
	OrderID       string    `json:"paypalOrderId"`
	CaptureID     string    `json:"paypalCaptureId"`
	CreatedAt     time.Time `json:"createdAt"`
}

// RefundRequest is the body of POST /api/admin/topups/{id}/refunds.
type RefundRequest struct {
	// AmountMinor is what to refund; 0 refunds all that is left.
	AmountMinor int64  `json:"amountMinor"`
	Reason      string `json:"reason"`
}

// Valid reports each bad field.
func (r RefundRequest) Valid() map[string]string {
	bad := map[string]string{}
	if r.AmountMinor < 0 {
		bad["amountMinor"] = "Enter 0 (everything left) or an amount above zero."
	}
	if len(r.Reason) > 200 {
		bad["reason"] = "Keep it to 200 characters."
	}
	return bad
}

// Revenue is the body of GET /api/admin/revenue.
type Revenue struct {
	Currency string               `json:"currency"`
	Months   []panel.MonthRevenue `json:"months"`
}

var topupStatuses = map[string]bool{"": true, panel.TopupCreated: true, panel.TopupPending: true,
	panel.TopupCredited: true, panel.TopupDenied: true}

// topups serves GET /api/admin/topups?status=&user=&cursor=.
func (h *handlers) topups(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	f := panel.TopupFilter{Status: q.Get("status"), UserID: q.Get("user"), Cursor: q.Get("cursor"), Limit: 25}
	if !topupStatuses[f.Status] {
		return panel.Invalid(map[string]string{"status": "Use created, pending, credited or denied."})
	}
	ts, next, err := h.d.Ledger.Topups(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]AdminTopup, 0, len(ts))
	for _, t := range ts {
		out = append(out, AdminTopup{ID: t.ID, UserID: t.UserID, Status: t.Status, AmountMinor: t.AmountMinor,
			Currency: t.Currency, CreditedMinor: t.CreditedMinor, DebitedMinor: t.DebitedMinor, OrderID: t.OrderID,
			CaptureID: t.CaptureID, CreatedAt: t.CreatedAt})
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(out, next))
}

// refund serves POST /api/admin/topups/{id}/refunds (Idempotency-Key
// required: a retry is the same PayPal refund).
func (h *handlers) refund(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[RefundRequest](r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	before, err := h.d.Billing.Store.Topup(r.Context(), id)
	if err != nil {
		return err
	}
	res, err := h.d.Billing.RefundTopup(r.Context(), p.UserID, id, req.AmountMinor, r.Header.Get("Idempotency-Key"))
	type state struct {
		DebitedMinor int64  `json:"debitedMinor"`
		Reason       string `json:"reason,omitempty"`
		RefundID     string `json:"refundId,omitempty"`
	}
	after := state{DebitedMinor: before.DebitedMinor, Reason: req.Reason}
	if res != nil {
		after.DebitedMinor, after.RefundID = res.DebitedMinor, res.RefundID
	}
	h.audit(r, p, panel.ActTopupRefund, "topup:"+id, state{DebitedMinor: before.DebitedMinor}, after, err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusCreated, res)
}

func (h *handlers) revenueMonths(r *http.Request) ([]panel.MonthRevenue, error) {
	n := 12
	if v := r.URL.Query().Get("months"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 || m > 36 {
			return nil, panel.Invalid(map[string]string{"months": "Between 1 and 36."})
		}
		n = m
	}
	return h.d.Ledger.Revenue(r.Context(), recentMonths(h.d.now(), n))
}

// recentMonths lists the n months up to now's, oldest first.
func recentMonths(now time.Time, n int) []string {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, 0, n)
	for i := n - 1; i >= 0; i-- {
		out = append(out, first.AddDate(0, -i, 0).Format("2006-01"))
	}
	return out
}

// revenue serves GET /api/admin/revenue?months=12.
func (h *handlers) revenue(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	ms, err := h.revenueMonths(r)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, Revenue{Currency: h.d.Billing.Currency, Months: ms})
}

// revenueCSV serves GET /api/admin/revenue/csv: the same report as CSV.
func (h *handlers) revenueCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	ms, err := h.revenueMonths(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="revenue.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"month", "currency", "credits", "charges", "topups", "refunds", "reversals", "adjustments", "customers"})
	for _, m := range ms {
		_ = cw.Write([]string{m.Month, h.d.Billing.Currency, money(m.CreditsMinor), money(m.ChargesMinor), money(m.TopupsMinor),
			money(m.RefundsMinor), money(m.ReversalsMinor), money(m.AdjustmentsMinor), strconv.Itoa(m.Customers)})
	}
	cw.Flush()
	return cw.Error()
}

func money(minor int64) string {
	if minor < 0 {
		return "-" + config.FormatMoney(-minor)
	}
	return config.FormatMoney(minor)
}
