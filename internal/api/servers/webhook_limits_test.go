package servers_test

import (
	"strings"
	"testing"
)

// TestWebhookOverlongDeliveryID: a 100 kB hookEventId is refused with 400
// before it reaches DynamoDB as a key, not answered 503 (issue 12, item 12).
func TestWebhookOverlongDeliveryID(t *testing.T) {
	e := newEnv(t, envOpts{})
	enc := "aG9vay1zZWNyZXQ=" // base64("hook-secret"), as TestWebhook
	huge := strings.Repeat("d", 100_000)
	for name, headers := range map[string][]string{
		"Body":   {"Authorization", "Bearer " + enc},
		"Header": hookHeaders(huge, enc),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.do("POST", "/api/webhooks/virtfusion", webhookBody("server.suspend", huge, e.aliceSrv, "web-1", "u_alice"), headers...)
			if r.status != 400 {
				t.Errorf("got %d %v, want 400", r.status, r.body)
			}
		})
	}
}
