package billing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestAdjustReasonText: an adjustment's reason is human text shown on
// statements, so it goes through panel.TextProblem (issue 12, item 13). The
// check comes before any storage, so a zero Service is enough.
func TestAdjustReasonText(t *testing.T) {
	var s billing.Service
	for _, reason := range []string{"refund \u202Eevil", "goodwill\x00", "credit\u200B", "bad \xff utf8"} {
		_, _, err := s.Adjust(context.Background(), "admin", "u_1", 100, reason, "k")
		var pe *panel.Error
		if !errors.As(err, &pe) || pe.Code != panel.EINVALID || pe.Fields["reason"] == "" {
			t.Errorf("reason %q: got %v, want an invalid reason", reason, err)
		}
	}
}
