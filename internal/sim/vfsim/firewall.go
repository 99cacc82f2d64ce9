package vfsim

import (
	"net/http"
	"slices"
)

// VirtFusion's firewall is per interface and made of operator-defined
// rulesets: the API can only enable or disable it, read it, and replace the
// rulesets applied (POST .../rules {rulesets: [id]}; an empty list flushes
// them). There is no endpoint to add, change or remove a single rule.
//
// The OpenAPI document gives no response bodies for these operations. GET
// answers {data: {enabled, rules: [...]}} (our notes); the fields of one
// rule below are this simulator's guess, so the client reads them
// leniently and ignores the rest.

// fwRule is one rule of a ruleset.
type fwRule struct {
	Direction, Protocol, Port, Source, Action, Description string
}

// fwRuleset is an operator-defined ruleset; a disabled one cannot be applied.
type fwRuleset struct {
	Name    string
	Enabled bool
	Rules   []fwRule
}

// firewallRulesets are the rulesets the simulated operator defined.
var firewallRulesets = map[int]fwRuleset{
	1: {Name: "Web", Enabled: true, Rules: []fwRule{
		{"in", "tcp", "80", "0.0.0.0/0", "accept", "HTTP"},
		{"in", "tcp", "443", "0.0.0.0/0", "accept", "HTTPS"}}},
	2: {Name: "SSH", Enabled: true, Rules: []fwRule{{"in", "tcp", "22", "0.0.0.0/0", "accept", "SSH"}}},
	3: {Name: "Mail", Enabled: true, Rules: []fwRule{
		{"in", "tcp", "25", "0.0.0.0/0", "accept", "SMTP"},
		{"in", "tcp", "465,587", "0.0.0.0/0", "accept", "Submission"},
		{"in", "tcp", "993", "0.0.0.0/0", "accept", "IMAPS"}}},
	4: {Name: "Drop the rest", Enabled: true, Rules: []fwRule{{"in", "any", "", "0.0.0.0/0", "drop", "Default deny"}}},
	9: {Name: "Legacy FTP (disabled)", Enabled: false, Rules: []fwRule{{"in", "tcp", "21", "0.0.0.0/0", "accept", "FTP"}}},
}

// firewall is one interface's firewall state.
type firewall struct {
	Enabled  bool  `json:"enabled"`
	Rulesets []int `json:"rulesets,omitempty"`
}

// firewallFrom returns the server and its firewall for the {id} and
// {iface} of the path, having answered 404/422 when there is none. The
// simulator's servers have one (primary) interface.
func (s *Sim) firewallFrom(w http.ResponseWriter, r *http.Request) (*server, *firewall) {
	sv := s.serverFrom(w, r)
	if sv == nil {
		return nil, nil
	}
	switch r.PathValue("iface") {
	case "primary":
	case "secondary":
		writeErrors(w, 422, "The server has no secondary interface.")
		return nil, nil
	default:
		writeErrors(w, 422, "The selected interface is invalid.")
		return nil, nil
	}
	switch r.URL.Query().Get("sync") {
	case "", "true", "false":
	default:
		writeErrors(w, 422, "The sync field must be true or false.")
		return nil, nil
	}
	if sv.Firewall == nil {
		sv.Firewall = &firewall{}
	}
	return sv, sv.Firewall
}

// getFirewall is GET /servers/{id}/firewall/{iface}.
func (s *Sim) getFirewall(w http.ResponseWriter, r *http.Request) {
	_, fw := s.firewallFrom(w, r)
	if fw == nil {
		return
	}
	rules := []any{}
	for _, id := range fw.Rulesets {
		rs := firewallRulesets[id]
		for _, ru := range rs.Rules {
			rules = append(rules, M{"rulesetId": id, "ruleset": rs.Name, "direction": ru.Direction, "protocol": ru.Protocol,
				"port": ru.Port, "source": ru.Source, "action": ru.Action, "description": ru.Description})
		}
	}
	writeData(w, 200, M{"enabled": fw.Enabled, "rules": rules})
}

// switchFirewall is POST /servers/{id}/firewall/{iface}/enable|disable.
func (s *Sim) switchFirewall(w http.ResponseWriter, r *http.Request) {
	var on bool
	switch r.PathValue("action") {
	case "enable":
		on = true
	case "disable":
	default:
		routeNotFound(w, r)
		return
	}
	sv, fw := s.firewallFrom(w, r)
	if fw == nil {
		return
	}
	fw.Enabled = on
	sv.Updated = s.now()
	noContent(w, 200)
}

// applyFirewallRules is POST /servers/{id}/firewall/{iface}/rules
// {rulesets: [int]}: required; every id must be an enabled ruleset; the
// list replaces the applied rulesets (empty flushes them).
func (s *Sim) applyFirewallRules(w http.ResponseWriter, r *http.Request) {
	sv, fw := s.firewallFrom(w, r)
	if fw == nil {
		return
	}
	var in struct {
		Rulesets *[]int `json:"rulesets"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	if in.Rulesets == nil {
		writeErrors(w, 422, "The rulesets field is required.")
		return
	}
	ids := []int{}
	for _, id := range *in.Rulesets {
		if rs, ok := firewallRulesets[id]; !ok || !rs.Enabled {
			writeErrors(w, 422, "Invalid or disabled firewall ruleset")
			return
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	fw.Rulesets = ids
	sv.Updated = s.now()
	noContent(w, 201)
}
