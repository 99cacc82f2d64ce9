package adminops_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vfpanel/vfpanel/internal/api/adminops"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// countingSink is billing's event sink: it fails while fail is set and
// counts the events it accepts.
type countingSink struct {
	fail     atomic.Bool
	accepted atomic.Int32
}

func (s *countingSink) ServerEvent(ctx context.Context, ev panel.ServerEvent) error {
	if s.fail.Load() {
		return errors.New("billing unavailable")
	}
	s.accepted.Add(1)
	return nil
}

// TestWebhookLog: deliveries are logged with their state and a redacted
// payload, listed with filters and pages, and a failed VirtFusion event is
// re-processed once (audited); customers get 403.
func TestWebhookLog(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	hooks, events := dynamo.NewWebhookLog(e.store), dynamo.NewServerEvents(e.store)
	sink := &countingSink{}
	e.deps.Hooks, e.deps.Events, e.deps.Sink = hooks, events, sink
	hs := e.deps

	// A failed delivery (billing was down) and an ignored one.
	sink.fail.Store(true)
	raw := []byte(`{"event":"server.delete","hookEventId":"d1","data":{"server":{"id":7,"password":"hunter2"}}}`)
	ev := panel.ServerEvent{ID: "d1", Event: "server.delete", Kind: panel.ServerEventDeleted, ServerID: 7, ReceivedAt: e.clock.Now()}
	if _, _, err := events.RecordServerEvent(ctx, ev, panel.RedactJSON(raw)); err != nil {
		t.Fatal(err)
	}
	servers.LogDelivery(ctx, hooks, ev, raw, sink.ServerEvent(ctx, ev), "")
	e.clock.add(1e9)
	other := panel.ServerEvent{ID: "d2", Event: "user.create", Kind: panel.ServerEventOther, ReceivedAt: e.clock.Now()}
	servers.LogDelivery(ctx, hooks, other, []byte(`{"event":"user.create"}`), nil, "")
	for i := range 3 { // PayPal deliveries, for paging
		e.clock.add(1e9)
		if err := hooks.RecordWebhook(ctx, panel.WebhookDelivery{Source: panel.WebhookPayPal, ID: "WH-" + string(rune('a'+i)),
			EventType: "PAYMENT.CAPTURE.COMPLETED", State: panel.WebhookProcessed, ReceivedAt: e.clock.Now(), Payload: "{}"}); err != nil {
			t.Fatal(err)
		}
	}

	h := adminops.Handlers(hs)
	tests := []struct {
		name, path, want, not string
	}{
		{"Failed", "/api/admin/webhooks?state=failed", `"id":"d1"`, `"id":"d2"`},
		{"Redacted", "/api/admin/webhooks?source=virtfusion&state=failed", `\"password\":\"[redacted]\"`, "hunter2"},
		{"Ignored", "/api/admin/webhooks?state=ignored", `"id":"d2"`, `"id":"d1"`},
		{"Source", "/api/admin/webhooks?source=paypal", `"id":"WH-c"`, `"id":"d1"`},
	}
	for _, tt := range tests {
		t.Run("OK"+tt.name, func(t *testing.T) {
			status, body := call(t, h, panel.RoleAdmin, "GET", tt.path, "")
			if status != 200 || !strings.Contains(body, tt.want) || strings.Contains(body, tt.not) {
				t.Fatalf("got %d %s, want 200 with %s and without %s", status, body, tt.want, tt.not)
			}
		})
	}
	t.Run("ErrForbidden", func(t *testing.T) {
		if status, _ := call(t, h, panel.RoleCustomer, "GET", "/api/admin/webhooks", ""); status != 403 {
			t.Fatalf("got %d, want 403", status)
		}
		if status, _ := call(t, h, panel.RoleCustomer, "POST", "/api/admin/webhooks/virtfusion/d1/reprocess", ""); status != 403 {
			t.Fatalf("got %d, want 403", status)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		if status, _ := call(t, h, panel.RoleAdmin, "GET", "/api/admin/webhooks?state=odd", ""); status != 400 {
			t.Fatalf("got %d, want 400", status)
		}
	})
	t.Run("Paging", func(t *testing.T) {
		got, next, err := hooks.Webhooks(ctx, panel.WebhookFilter{Limit: 2})
		if err != nil || len(got) != 2 || next == "" || got[0].ID != "WH-c" {
			t.Fatalf("page 1: got %v %q %v", got, next, err)
		}
		rest, next, err := hooks.Webhooks(ctx, panel.WebhookFilter{Limit: 10, Cursor: next})
		if err != nil || len(rest) != 3 || next != "" || rest[2].ID != "d1" {
			t.Fatalf("page 2: got %v %q %v", rest, next, err)
		}
	})

	// Re-processing while billing is still down fails and says so; once it
	// is up, the event reaches billing once however often it is re-processed.
	if status, body := call(t, h, panel.RoleAdmin, "POST", "/api/admin/webhooks/virtfusion/d1/reprocess", ""); status != 503 {
		t.Fatalf("re-process while down: got %d %s, want 503", status, body)
	}
	sink.fail.Store(false)
	status, body := call(t, h, panel.RoleAdmin, "POST", "/api/admin/webhooks/virtfusion/d1/reprocess", "")
	if status != 200 || !strings.Contains(body, `"state":"processed"`) || !strings.Contains(body, `"reprocessedBy":"u_admin"`) {
		t.Fatalf("re-process: got %d %s", status, body)
	}
	if pending, err := events.PendingServerEvents(ctx, 10); err != nil || len(pending) != 0 {
		t.Fatalf("pending after re-process: got %v, %v; want none", pending, err)
	}
	if n := sink.accepted.Load(); n != 1 {
		t.Fatalf("billing got the event %d times, want 1", n)
	}
	if status, _ := call(t, h, panel.RoleAdmin, "POST", "/api/admin/webhooks/virtfusion/none/reprocess", ""); status != 404 {
		t.Fatalf("unknown delivery: got %d, want 404", status)
	}
	entries, _, err := e.audit.Activity(ctx, "u_admin", "", 20)
	if err != nil {
		t.Fatal(err)
	}
	var ok, failed int
	for _, a := range entries {
		if a.Action == "webhook.reprocess" && a.Target == "webhook:virtfusion:d1" {
			if a.Outcome == panel.OutcomeOK && strings.Contains(a.Before, `"failed"`) && strings.Contains(a.After, `"processed"`) {
				ok++
			} else if a.Outcome == panel.OutcomeError {
				failed++
			}
		}
	}
	if ok != 1 || failed != 1 {
		t.Errorf("audit: got %d ok and %d failed re-process entries, want 1 and 1", ok, failed)
	}
}
