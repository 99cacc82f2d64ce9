package servers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// adminDo calls the firewall preset routes as p.
func (e *env) adminDo(p *panel.Principal, method string, body any) resp {
	e.t.Helper()
	// The admin function's other routes live elsewhere: call the handler
	// itself with the principal the auth middleware would set.
	h := servers.FirewallAdminHandlers(e.firewall, e.audit)[method+" /api/admin/firewall-presets"]
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req := httptest.NewRequest(method, "/api/admin/firewall-presets", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(panel.WithPrincipal(req.Context(), p))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := resp{status: rec.Code, header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &out.body); err != nil {
		e.t.Fatalf("%s presets: not JSON: %s", method, rec.Body)
	}
	return out
}

var (
	fwAdmin    = &panel.Principal{UserID: "u_admin", Role: panel.RoleAdmin, Via: "bearer", EmailVerified: true}
	fwCustomer = &panel.Principal{UserID: "u_alice", Role: panel.RoleCustomer, Via: "bearer", EmailVerified: true}
)

func presets(ps ...map[string]any) []map[string]any { return ps }

// TestFirewallPresetsAdmin: only administrators read and save presets; the
// save is validated, versioned and audited with before and after.
func TestFirewallPresetsAdmin(t *testing.T) {
	e := newEnv(t, envOpts{})
	web := map[string]any{"id": "web", "name": "Web", "description": "HTTP and HTTPS", "rulesetIds": []int{1}}
	tests := []struct {
		name   string
		p      *panel.Principal
		body   map[string]any
		status int
		field  string
	}{
		{"ErrCustomer", fwCustomer, map[string]any{"presets": presets(web), "version": 0}, 403, ""},
		{"ErrID", fwAdmin, map[string]any{"presets": presets(map[string]any{"id": "Web!", "name": "W", "rulesetIds": []int{1}})}, 400, "presets.0.id"},
		{"ErrDuplicate", fwAdmin, map[string]any{"presets": presets(web, web)}, 400, "presets.1.id"},
		{"ErrName", fwAdmin, map[string]any{"presets": presets(map[string]any{"id": "w", "name": "", "rulesetIds": []int{1}})}, 400, "presets.0.name"},
		{"ErrNoRulesets", fwAdmin, map[string]any{"presets": presets(map[string]any{"id": "w", "name": "W", "rulesetIds": []int{}})}, 400, "presets.0.rulesetIds"},
		{"ErrRulesetID", fwAdmin, map[string]any{"presets": presets(map[string]any{"id": "w", "name": "W", "rulesetIds": []int{0}})}, 400, "presets.0.rulesetIds"},
		{"OK", fwAdmin, map[string]any{"presets": presets(web), "version": 0}, 200, ""},
		{"ErrStaleVersion", fwAdmin, map[string]any{"presets": presets(web), "version": 0}, 409, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.adminDo(tt.p, "PUT", tt.body)
			if r.status != tt.status {
				t.Fatalf("got %d %v, want %d", r.status, r.body, tt.status)
			}
			if tt.field != "" {
				fields, _ := r.body["error"].(map[string]any)["fields"].(map[string]any)
				if _, ok := fields[tt.field]; !ok {
					t.Errorf("fields %v, want %s", fields, tt.field)
				}
			}
		})
	}
	if r := e.adminDo(fwCustomer, "GET", nil); r.status != 403 {
		t.Errorf("customer GET: %d", r.status)
	}
	r := e.adminDo(fwAdmin, "GET", nil)
	if ps, _ := r.body["presets"].([]any); r.status != 200 || len(ps) != 1 || r.body["version"] != 1.0 {
		t.Fatalf("GET: %d %v", r.status, r.body)
	}
	items, _, err := e.audit.Activity(context.Background(), "u_admin", "", 10)
	if err != nil || len(items) != 1 || items[0].Action != "admin.firewall-presets" || items[0].Before != "" || !strings.Contains(items[0].After, `web="Web" [1]`) {
		t.Fatalf("audit: %+v, %v", items, err)
	}
}

