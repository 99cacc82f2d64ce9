package virtfusion_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// TestContractFirewall: the firewall client against the strict simulator:
// enable, apply rulesets (and flush them), read them back; unknown
// interface, unknown or disabled ruleset and unknown server are refused
// with VirtFusion's shapes.
func TestContractFirewall(t *testing.T) {
	e := MustSim(t)
	ctx := testCtx(t)
	uid := e.sim.AddUser(vfsim.User{Name: "Fw", Email: "fw@example.com", ExtRelationID: "u_fw"})
	id, err := e.sim.AddServer(vfsim.ServerSpec{OwnerID: uid, Name: "fw-1"})
	if err != nil {
		t.Fatal(err)
	}
	sid := int64(id)

	fw, err := e.c.Firewall(ctx, sid, "primary")
	if err != nil || fw.Enabled || len(fw.Rules) != 0 {
		t.Fatalf("new server's firewall: %+v, %v", fw, err)
	}
	if err := e.c.ApplyFirewallRulesets(ctx, sid, "primary", []int64{1, 2}); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if err := e.c.SetFirewallEnabled(ctx, sid, "primary", true); err != nil {
		t.Fatalf("enable: %v", err)
	}
	fw, err = e.c.Firewall(ctx, sid, "primary")
	if err != nil || !fw.Enabled || len(fw.Rules) != 3 {
		t.Fatalf("after apply: %+v, %v", fw, err)
	}
	if r := fw.Rules[2]; r.RulesetID != 2 || r.Port != "22" || r.Protocol != "tcp" || r.Action != "accept" {
		t.Errorf("SSH rule: %+v", r)
	}
	// The change was sent with ?sync=true, with the documented body.
	var sawRules bool
	for _, c := range e.sim.Calls() {
		if c.Method == http.MethodPost && strings.HasSuffix(c.Path, "/firewall/primary/rules") {
			sawRules = true
			if c.Query != "sync=true" {
				t.Errorf("rules query: %q", c.Query)
			}
		}
	}
	if !sawRules {
		t.Error("no POST .../firewall/primary/rules seen")
	}

	// An empty list flushes; disable turns it off.
	if err := e.c.ApplyFirewallRulesets(ctx, sid, "primary", nil); err != nil {
		t.Fatalf("flush: %v", err)
	}
	if err := e.c.SetFirewallEnabled(ctx, sid, "primary", false); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if fw, err = e.c.Firewall(ctx, sid, "primary"); err != nil || fw.Enabled || len(fw.Rules) != 0 {
		t.Fatalf("after flush: %+v, %v", fw, err)
	}

	refused := []struct {
		name   string
		call   func() error
		status int
		msg    string
	}{
		{"DisabledRuleset", func() error { return e.c.ApplyFirewallRulesets(ctx, sid, "primary", []int64{1, 9}) }, 422, "Invalid or disabled firewall ruleset"},
		{"UnknownRuleset", func() error { return e.c.ApplyFirewallRulesets(ctx, sid, "primary", []int64{777}) }, 422, "Invalid or disabled firewall ruleset"},
		{"UnknownInterface", func() error { return e.c.SetFirewallEnabled(ctx, sid, "eth7", true) }, 422, "The selected interface is invalid."},
		{"NoSecondary", func() error { _, err := e.c.Firewall(ctx, sid, "secondary"); return err }, 422, "The server has no secondary interface."},
		{"UnknownServer", func() error { _, err := e.c.Firewall(ctx, 999999, "primary"); return err }, 404, "server not found"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *virtfusion.APIError
			if !errors.As(err, &ae) || ae.Status != tt.status || len(ae.Messages) == 0 || ae.Messages[0] != tt.msg {
				t.Fatalf("got %v (%+v), want %d %q", err, ae, tt.status, tt.msg)
			}
		})
	}
	// A refused change left the firewall as it was.
	if fw, err = e.c.Firewall(ctx, sid, "primary"); err != nil || len(fw.Rules) != 0 {
		t.Fatalf("after refusals: %+v, %v", fw, err)
	}
}
