package billing

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// logWebhook records a PayPal delivery's outcome in the operator console's
// webhook log (payload redacted). A log that cannot be written is logged:
// the event's own record is what billing relies on.
func (s *Service) logWebhook(ctx context.Context, ev *panel.PaymentEvent, raw []byte, perr error, by string) {
	if s.Webhooks == nil {
		return
	}
	d := panel.WebhookDelivery{Source: panel.WebhookPayPal, ID: ev.ID, EventType: ev.Type, State: panel.WebhookProcessed,
		Payload: string(panel.RedactJSON(raw)), ReprocessedBy: by}
	switch {
	case perr != nil:
		d.State, d.Error = panel.WebhookFailed, clip(perr.Error(), 300)
	case !actedOn(ev.Kind):
		d.State = panel.WebhookIgnored
	}
	if err := s.Webhooks.RecordWebhook(context.WithoutCancel(ctx), d); err != nil {
		s.log(ctx).Warn("billing: webhook log", "event", ev.ID, "err", err)
	}
}

// actedOn reports whether processEvent acts on events of kind k.
func actedOn(k panel.PaymentEventKind) bool {
	switch k {
	case panel.PaymentCaptureChanged, panel.PaymentRefunded, panel.PaymentReversed, panel.PaymentOrderApproved:
		return true
	}
	return false
}

// webhookParser reads a stored PayPal event again (paypal.Payments).
type webhookParser interface {
	ParseWebhook(raw []byte) (*panel.PaymentEvent, error)
}

// rawWebhookEvents returns a stored PayPal event's body (dynamo.Ledger).
type rawWebhookEvents interface {
	WebhookEventRaw(ctx context.Context, id string) ([]byte, error)
}

// ReprocessPayPalEvent processes a stored PayPal event again for admin:
// the event as stored when it was delivered and verified, applied through
// the same path as the webhook, so what PayPal confirms moves money once
// (the ledger's idempotency keys are PayPal's capture and refund ids). An
// event a delivery is processing right now is refused (conflict).
func (s *Service) ReprocessPayPalEvent(ctx context.Context, id, admin string) (string, error) {
	parse, ok := s.Payments.(webhookParser)
	raws, ok2 := s.Store.(rawWebhookEvents)
	if !ok || !ok2 {
		return "", panel.Errorf(panel.EUNAVAILABLE, "PayPal events cannot be re-processed here.")
	}
	raw, err := raws.WebhookEventRaw(ctx, id)
	if err != nil {
		return "", err
	}
	ev, err := parse.ParseWebhook(raw)
	if err != nil {
		return "", err
	}
	rec, claimed, err := s.Store.RecordWebhookEvent(ctx, id, ev.Type, raw, s.now(), WebhookLease)
	if err != nil {
		return "", err
	}
	if !claimed && !rec.Processed {
		return "", panel.Errorf(panel.ECONFLICT, "A delivery of this event is being processed; try again in a minute.")
	}
	perr := s.processEvent(ctx, ev)
	s.logWebhook(ctx, ev, raw, perr, admin)
	if claimed {
		if err := s.Store.FinishWebhookEvent(ctx, id, s.now(), perr); err != nil {
			return "", err
		}
	}
	if perr != nil {
		return panel.WebhookFailed, perr
	}
	if !actedOn(ev.Kind) {
		return panel.WebhookIgnored, nil
	}
	return panel.WebhookProcessed, nil
}
