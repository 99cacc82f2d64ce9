package paypal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Order, capture and refund statuses.
const (
	OrderCreated             = "CREATED"
	OrderSaved               = "SAVED"
	OrderApproved            = "APPROVED"
	OrderVoided              = "VOIDED"
	OrderCompleted           = "COMPLETED"
	OrderPayerActionRequired = "PAYER_ACTION_REQUIRED"
	CaptureCompleted         = "COMPLETED"
	CaptureDeclined          = "DECLINED"
	CapturePartiallyRefunded = "PARTIALLY_REFUNDED"
	CapturePending           = "PENDING"
	CaptureRefunded          = "REFUNDED"
	CaptureFailed            = "FAILED"
	RefundCompleted          = "COMPLETED"
	RefundPending            = "PENDING"
)

// PayPal's limits on PayPal-Request-Id and custom_id / invoice_id.
const (
	maxRequestIDLen = 108
	maxCustomIDLen  = 127
)

// CreateOrderInput is a one-item CAPTURE order.
type CreateOrderInput struct {
	AmountMinor int64  // in minor units of Currency
	Currency    string // ISO 4217, e.g. USD
	CustomID    string // our top-up id; echoed in captures and webhooks
	InvoiceID   string // optional; PayPal refuses a reused invoice id
	ReturnURL   string // where PayPal sends the payer after approval
	CancelURL   string // where PayPal sends the payer on cancel
}

// Valid returns the invalid fields of in (nil when valid).
func (in CreateOrderInput) Valid() map[string]string {
	bad := map[string]string{}
	if in.AmountMinor <= 0 {
		bad["amountMinor"] = "must be positive"
	}
	if len(in.Currency) != 3 {
		bad["currency"] = "must be an ISO 4217 code"
	}
	if in.CustomID == "" || len(in.CustomID) > maxCustomIDLen {
		bad["customId"] = "must be 1 to 127 characters"
	}
	if len(in.InvoiceID) > maxCustomIDLen {
		bad["invoiceId"] = "must be at most 127 characters"
	}
	for k, v := range map[string]string{"returnUrl": in.ReturnURL, "cancelUrl": in.CancelURL} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad[k] = "must be an absolute http(s) URL"
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// Order is a PayPal order.
type Order struct {
	ID          string
	Status      string
	ApproveURL  string // where to send the payer to approve
	AmountMinor int64
	Currency    string
	CustomID    string
	InvoiceID   string
	Captures    []Capture // after capture
}

// CaptureResult is the answer to CaptureOrder.
type CaptureResult struct {
	OrderID  string
	Status   string // COMPLETED once captured
	Captures []Capture
}

// Capture is a captured payment: the money moved, or trying to.
type Capture struct {
	ID           string // PayPal transaction id
	Status       string // COMPLETED, PENDING, DECLINED, REFUNDED, PARTIALLY_REFUNDED, FAILED
	StatusReason string // status_details.reason, e.g. PENDING_REVIEW
	AmountMinor  int64
	Currency     string
	CustomID     string
	InvoiceID    string
	OrderID      string // supplementary_data.related_ids.order_id, else the "up" link
}

// Refund is a refund of a capture.
type Refund struct {
	ID          string
	Status      string // COMPLETED, PENDING, FAILED, CANCELLED
	AmountMinor int64
	Currency    string
	CustomID    string
	InvoiceID   string
	CaptureID   string // from the "up" link
}

// CreateOrder creates a CAPTURE order for in and returns it with the URL to
// send the payer to. requestID (PayPal-Request-Id) makes retries safe: the
// same id returns the same order.
func (c *Client) CreateOrder(ctx context.Context, in CreateOrderInput, requestID string) (*Order, error) {
	if bad := in.Valid(); bad != nil {
		return nil, panel.Invalid(bad)
	}
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	body := wireCreateOrder{Intent: "CAPTURE"}
	body.PurchaseUnits = []wireUnit{{
		Amount:    &wireAmount{CurrencyCode: strings.ToUpper(in.Currency), Value: FormatAmount(in.AmountMinor, in.Currency)},
		CustomID:  in.CustomID,
		InvoiceID: in.InvoiceID,
	}}
	// experience_context replaces the deprecated application_context.
	body.PaymentSource = &wirePaymentSource{PayPal: &wirePayPalSource{ExperienceContext: &wireExperience{
		ReturnURL: in.ReturnURL, CancelURL: in.CancelURL,
		UserAction: "PAY_NOW", ShippingPreference: "NO_SHIPPING",
	}}}
	var out wireOrder
	_, err := c.do(ctx, call{
		method: http.MethodPost, path: "/v2/checkout/orders",
		header:     http.Header{"Paypal-Request-Id": {requestID}, "Prefer": {"return=representation"}},
		idempotent: true,
	}, body, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: create order %s: %w", in.CustomID, err)
	}
	o, err := out.order()
	if err != nil {
		return nil, fmt.Errorf("paypal: create order %s: %w", in.CustomID, err)
	}
	return o, nil
}

// GetOrder returns the order with id.
func (c *Client) GetOrder(ctx context.Context, id string) (*Order, error) {
	if err := checkID("order", id); err != nil {
		return nil, err
	}
	var out wireOrder
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v2/checkout/orders/" + url.PathEscape(id), idempotent: true}, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: get order %s: %w", id, err)
	}
	o, err := out.order()
	if err != nil {
		return nil, fmt.Errorf("paypal: get order %s: %w", id, err)
	}
	return o, nil
}

