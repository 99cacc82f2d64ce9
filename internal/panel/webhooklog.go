package panel

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Webhook sources and delivery states (the operator console's webhook log).
const (
	WebhookPayPal     = "paypal"
	WebhookVirtFusion = "virtfusion"

	WebhookProcessed = "processed" // applied (or nothing was left to do)
	WebhookFailed    = "failed"    // not applied; the sender (or a job) retries, or an admin re-processes
	WebhookIgnored   = "ignored"   // an event the panel does not act on
)

// WebhookRetention is how long the webhook log keeps a delivery.
const WebhookRetention = 30 * 24 * time.Hour

// WebhookDelivery is one webhook event as the operator console sees it.
type WebhookDelivery struct {
	Source        string    `json:"source" enum:"paypal,virtfusion"`
	ID            string    `json:"id"` // the sender's event (delivery) id
	EventType     string    `json:"eventType"`
	State         string    `json:"state" enum:"processed,failed,ignored"`
	ReceivedAt    time.Time `json:"receivedAt"`
	LastAttemptAt time.Time `json:"lastAttemptAt"`
	Attempts      int       `json:"attempts"`
	Error         string    `json:"error,omitempty"`
	// Payload is the body as received, with secrets redacted (RedactJSON).
	Payload string `json:"payload"`
	// ReprocessedBy is the administrator who last re-processed it.
	ReprocessedBy string `json:"reprocessedBy,omitempty"`
}

// WebhookFilter selects deliveries; empty fields match all.
type WebhookFilter struct {
	Source, State, EventType, Cursor string
	Limit                            int
}

// WebhookLog keeps the webhook deliveries for the operator console.
type WebhookLog interface {
	// RecordWebhook records an attempt at d: the first keeps ReceivedAt
	// and Payload, each adds one to Attempts and sets the state.
	RecordWebhook(ctx context.Context, d WebhookDelivery) error
	// Webhooks lists deliveries, newest first; ENOTFOUND never.
	Webhooks(ctx context.Context, f WebhookFilter) ([]WebhookDelivery, string, error)
	// Webhook returns one delivery; ENOTFOUND when unknown.
	Webhook(ctx context.Context, source, id string) (*WebhookDelivery, error)
}

// RedactJSON returns a JSON body with secrets blanked out at any depth:
// the value of every field whose name mentions a password, token or secret,
// and any string carrying a "token=" parameter (VNC's websocket URL). A
// webhook's server object can carry the root password (decryptedPassword
// after a build), the VNC password and websocket token; a stored copy,
// kept for debugging, must not. A body that is not JSON gives nil.
func RedactJSON(raw []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep numbers exactly as sent
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(redact(v, false)); err != nil {
		return nil
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

const redacted = "[redacted]"

// redact returns v with its secrets replaced; secret says v sits under a
// field whose name marks it as one.
func redact(v any, secret bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			n := strings.ToLower(k)
			t[k] = redact(c, secret || strings.Contains(n, "password") || strings.Contains(n, "token") || strings.Contains(n, "secret"))
		}
	case []any:
		for i, c := range t {
			t[i] = redact(c, secret)
		}
	case string:
		if (secret && t != "") || strings.Contains(strings.ToLower(t), "token=") {
			return redacted
		}
	case json.Number, bool:
		if secret {
			return redacted
		}
	}
	return v
}
