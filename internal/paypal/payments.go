package paypal

import (
	"context"
	"net/http"
	"strings"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Payments adapts the PayPal client to panel.Payments.
type Payments struct{ C *Client }

var _ panel.Payments = Payments{}

// eventKinds translates the PayPal event names billing acts on.
var eventKinds = map[string]panel.PaymentEventKind{
	EventCaptureCompleted: panel.PaymentCaptureChanged,
	EventCapturePending:   panel.PaymentCaptureChanged,
	EventCaptureDenied:    panel.PaymentCaptureChanged,
	EventCaptureDeclined:  panel.PaymentCaptureChanged,
	EventCaptureRefunded:  panel.PaymentRefunded,
	EventCaptureReversed:  panel.PaymentReversed,
	EventOrderApproved:    panel.PaymentOrderApproved,
}

// EventKind is what a PayPal event name means to billing.
func EventKind(eventType string) panel.PaymentEventKind {
	if k, ok := eventKinds[eventType]; ok {
		return k
	}
	return panel.PaymentEventOther
}

func orderOf(o *Order) *panel.PaymentOrder {
	out := &panel.PaymentOrder{ID: o.ID, Status: o.Status, ApproveURL: o.ApproveURL, AmountMinor: o.AmountMinor,
		Currency: o.Currency, CustomID: o.CustomID}
	for _, c := range o.Captures {
		out.Captures = append(out.Captures, captureOf(c))
	}
	return out
}

func captureOf(c Capture) panel.PaymentCapture {
	return panel.PaymentCapture{ID: c.ID, Status: c.Status, AmountMinor: c.AmountMinor, Currency: c.Currency,
		CustomID: c.CustomID, OrderID: c.OrderID}
}

func refundOf(r *Refund) *panel.PaymentRefund {
	return &panel.PaymentRefund{ID: r.ID, Status: r.Status, CaptureID: r.CaptureID, AmountMinor: r.AmountMinor,
		Currency: r.Currency, CustomID: r.CustomID}
}

// CreateOrder implements panel.Payments.
func (p Payments) CreateOrder(ctx context.Context, amountMinor int64, currency, customID, returnURL, cancelURL, requestID string) (*panel.PaymentOrder, error) {
	o, err := p.C.CreateOrder(ctx, CreateOrderInput{AmountMinor: amountMinor, Currency: currency, CustomID: customID,
		ReturnURL: returnURL, CancelURL: cancelURL}, requestID)
	if err != nil {
		return nil, err
	}
	return orderOf(o), nil
}

// CaptureOrder implements panel.Payments; an order captured before is read
// back with its captures.
func (p Payments) CaptureOrder(ctx context.Context, orderID, requestID string) (*panel.PaymentOrder, error) {
	res, err := p.C.CaptureOrder(ctx, orderID, requestID)
	if IsAlreadyCaptured(err) {
		o, err := p.C.GetOrder(ctx, orderID)
		if err != nil {
			return nil, err
		}
		return orderOf(o), nil
	}
	if err != nil {
		return nil, err
	}
	out := &panel.PaymentOrder{ID: res.OrderID, Status: res.Status}
	for _, c := range res.Captures {
		out.Captures = append(out.Captures, captureOf(c))
	}
	return out, nil
}

// GetCapture implements panel.Payments.
func (p Payments) GetCapture(ctx context.Context, id string) (*panel.PaymentCapture, error) {
	c, err := p.C.GetCapture(ctx, id)
	if err != nil {
		return nil, err
	}
	pc := captureOf(*c)
	return &pc, nil
}

// GetRefund implements panel.Payments.
func (p Payments) GetRefund(ctx context.Context, id string) (*panel.PaymentRefund, error) {
	r, err := p.C.GetRefund(ctx, id)
	if err != nil {
		return nil, err
	}
	return refundOf(r), nil
}

// VerifyWebhook implements panel.Payments. A resource that cannot be read
// leaves the event's resource fields nil (billing logs and acknowledges).
func (p Payments) VerifyWebhook(ctx context.Context, h http.Header, raw []byte) (*panel.PaymentEvent, error) {
	ev, err := p.C.VerifyWebhook(ctx, h, raw)
	if err != nil {
		return nil, err
	}
	return paymentEvent(ev), nil
}

// ParseWebhook reads an event verified before (stored by billing) without
// verifying it again: the operator console's re-processing. Billing moves
// money only on what PayPal confirms when asked, never on the body.
func (p Payments) ParseWebhook(raw []byte) (*panel.PaymentEvent, error) {
	ev, err := ParseWebhookEvent(raw)
	if err != nil {
		return nil, err
	}
	return paymentEvent(ev), nil
}

func paymentEvent(ev *WebhookEvent) *panel.PaymentEvent {
	out := &panel.PaymentEvent{ID: ev.ID, Type: ev.EventType, Kind: EventKind(ev.EventType)}
	switch {
	case out.Kind == panel.PaymentRefunded || out.Kind == panel.PaymentReversed:
		// Both carry a refund resource (resource_type "refund").
		if r, err := ev.Refund(); err == nil {
			out.Refund = refundOf(r)
		}
	case strings.HasPrefix(ev.EventType, "PAYMENT.CAPTURE."):
		if c, err := ev.Capture(); err == nil {
			pc := captureOf(*c)
			out.Capture = &pc
		}
	case strings.HasPrefix(ev.EventType, "CHECKOUT.ORDER."):
		if o, err := ev.Order(); err == nil {
			out.Order = orderOf(o)
		}
	}
	return out
}

// RefundCapture implements panel.Payments.
func (p Payments) RefundCapture(ctx context.Context, captureID string, amountMinor int64, currency, requestID string) (*panel.PaymentRefund, error) {
	r, err := p.C.RefundCapture(ctx, captureID, amountMinor, currency, requestID)
	if err != nil {
		return nil, err
	}
	return refundOf(r), nil
}