// CaptureOrder captures the payer-approved order id. requestID makes a retry
// return the first capture instead of failing with ORDER_ALREADY_CAPTURED;
// use a stable id per order. See IsAlreadyCaptured and IsNotApproved.
func (c *Client) CaptureOrder(ctx context.Context, orderID, requestID string) (*CaptureResult, error) {
	if err := checkID("order", orderID); err != nil {
		return nil, err
	}
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	var out wireOrder
	_, err := c.do(ctx, call{
		method: http.MethodPost, path: "/v2/checkout/orders/" + url.PathEscape(orderID) + "/capture",
		header:     http.Header{"Paypal-Request-Id": {requestID}, "Prefer": {"return=representation"}},
		idempotent: true,
	}, struct{}{}, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: capture order %s: %w", orderID, err)
	}
	o, err := out.order()
	if err != nil {
		return nil, fmt.Errorf("paypal: capture order %s: %w", orderID, err)
	}
	return &CaptureResult{OrderID: o.ID, Status: o.Status, Captures: o.Captures}, nil
}

// GetCapture returns the capture with id as PayPal has it now. Billing
// trusts this, not a webhook body: a body's signature covers only a CRC32.
func (c *Client) GetCapture(ctx context.Context, id string) (*Capture, error) {
	if err := checkID("capture", id); err != nil {
		return nil, err
	}
	var out wireCapture
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v2/payments/captures/" + url.PathEscape(id), idempotent: true}, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: get capture %s: %w", id, notFoundAs(err, "PayPal capture"))
	}
	if out.ID != id {
		return nil, fmt.Errorf("paypal: get capture %s: %w", id, upstream("PayPal returned another capture.", nil))
	}
	capt, err := out.capture()
	if err != nil {
		return nil, fmt.Errorf("paypal: get capture %s: %w", id, err)
	}
	return &capt, nil
}

// GetRefund returns the refund (or reversal) with id as PayPal has it now;
// CaptureID comes from its "up" link.
func (c *Client) GetRefund(ctx context.Context, id string) (*Refund, error) {
	if err := checkID("refund", id); err != nil {
		return nil, err
	}
	var out wireRefund
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v2/payments/refunds/" + url.PathEscape(id), idempotent: true}, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: get refund %s: %w", id, notFoundAs(err, "PayPal refund"))
	}
	if out.ID != id {
		return nil, fmt.Errorf("paypal: get refund %s: %w", id, upstream("PayPal returned another refund.", nil))
	}
	r, err := out.refund()
	if err != nil {
		return nil, fmt.Errorf("paypal: get refund %s: %w", id, err)
	}
	return r, nil
}