// TestFirewallRoutes: a customer reads and changes the firewall of their
// server's interface through the operator's presets; the change's state
// is applied or failed (VirtFusion's refusal, an upstream failure) and
// VirtFusion ends with what was asked; foreign servers and unknown
// interfaces are 404 and touch nothing.
func TestFirewallRoutes(t *testing.T) {
	e := newEnv(t, envOpts{})
	ctx := context.Background()
	if err := e.firewall.PutFirewallPresets(ctx, panel.FirewallPresets{Version: 1, Presets: []panel.FirewallPreset{
		{ID: "web", Name: "Web", Description: "HTTP, HTTPS", RulesetIDs: []int64{1}},
		{ID: "ssh", Name: "SSH only", RulesetIDs: []int64{2}},
		{ID: "ftp", Name: "FTP", RulesetIDs: []int64{9}}, // disabled in VirtFusion
	}}); err != nil {
		t.Fatal(err)
	}
	path := e.srvPath(e.aliceSrv, "/firewall/primary")

	t.Run("GetFresh", func(t *testing.T) {
		r := e.do("GET", path, nil)
		if r.status != 200 || r.body["enabled"] != false || len(r.body["presets"].([]any)) != 3 || r.body["change"] != nil {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if strings.Contains(fmtBody(r), "rulesetIds") {
			t.Error("ruleset ids reached the customer")
		}
	})

	refused := []struct {
		name   string
		path   string
		body   map[string]any
		status int
		field  string
	}{
		{"ErrForeign", e.srvPath(e.bobSrv, "/firewall/primary"), map[string]any{"enabled": true, "presets": []string{"web"}}, 404, ""},
		{"ErrMissing", e.srvPath(999999, "/firewall/primary"), map[string]any{"enabled": true, "presets": []string{"web"}}, 404, ""},
		{"ErrInterface", e.srvPath(e.aliceSrv, "/firewall/eth0"), map[string]any{"enabled": true, "presets": []string{"web"}}, 404, ""},
		{"ErrUnknownPreset", path, map[string]any{"enabled": true, "presets": []string{"mail"}}, 400, "presets"},
		{"ErrEnableNothing", path, map[string]any{"enabled": true, "presets": []string{}}, 400, "presets"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.ResetCalls()
			r := e.do("PUT", tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("got %d %v, want %d", r.status, r.body, tt.status)
			}
			if tt.field != "" {
				if _, ok := r.body["error"].(map[string]any)["fields"].(map[string]any)[tt.field]; !ok {
					t.Errorf("got %v, want field %s", r.body, tt.field)
				}
			}
			if n := e.callsTo("/servers/" + strconv.FormatInt(e.bobSrv, 10) + "/firewall"); n != 0 {
				t.Errorf("%d firewall calls on Bob's server", n)
			}
			if n := e.callsTo("/servers/" + strconv.FormatInt(e.aliceSrv, 10) + "/firewall/primary/"); n != 0 {
				t.Errorf("%d firewall changes sent", n)
			}
		})
	}
	if r := e.do("GET", e.srvPath(e.bobSrv, "/firewall/primary"), nil); r.status != 404 {
		t.Errorf("foreign GET: %d", r.status)
	}

	t.Run("Apply", func(t *testing.T) {
		r := e.do("PUT", path, map[string]any{"enabled": true, "presets": []string{"web", "ssh", "web"}})
		c, _ := r.body["change"].(map[string]any)
		if r.status != 200 || r.body["enabled"] != true || c["status"] != "applied" || len(r.body["rules"].([]any)) != 3 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if ps := c["presets"].([]any); len(ps) != 2 {
			t.Errorf("presets recorded: %v", ps)
		}
		fw, err := e.vf.Firewall(ctx, e.aliceSrv, "primary")
		if err != nil || !fw.Enabled || len(fw.Rules) != 3 {
			t.Fatalf("VirtFusion: %+v %v", fw, err)
		}
		acts := e.activity()
		if acts[0]["action"] != "server.firewall" || acts[0]["outcome"] != "ok" {
			t.Errorf("activity: %v", acts[0])
		}
	})

	t.Run("RefusedRuleset", func(t *testing.T) {
		r := e.do("PUT", path, map[string]any{"enabled": true, "presets": []string{"ftp"}})
		c, _ := r.body["change"].(map[string]any)
		if r.status != 200 || c["status"] != "failed" || !strings.Contains(c["error"].(string), "configuration problem") {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		// VirtFusion kept what it had: the failed change did not half-apply.
		if r.body["enabled"] != true || len(r.body["rules"].([]any)) != 3 {
			t.Errorf("live state changed: %v", r.body)
		}
		if e.activity()[0]["outcome"] != "error" {
			t.Error("the failure is not in the activity log")
		}
	})

	t.Run("UpstreamDown", func(t *testing.T) {
		e.sim.SetFault(vfsim.Fault{Status: 503, PathPrefix: "/servers/" + strconv.FormatInt(e.aliceSrv, 10) + "/firewall/primary/enable", Times: 1})
		defer e.sim.ClearFaults()
		r := e.do("PUT", path, map[string]any{"enabled": true, "presets": []string{"ssh"}})
		c, _ := r.body["change"].(map[string]any)
		if r.status != 200 || c["status"] != "failed" || c["error"] == "" {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		// Applying again is how the customer recovers.
		r = e.do("PUT", path, map[string]any{"enabled": true, "presets": []string{"ssh"}})
		if c, _ := r.body["change"].(map[string]any); c["status"] != "applied" || len(r.body["rules"].([]any)) != 1 {
			t.Fatalf("retry: %v", r.body)
		}
	})

	t.Run("Disable", func(t *testing.T) {
		r := e.do("PUT", path, map[string]any{"enabled": false, "presets": []string{}})
		c, _ := r.body["change"].(map[string]any)
		if r.status != 200 || r.body["enabled"] != false || c["status"] != "applied" || len(r.body["rules"].([]any)) != 0 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
	})

	t.Run("PendingNeverConfirmed", func(t *testing.T) {
		// A function stopped between recording and confirming a change.
		if err := e.firewall.StartFirewallChange(ctx, panel.FirewallChange{ServerID: e.aliceSrv, Interface: "primary", Enabled: true,
			Presets: []string{"web"}, Attempt: "lost", UpdatedAt: time.Now().Add(-3 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		c, _ := e.do("GET", path, nil).body["change"].(map[string]any)
		if c["status"] != "failed" || !strings.Contains(c["error"].(string), "not confirmed") {
			t.Fatalf("got %v", c)
		}
		// Its late finish cannot overwrite a newer change.
		if err := e.firewall.StartFirewallChange(ctx, panel.FirewallChange{ServerID: e.aliceSrv, Interface: "primary", Presets: []string{},
			Attempt: "newer", UpdatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := e.firewall.FinishFirewallChange(ctx, e.aliceSrv, "primary", "lost", panel.FirewallApplied, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		if c, _ := e.firewall.FirewallChange(ctx, e.aliceSrv, "primary"); c.Status != panel.FirewallPending || c.Attempt != "newer" {
			t.Fatalf("stale finish won: %+v", c)
		}
	})
}

func fmtBody(r resp) string {
	b, _ := json.Marshal(r.body)
	return string(b)
}
