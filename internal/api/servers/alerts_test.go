package servers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestAlertRoutes: create, list, change and delete alerts on an owned
// server, with validation of every field and of the webhook URL; foreign
// servers and alerts are 404.
func TestAlertRoutes(t *testing.T) {
	e := newEnv(t, envOpts{})
	hook := "https://discord.com/api/webhooks/123/secret-token"
	create := []struct {
		name   string
		server int64
		body   map[string]any
		status int
		field  string
	}{
		{"OKCPU", e.aliceSrv, map[string]any{"kind": "cpu", "cpuPercent": 90, "minutes": 10, "email": true, "webhookUrl": hook}, 201, ""},
		{"OKTraffic", e.aliceSrv, map[string]any{"kind": "traffic", "trafficPercent": 80, "email": true}, 201, ""},
		{"OKStopped", e.aliceSrv, map[string]any{"kind": "stopped", "email": true, "cooldownMinutes": 30}, 201, ""},
		{"ErrKind", e.aliceSrv, map[string]any{"kind": "disk", "email": true}, 400, "kind"},
		{"ErrCPUPercent", e.aliceSrv, map[string]any{"kind": "cpu", "cpuPercent": 120, "minutes": 10, "email": true}, 400, "cpuPercent"},
		{"ErrMinutes", e.aliceSrv, map[string]any{"kind": "cpu", "cpuPercent": 90, "minutes": 1, "email": true}, 400, "minutes"},
		{"ErrTrafficPercent", e.aliceSrv, map[string]any{"kind": "traffic", "trafficPercent": 50, "email": true}, 400, "trafficPercent"},
		{"ErrCooldown", e.aliceSrv, map[string]any{"kind": "stopped", "email": true, "cooldownMinutes": 1}, 400, "cooldownMinutes"},
		{"ErrNoChannel", e.aliceSrv, map[string]any{"kind": "stopped"}, 400, "email"},
		{"ErrHookHTTP", e.aliceSrv, map[string]any{"kind": "stopped", "webhookUrl": "http://discord.com/api/webhooks/1/x"}, 400, "webhookUrl"},
		{"ErrHookLoopback", e.aliceSrv, map[string]any{"kind": "stopped", "webhookUrl": "https://127.0.0.1/hook"}, 400, "webhookUrl"},
		{"ErrHookPrivate", e.aliceSrv, map[string]any{"kind": "stopped", "webhookUrl": "https://10.1.2.3/hook"}, 400, "webhookUrl"},
		{"ErrHookMetadata", e.aliceSrv, map[string]any{"kind": "stopped", "webhookUrl": "https://169.254.169.254/latest"}, 400, "webhookUrl"},
		{"ErrHookLocalhost", e.aliceSrv, map[string]any{"kind": "stopped", "webhookUrl": "https://localhost:8080/x"}, 400, "webhookUrl"},
		{"ErrHookCredentials", e.aliceSrv, map[string]any{"kind": "stopped", "webhookUrl": "https://u:p@hooks.example.com/x"}, 400, "webhookUrl"},
		{"ErrNotOwner", e.bobSrv, map[string]any{"kind": "stopped", "email": true}, 404, ""},
		{"ErrMissing", 999999, map[string]any{"kind": "stopped", "email": true}, 404, ""},
	}
	var cpuID string
	for _, tt := range create {
		t.Run("Create"+tt.name, func(t *testing.T) {
			r := e.do("POST", e.srvPath(tt.server, "/alerts"), tt.body)
			if r.status != tt.status {
				t.Fatalf("got %d %v, want %d", r.status, r.body, tt.status)
			}
			if tt.field != "" {
				fields, _ := r.body["error"].(map[string]any)["fields"].(map[string]any)
				if _, ok := fields[tt.field]; !ok {
					t.Errorf("got fields %v, want %s", fields, tt.field)
				}
			}
			if tt.status == 201 && tt.body["kind"] == "cpu" {
				a := r.body["alert"].(map[string]any)
				cpuID = a["id"].(string)
				if a["webhookHost"] != "discord.com" || strings.Contains(r.raw(), "secret-token") {
					t.Errorf("the webhook URL leaked or its host is missing: %v", a)
				}
			}
		})
	}
	t.Run("ListOwn", func(t *testing.T) {
		r := e.do("GET", e.srvPath(e.aliceSrv, "/alerts"), nil)
		if items, _ := r.body["items"].([]any); r.status != 200 || len(items) != 3 || strings.Contains(r.raw(), "secret-token") {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if r := e.do("GET", e.srvPath(e.bobSrv, "/alerts"), nil); r.status != 404 {
			t.Errorf("foreign list: got %d", r.status)
		}
	})
	t.Run("Update", func(t *testing.T) {
		path := e.srvPath(e.aliceSrv, "/alerts/"+cpuID)
		r := e.do("PUT", path, map[string]any{"kind": "cpu", "cpuPercent": 70, "minutes": 15, "email": true, "enabled": false})
		a, _ := r.body["alert"].(map[string]any)
		// No webhookUrl in the body keeps the one set.
		if r.status != 200 || a["cpuPercent"] != 70.0 || a["enabled"] != false || a["webhookHost"] != "discord.com" {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if r := e.do("PUT", path, map[string]any{"kind": "stopped", "email": true}); r.status != 400 {
			t.Errorf("kind change: got %d", r.status)
		}
		if r := e.do("PUT", e.srvPath(e.aliceSrv, "/alerts/nope"), map[string]any{"kind": "cpu", "cpuPercent": 70, "minutes": 15, "email": true}); r.status != 404 {
			t.Errorf("missing alert: got %d", r.status)
		}
		// Alice's alert through Bob's server path is not found.
		if r := e.do("DELETE", e.srvPath(e.bobSrv, "/alerts/"+cpuID), nil); r.status != 404 {
			t.Errorf("foreign path: got %d", r.status)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if r := e.do("DELETE", e.srvPath(e.aliceSrv, "/alerts/"+cpuID), nil); r.status != 204 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if r := e.do("DELETE", e.srvPath(e.aliceSrv, "/alerts/"+cpuID), nil); r.status != 404 {
			t.Errorf("second delete: got %d", r.status)
		}
	})
}

// TestStoppedAlertFromWebhook: a shutdown VirtFusion reports that Alice
// did not ask for mails her once; after she powers the server off through
// the panel, the shutdown that follows is quiet.
func TestStoppedAlertFromWebhook(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.recordOwners()
	e.linkUser("u_alice", e.aliceVF)
	ctx := context.Background()
	if r := e.do("POST", e.srvPath(e.aliceSrv, "/alerts"), map[string]any{"kind": "stopped", "email": true}); r.status != 201 {
		t.Fatalf("got %d %v", r.status, r.body)
	}
	enc := "aG9vay1zZWNyZXQ="
	deliver := func(id string) {
		t.Helper()
		r := e.do("POST", "/api/webhooks/virtfusion", webhookBodyVF("server.shutdown", id, e.aliceSrv, "web-1", "u_alice", e.aliceVF, e.aliceVF),
			"Authorization", "Bearer "+enc)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
	}
	alertsQueued := func() int {
		t.Helper()
		ids, err := e.outbox.Due(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, id := range ids {
			if strings.HasPrefix(id, string(panel.NotifyServerAlert)+":") {
				n++
			}
		}
		return n
	}
	deliver("stop-1")
	deliver("stop-1") // a repeated delivery does not alert again
	if n := alertsQueued(); n != 1 {
		t.Fatalf("unexpected stop: got %d alert mails, want 1", n)
	}
	if r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]any{"action": "poweroff"}); r.status != 202 {
		t.Fatalf("poweroff: got %d %v", r.status, r.body)
	}
	deliver("stop-2")
	if n := alertsQueued(); n != 1 {
		t.Errorf("stop asked for through the panel: got %d alert mails, want still 1", n)
	}
}

// raw is the body as JSON text, for leak checks.
func (r resp) raw() string {
	b, _ := json.Marshal(r.body)
	return string(b)
}