// notFoundAs names what PayPal did not find (APIError says "order").
func notFoundAs(err error, what string) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return &panel.Error{Code: panel.ENOTFOUND, Message: what + " not found.", Err: err}
	}
	return err
}

// RefundCapture refunds amountMinor of captureID (0 refunds it in full).
// It is meant for tests and admin tools.
func (c *Client) RefundCapture(ctx context.Context, captureID string, amountMinor int64, currency, requestID string) (*Refund, error) {
	if err := checkID("capture", captureID); err != nil {
		return nil, err
	}
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	var body struct {
		Amount *wireAmount `json:"amount,omitempty"`
	}
	if amountMinor > 0 {
		body.Amount = &wireAmount{CurrencyCode: strings.ToUpper(currency), Value: FormatAmount(amountMinor, currency)}
	}
	var out wireRefund
	_, err := c.do(ctx, call{
		method: http.MethodPost, path: "/v2/payments/captures/" + url.PathEscape(captureID) + "/refund",
		header:     http.Header{"Paypal-Request-Id": {requestID}, "Prefer": {"return=representation"}},
		idempotent: true,
	}, body, &out)
	if err != nil {
		return nil, fmt.Errorf("paypal: refund capture %s: %w", captureID, err)
	}
	r, err := out.refund()
	if err != nil {
		return nil, fmt.Errorf("paypal: refund capture %s: %w", captureID, err)
	}
	return r, nil
}

func checkRequestID(id string) error {
	if id == "" || len(id) > maxRequestIDLen {
		return panel.Invalid(map[string]string{"requestId": "must be 1 to 108 characters"})
	}
	return nil
}

// checkID refuses ids that could change the request path.
func checkID(what, id string) error {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, "/?#%. ") {
		return panel.Invalid(map[string]string{what + "Id": "is not a PayPal id"})
	}
	return nil
}

// Wire shapes (snake_case, as PayPal speaks).

type wireAmount struct {
	CurrencyCode string `json:"currency_code"`
	Value        string `json:"value"`
}

func (a *wireAmount) minor() (int64, string, error) {
	if a == nil {
		return 0, "", nil
	}
	n, err := ParseAmount(a.Value, a.CurrencyCode)
	return n, a.CurrencyCode, err
}

type wireLink struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method,omitempty"`
}

type wireCreateOrder struct {
	Intent        string             `json:"intent"`
	PurchaseUnits []wireUnit         `json:"purchase_units"`
	PaymentSource *wirePaymentSource `json:"payment_source,omitempty"`
}

type wirePaymentSource struct {
	PayPal *wirePayPalSource `json:"paypal,omitempty"`
}

type wirePayPalSource struct {
	ExperienceContext *wireExperience       `json:"experience_context,omitempty"`
	VaultID           string                `json:"vault_id,omitempty"`
	StoredCredential  *wireStoredCredential `json:"stored_credential,omitempty"`
}

// wireStoredCredential marks a merchant-initiated payment with a saved
// PayPal wallet.
type wireStoredCredential struct {
	PaymentInitiator string `json:"payment_initiator"`
	Usage            string `json:"usage,omitempty"`
	UsagePattern     string `json:"usage_pattern,omitempty"`
}

type wireExperience struct {
	ReturnURL          string `json:"return_url,omitempty"`
	CancelURL          string `json:"cancel_url,omitempty"`
	UserAction         string `json:"user_action,omitempty"`
	ShippingPreference string `json:"shipping_preference,omitempty"`
}

type wireUnit struct {
	ReferenceID string       `json:"reference_id,omitempty"`
	Amount      *wireAmount  `json:"amount,omitempty"`
	CustomID    string       `json:"custom_id,omitempty"`
	InvoiceID   string       `json:"invoice_id,omitempty"`
	Payments    *wirePayment `json:"payments,omitempty"`
}

type wirePayment struct {
	Captures []wireCapture `json:"captures,omitempty"`
}

