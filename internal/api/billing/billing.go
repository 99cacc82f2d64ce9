// Package billing serves the billing function's routes (balance, ledger,
// statements, PayPal top-ups) and the PayPal webhook.
package billing

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// caller returns the signed-in principal set by the auth middleware.
func caller(r *http.Request) (*panel.Principal, error) {
	p := panel.PrincipalFrom(r.Context())
	if p == nil {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "Please sign in.")
	}
	return p, nil
}

// TopupRequest is the body of POST /api/billing/topups.
type TopupRequest struct {
	Amount string `json:"amount"`
	// ReturnTo is the panel page PayPal sends the payer back to (default /billing).
	ReturnTo string `json:"returnTo,omitempty"`
	// Coupon is an optional promo code whose bonus comes with the payment.
	Coupon string `json:"coupon,omitempty"`
}

// Valid reports the invalid fields.
func (t TopupRequest) Valid() map[string]string {
	if t.Amount == "" {
		return map[string]string{"amount": "Enter an amount like 25.00."}
	}
	if t.ReturnTo != "" && !bill.ValidReturnPath(t.ReturnTo) {
		return map[string]string{"returnTo": "Return to a page of the panel, such as /deploy."}
	}
	return nil
}

// InvoiceList is the body of GET /api/billing/invoices.
type InvoiceList struct {
	Invoices []bill.Invoice `json:"invoices"`
}

// WebhookAck is the answer to a PayPal webhook delivery it accepted.
type WebhookAck struct {
	OK bool `json:"ok"`
}

var invoiceID = regexp.MustCompile(`^\d{4}-\d{2}$`)

// Handlers returns the billing function's routes.
func Handlers(svc *bill.Service) httpx.Handlers {
	h := &handlers{svc: svc}
	return httpx.Merge(h.autoTopupHandlers(), httpx.Handlers{
		"GET /api/billing/checkout":                  Checkout{Mode: CheckoutRedirect, Currency: svc.Currency}.Handler(limitsOf(svc)),
		"GET /api/billing/balance":                   httpx.HandlerFunc(h.balance),
		"GET /api/billing/transactions":              httpx.HandlerFunc(h.transactions),
		"GET /api/billing/invoices":                  httpx.HandlerFunc(h.invoices),
		"GET /api/billing/invoices/{id}/pdf":         httpx.HandlerFunc(h.invoicePDF),
		"POST /api/billing/topups":                   httpx.HandlerFunc(h.startTopup),
		"POST /api/billing/topups/{orderId}/capture": httpx.HandlerFunc(h.captureTopup),
		// Coupons and auto top-up (issue 19, promo).
		"POST /api/billing/coupons/validate": httpx.HandlerFunc(h.validateCoupon),
		// Invoices (issue 20, item 9): who invoices are made out to.
		"GET /api/billing/profile": httpx.HandlerFunc(h.billingProfile),
		"PUT /api/billing/profile": httpx.HandlerFunc(h.putBillingProfile),
	})
}

// handlers serves the billing routes from the billing service.
type handlers struct{ svc *bill.Service }

// balance serves GET /api/billing/balance.
func (h *handlers) balance(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	v, err := h.svc.Balance(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}

// transactions serves GET /api/billing/transactions.
func (h *handlers) transactions(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	f, err := parseFilter(r)
	if err != nil {
		return err
	}
	list := h.svc.Transactions
	switch r.URL.Query().Get("group") {
	case "":
	case "day": // hourly charges per server per day (issue 20, item 9)
		list = h.svc.DailyTransactions
	default:
		return panel.Invalid(map[string]string{"group": "Use day, or leave it out."})
	}
	items, next, err := list(r.Context(), p.UserID, f)
	if err != nil {
		return err
	}
	for _, e := range items {
		e.Actor = "" // which administrator adjusted a balance is staff-only
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(items, next))
}

// invoices serves GET /api/billing/invoices.
func (h *handlers) invoices(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	invs, err := h.svc.Invoices(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, InvoiceList{Invoices: invs})
}

// invoicePDF serves GET /api/billing/invoices/{id}/pdf.
func (h *handlers) invoicePDF(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !invoiceID.MatchString(id) {
		return panel.NotFound("invoice")
	}
	name := p.Name
	if name == "" {
		name = p.Email
	}
	pdf, err := h.svc.InvoicePDF(r.Context(), p.UserID, name, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="invoice-`+id+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(pdf)
	return err
}

// startTopup serves POST /api/billing/topups.
func (h *handlers) startTopup(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	if err := panel.RequireVerifiedEmail(p); err != nil {
		return err
	}
	req, err := httpx.Decode[TopupRequest](r)
	if err != nil {
		return err
	}
	minor, err := h.svc.ParseAmount(r.Context(), req.Amount)
	if err != nil {
		return err
	}
	// Idempotency-Key is optional: with it, a retried request
	// answers the same top-up, and another amount 422.
	t, err := h.svc.StartTopupWith(r.Context(), p.UserID, minor, r.Header.Get("Idempotency-Key"), req.ReturnTo, req.Coupon)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusCreated, t)
}

// captureTopup serves POST /api/billing/topups/{orderId}/capture.
func (h *handlers) captureTopup(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	res, err := h.svc.CaptureTopup(r.Context(), p.UserID, r.PathValue("orderId"))
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, res)
}

// parseFilter reads type, from, to (dates or RFC 3339; to is inclusive of
// its day), cursor and limit.
func parseFilter(r *http.Request) (panel.EntryFilter, error) {
	q := r.URL.Query()
	f := panel.EntryFilter{Type: q.Get("type"), Cursor: q.Get("cursor")}
	bad := map[string]string{}
	parse := func(name string, endOfDay bool) time.Time {
		v := q.Get(name)
		if v == "" {
			return time.Time{}
		}
		if t, err := time.Parse("2006-01-02", v); err == nil {
			if endOfDay {
				t = t.AddDate(0, 0, 1)
			}
			return t
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			bad[name] = "Use a date like 2026-11-01."
		}
		return t
	}
	if f.Type != "" && !panel.ValidEntryType(f.Type) {
		bad["type"] = "Use topup, charge, refund, reversal, adjustment or promo."
	}
	f.From, f.To = parse("from", false), parse("to", true)
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			bad["limit"] = "Use 1 to 100."
		}
		f.Limit = n
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		bad["to"] = "Must be after from."
	}
	if len(bad) > 0 {
		return f, panel.Invalid(bad)
	}
	return f, nil
}

// maxWebhookBody bounds a PayPal delivery (events are a few KB).
const maxWebhookBody = 256 << 10

// WebhookHandlers returns the PayPal webhook route for the webhooks
// function: the raw body is verified, stored and processed; 2xx tells
// PayPal to stop, anything else makes it deliver again.
func WebhookHandlers(svc *bill.Service) httpx.Handlers {
	h := &handlers{svc: svc}
	return httpx.Handlers{
		"POST /api/webhooks/paypal": httpx.HandlerFunc(h.paypalWebhook),
	}
}

// paypalWebhook serves POST /api/webhooks/paypal.
func (h *handlers) paypalWebhook(w http.ResponseWriter, r *http.Request) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil {
		return panel.Errorf(panel.EINVALID, "The body could not be read.")
	}
	if len(raw) > maxWebhookBody {
		return &panel.Error{Code: panel.ETOOLARGE, Message: "The event is too large."}
	}
	if err := h.svc.HandleWebhook(r.Context(), r.Header, raw); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, WebhookAck{OK: true})
}
