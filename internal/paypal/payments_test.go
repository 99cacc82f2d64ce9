package paypal

import (
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestEventKind(t *testing.T) {
	tests := map[string]panel.PaymentEventKind{
		EventCaptureCompleted:          panel.PaymentCaptureChanged,
		EventCapturePending:            panel.PaymentCaptureChanged,
		EventCaptureDenied:             panel.PaymentCaptureChanged,
		EventCaptureDeclined:           panel.PaymentCaptureChanged,
		EventCaptureRefunded:           panel.PaymentRefunded,
		EventCaptureReversed:           panel.PaymentReversed,
		EventOrderApproved:             panel.PaymentOrderApproved,
		EventOrderCompleted:            panel.PaymentEventOther,
		"PAYMENT.CAPTURE.SOMETHING":    panel.PaymentEventOther,
		"BILLING.SUBSCRIPTION.CREATED": panel.PaymentEventOther,
		"":                             panel.PaymentEventOther,
	}
	for in, want := range tests {
		if got := EventKind(in); got != want {
			t.Errorf("EventKind(%q): got %s, want %s", in, got, want)
		}
	}
}