type wireCapture struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	StatusDetails *struct {
		Reason string `json:"reason"`
	} `json:"status_details,omitempty"`
	Amount            *wireAmount `json:"amount"`
	CustomID          string      `json:"custom_id"`
	InvoiceID         string      `json:"invoice_id"`
	SupplementaryData *struct {
		RelatedIDs struct {
			OrderID string `json:"order_id"`
		} `json:"related_ids"`
	} `json:"supplementary_data,omitempty"`
	Links []wireLink `json:"links"`
}

func (w wireCapture) capture() (Capture, error) {
	c := Capture{ID: w.ID, Status: w.Status, CustomID: w.CustomID, InvoiceID: w.InvoiceID}
	if w.StatusDetails != nil {
		c.StatusReason = w.StatusDetails.Reason
	}
	if w.SupplementaryData != nil {
		c.OrderID = w.SupplementaryData.RelatedIDs.OrderID
	}
	if c.OrderID == "" {
		// PENDING captures may come without supplementary_data; the
		// "up" link names the order.
		c.OrderID = upID(w.Links, "/v2/checkout/orders/")
	}
	var err error
	if c.AmountMinor, c.Currency, err = w.Amount.minor(); err != nil {
		return c, upstream("PayPal returned a bad amount.", err)
	}
	return c, nil
}

type wireOrder struct {
	ID            string     `json:"id"`
	Status        string     `json:"status"`
	PurchaseUnits []wireUnit `json:"purchase_units"`
	Links         []wireLink `json:"links"`
}

func (w wireOrder) order() (*Order, error) {
	if w.ID == "" {
		return nil, upstream("PayPal returned an order without id.", nil)
	}
	o := &Order{ID: w.ID, Status: w.Status}
	for _, l := range w.Links {
		// "payer-action" replaces "approve" when payment_source is sent.
		if l.Rel == "payer-action" || (l.Rel == "approve" && o.ApproveURL == "") {
			o.ApproveURL = l.Href
		}
	}
	if len(w.PurchaseUnits) > 0 {
		u := w.PurchaseUnits[0]
		o.CustomID, o.InvoiceID = u.CustomID, u.InvoiceID
		var err error
		if o.AmountMinor, o.Currency, err = u.Amount.minor(); err != nil {
			return nil, upstream("PayPal returned a bad amount.", err)
		}
	}
	for _, u := range w.PurchaseUnits {
		if u.Payments == nil {
			continue
		}
		for _, wc := range u.Payments.Captures {
			c, err := wc.capture()
			if err != nil {
				return nil, err
			}
			if c.OrderID == "" {
				c.OrderID = w.ID
			}
			if c.CustomID == "" {
				c.CustomID = u.CustomID
			}
			o.Captures = append(o.Captures, c)
		}
	}
	return o, nil
}

type wireRefund struct {
	ID        string      `json:"id"`
	Status    string      `json:"status"`
	Amount    *wireAmount `json:"amount"`
	CustomID  string      `json:"custom_id"`
	InvoiceID string      `json:"invoice_id"`
	Links     []wireLink  `json:"links"`
}

func (w wireRefund) refund() (*Refund, error) {
	r := &Refund{ID: w.ID, Status: w.Status, CustomID: w.CustomID, InvoiceID: w.InvoiceID}
	var err error
	if r.AmountMinor, r.Currency, err = w.Amount.minor(); err != nil {
		return nil, upstream("PayPal returned a bad amount.", err)
	}
	// https://api.paypal.com/v2/payments/captures/{id}
	r.CaptureID = upID(w.Links, "/v2/payments/captures/")
	return r, nil
}

// upID returns the id at the end of the "up" link when its path is prefix
// followed by one path element.
func upID(links []wireLink, prefix string) string {
	for _, l := range links {
		if l.Rel != "up" {
			continue
		}
		if u, err := url.Parse(l.Href); err == nil {
			if rest, ok := strings.CutPrefix(u.Path, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
				return rest
			}
		}
	}
	return ""
}
