package servers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// rawRecorder keeps the webhook body the store is given.
type rawRecorder struct {
	panel.ServerEventStore
	mu  sync.Mutex
	raw []byte
}

func (r *rawRecorder) RecordServerEvent(ctx context.Context, ev panel.ServerEvent, raw []byte) (bool, bool, error) {
	r.mu.Lock()
	r.raw = append([]byte(nil), raw...)
	r.mu.Unlock()
	return r.ServerEventStore.RecordServerEvent(ctx, ev, raw)
}

// TestWebhookStoresNoSecrets checks that the stored copy of a webhook body
// has no root password, VNC password or websocket token, and keeps the rest.
func TestWebhookStoresNoSecrets(t *testing.T) {
	e := newEnv(t, envOpts{})
	rec := &rawRecorder{ServerEventStore: e.deps.Events}
	d := e.deps
	d.Events = rec
	h := servers.WebhookHandlers(d)["POST /api/webhooks/virtfusion"]

	body := webhookBody("server.build", "s1", e.aliceSrv, "web-1", "u_alice")
	srv := body["data"].(map[string]any)["server"].(map[string]any)
	srv["settings"] = map[string]any{"decryptedPassword": "root-pw-123", "encryptedPassword": "eyJpdiI6"}
	srv["vnc"] = map[string]any{"port": 5901, "password": "vnc-pw-456", "wss": map[string]any{"token": "wss-tok-789", "url": "/vnc/?token=wss-tok-789"}}
	srv["interfaces"] = []any{map[string]any{"name": "eth0", "secretKey": "iface-secret"}}
	b, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", "/api/webhooks/virtfusion", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+hookToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	stored := string(rec.raw)
	for _, secret := range []string{"root-pw-123", "eyJpdiI6", "vnc-pw-456", "wss-tok-789", "iface-secret"} {
		if strings.Contains(stored, secret) {
			t.Errorf("stored body contains %q: %s", secret, stored)
		}
	}
	var back map[string]any
	if err := json.Unmarshal(rec.raw, &back); err != nil {
		t.Fatalf("stored body is not JSON: %v: %s", err, stored)
	}
	for _, keep := range []string{`"hookEventId":"s1"`, `"port":5901`, `"name":"web-1"`, `"decryptedPassword":"[redacted]"`} {
		if !strings.Contains(stored, keep) {
			t.Errorf("stored body lacks %s: %s", keep, stored)
		}
	}
}
