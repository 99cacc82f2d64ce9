package virtfusion

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// VirtFusion's firewall is per interface ("primary" or "secondary") and
// made of rulesets the operator defines in VirtFusion: the API enables or
// disables it, reads it, and replaces the applied rulesets. It has no
// endpoint for a single rule. Every change is sent with ?sync=true so
// VirtFusion applies it on the hypervisor at once.

// FirewallRule is one rule VirtFusion reports as applied. The OpenAPI
// document does not describe it, so every field is read leniently and may
// be empty.
type FirewallRule struct {
	RulesetID   FlexInt    `json:"rulesetId"`
	Ruleset     FlexString `json:"ruleset"`
	Direction   FlexString `json:"direction"`
	Protocol    FlexString `json:"protocol"`
	Port        FlexString `json:"port"`
	Source      FlexString `json:"source"`
	Action      FlexString `json:"action"`
	Description FlexString `json:"description"`
}

// Firewall is an interface's firewall (GET /servers/{id}/firewall/{iface}).
type Firewall struct {
	Enabled FlexBool               `json:"enabled"`
	Rules   FlexList[FirewallRule] `json:"rules"`
}

func firewallPath(id int64, iface string) string {
	return "/servers/" + pathID(id) + "/firewall/" + url.PathEscape(iface)
}

var syncNow = url.Values{"sync": {"true"}}

// Firewall returns the firewall of a server's interface.
func (c *Client) Firewall(ctx context.Context, id int64, iface string) (*Firewall, error) {
	f, err := getData[Firewall](ctx, c, request{method: http.MethodGet, path: firewallPath(id, iface)})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: firewall %s of server %d: %w", iface, id, err)
	}
	return &f, nil
}

// SetFirewallEnabled turns the firewall of a server's interface on or off.
func (c *Client) SetFirewallEnabled(ctx context.Context, id int64, iface string, on bool) error {
	action := "disable"
	if on {
		action = "enable"
	}
	r := request{method: http.MethodPost, path: firewallPath(id, iface) + "/" + action, query: syncNow}
	if _, err := c.do(ctx, r, nil); err != nil {
		return fmt.Errorf("virtfusion: %s firewall %s of server %d: %w", action, iface, id, err)
	}
	return nil
}

// ApplyFirewallRulesets replaces the rulesets applied to a server's
// interface; an empty list flushes them. An unknown or disabled ruleset is
// a 422.
func (c *Client) ApplyFirewallRulesets(ctx context.Context, id int64, iface string, rulesets []int64) error {
	body := struct {
		Rulesets []int64 `json:"rulesets"`
	}{append([]int64{}, rulesets...)} // never null: an empty list flushes
	r := request{method: http.MethodPost, path: firewallPath(id, iface) + "/rules", query: syncNow, body: body}
	if _, err := c.do(ctx, r, nil); err != nil {
		return fmt.Errorf("virtfusion: apply firewall rulesets %v to %s of server %d: %w", rulesets, iface, id, err)
	}
	return nil
}
