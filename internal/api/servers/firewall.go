package servers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// The firewall of a server's interface (issue 19). VirtFusion applies
// operator-defined rulesets only, so customers choose among the operator's
// presets (each a set of ruleset ids) and enable or disable the firewall;
// each change is recorded as pending, sent to VirtFusion, and recorded as
// applied or failed.

// FirewallVirtFusion is the part of the VirtFusion client the firewall
// routes use. *virtfusion.Client implements it.
type FirewallVirtFusion interface {
	Firewall(ctx context.Context, id int64, iface string) (*virtfusion.Firewall, error)
	SetFirewallEnabled(ctx context.Context, id int64, iface string, on bool) error
	ApplyFirewallRulesets(ctx context.Context, id int64, iface string, rulesets []int64) error
}

var _ FirewallVirtFusion = (*virtfusion.Client)(nil)

// FirewallPresetView is a preset as customers see it (no ruleset ids).
type FirewallPresetView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// FirewallRuleView is one rule VirtFusion reports as applied; fields
// VirtFusion leaves out are empty.
type FirewallRuleView struct {
	Ruleset     string `json:"ruleset,omitempty"`
	Direction   string `json:"direction,omitempty"`
	Protocol    string `json:"protocol,omitempty"`
	Port        string `json:"port,omitempty"`
	Source      string `json:"source,omitempty"`
	Action      string `json:"action,omitempty"`
	Description string `json:"description,omitempty"`
}

// FirewallView is the body of GET and PUT /api/servers/{id}/firewall/{iface}:
// what VirtFusion has applied, the presets offered, and the customer's
// last change with its state.
type FirewallView struct {
	Interface string                `json:"interface"`
	Enabled   bool                  `json:"enabled"`
	Rules     []FirewallRuleView    `json:"rules"`
	Presets   []FirewallPresetView  `json:"presets"`
	Change    *panel.FirewallChange `json:"change,omitempty"`
}

// FirewallRequest is the body of PUT /api/servers/{id}/firewall/{iface}.
type FirewallRequest struct {
	Enabled bool     `json:"enabled"`
	Presets []string `json:"presets"`
}

// Valid implements httpx.Validator.
func (q *FirewallRequest) Valid() map[string]string {
	if len(q.Presets) > panel.MaxFirewallPresetsChosen {
		return map[string]string{"presets": fmt.Sprintf("Choose at most %d presets.", panel.MaxFirewallPresetsChosen)}
	}
	if q.Enabled && len(q.Presets) == 0 {
		return map[string]string{"presets": "Choose at least one preset, or turn the firewall off."}
	}
	return nil
}

// firewall returns the firewall dependencies, or 404 when this function
// has none; and the interface of the path (404 for another name).
func (h *handlers) firewall(r *http.Request) (panel.FirewallStore, FirewallVirtFusion, string, error) {
	if h.d.Firewall == nil || h.d.FirewallVF == nil {
		return nil, nil, "", panel.NotFound("firewall")
	}
	iface := r.PathValue("iface")
	if !slices.Contains(panel.FirewallInterfaces, iface) {
		return nil, nil, "", panel.NotFound("interface")
	}
	return h.d.Firewall, h.d.FirewallVF, iface, nil
}

// getFirewall is GET /api/servers/{id}/firewall/{iface}.
func (h *handlers) getFirewall(w http.ResponseWriter, r *http.Request) error {
	store, vf, iface, err := h.firewall(r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	v, err := h.firewallView(r.Context(), store, vf, s.ID, iface)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}

// putFirewall is PUT /api/servers/{id}/firewall/{iface}. Validation and
// ownership errors answer 4xx with nothing changed; once the change is
// recorded, VirtFusion's refusal is the change's failed state in a 200,
// so the page has one place that says what happened.
func (h *handlers) putFirewall(w http.ResponseWriter, r *http.Request) error {
	store, vf, iface, err := h.firewall(r)
	if err != nil {
		return err
	}
	s, err := h.owned(r, true)
	if err != nil {
		return err
	}
	if err := refuseSuspended(s); err != nil {
		return err
	}
	req, err := httpx.Decode[FirewallRequest](r)
	if err != nil {
		return err
	}
	presets, err := store.FirewallPresets(r.Context())
	if err != nil {
		return err
	}
	rulesets, chosen, err := resolvePresets(presets.Presets, req.Presets)
	if err != nil {
		return err
	}
	if err := h.limit(r, "firewall", h.d.Limits.Firewall); err != nil {
		return err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	c := panel.FirewallChange{ServerID: s.ID, Interface: iface, Enabled: req.Enabled, Presets: chosen,
		Attempt: hex.EncodeToString(b[:]), UpdatedAt: h.d.Now()}
	if err := store.StartFirewallChange(r.Context(), c); err != nil {
		return err
	}
	// Rulesets first, so enabling never runs with the old ones.
	applyErr := vf.ApplyFirewallRulesets(r.Context(), s.ID, iface, rulesets)
	if applyErr == nil {
		applyErr = vf.SetFirewallEnabled(r.Context(), s.ID, iface, req.Enabled)
	}
	status, msg := panel.FirewallApplied, ""
	if applyErr != nil {
		status, msg = panel.FirewallFailed, panel.ErrorMessage(applyErr)
		httpx.Logger(r.Context()).Warn("servers: firewall change failed", "server", s.ID, "interface", iface, "err", applyErr)
	}
	// The outcome must be recorded even if the client has gone.
	ctx := context.WithoutCancel(r.Context())
	if err := store.FinishFirewallChange(ctx, s.ID, iface, c.Attempt, status, msg, h.d.Now()); err != nil {
		return err
	}
	h.audit(r, panel.ActServerFirewall, serverTarget(s.ID), fmt.Sprintf("%s: enabled=%t presets=%v", iface, req.Enabled, chosen), applyErr)
	v, err := h.firewallView(ctx, store, vf, s.ID, iface)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, v)
}

// resolvePresets maps the chosen preset ids to VirtFusion ruleset ids (in
// order, without repeats); an unknown preset is a field error.
func resolvePresets(offered []panel.FirewallPreset, ids []string) ([]int64, []string, error) {
	rulesets, chosen := []int64{}, []string{}
	for _, id := range ids {
		i := slices.IndexFunc(offered, func(p panel.FirewallPreset) bool { return p.ID == id })
		if i < 0 {
			return nil, nil, panel.Invalid(map[string]string{"presets": "That preset is not offered; reload the page."})
		}
		if slices.Contains(chosen, id) {
			continue
		}
		chosen = append(chosen, id)
		for _, rs := range offered[i].RulesetIDs {
			if !slices.Contains(rulesets, rs) {
				rulesets = append(rulesets, rs)
			}
		}
	}
	return rulesets, chosen, nil
}

// firewallView reads VirtFusion's firewall, the presets and the last change.
func (h *handlers) firewallView(ctx context.Context, store panel.FirewallStore, vf FirewallVirtFusion, id int64, iface string) (*FirewallView, error) {
	live, err := vf.Firewall(ctx, id, iface)
	if err != nil {
		return nil, err
	}
	presets, err := store.FirewallPresets(ctx)
	if err != nil {
		return nil, err
	}
	v := &FirewallView{Interface: iface, Enabled: bool(live.Enabled), Rules: []FirewallRuleView{}, Presets: []FirewallPresetView{}}
	for _, ru := range live.Rules {
		v.Rules = append(v.Rules, FirewallRuleView{Ruleset: string(ru.Ruleset), Direction: string(ru.Direction), Protocol: string(ru.Protocol),
			Port: string(ru.Port), Source: string(ru.Source), Action: string(ru.Action), Description: string(ru.Description)})
	}
	for _, p := range presets.Presets {
		v.Presets = append(v.Presets, FirewallPresetView{ID: p.ID, Name: p.Name, Description: p.Description})
	}
	c, err := store.FirewallChange(ctx, id, iface)
	if err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
		return nil, err
	}
	if c != nil {
		// A change still pending after the confirmation window was cut off
		// (the function stopped mid-way): say so, so it can be applied again.
		if c.Status == panel.FirewallPending && h.d.Now().Sub(c.UpdatedAt) > panel.FirewallPendingConfirmTTL {
			c.Status, c.Error = panel.FirewallFailed, "The change was not confirmed. Apply it again."
		}
		v.Change = c
	}
	return v, nil
}

// FirewallPresetsRequest is the body of PUT /api/admin/firewall-presets.
type FirewallPresetsRequest = panel.FirewallPresets

// FirewallAdminHandlers returns the operator's firewall preset routes.
func FirewallAdminHandlers(store panel.FirewallStore, audit panel.AuditLog) httpx.Handlers {
	return httpx.Handlers{
		"GET /api/admin/firewall-presets": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			if !panel.PrincipalFrom(r.Context()).IsAdmin() {
				return panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
			}
			p, err := store.FirewallPresets(r.Context())
			if err != nil {
				return err
			}
			return httpx.Encode(w, http.StatusOK, p)
		}),
		"PUT /api/admin/firewall-presets": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p := panel.PrincipalFrom(r.Context())
			if !p.IsAdmin() {
				return panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
			}
			req, err := httpx.Decode[FirewallPresetsRequest](r)
			if err != nil {
				return err
			}
			if err := req.Validate(); err != nil {
				return err
			}
			before, err := store.FirewallPresets(r.Context())
			if err != nil {
				return err
			}
			after := panel.FirewallPresets{Presets: req.Presets, Version: req.Version + 1}
			if err := store.PutFirewallPresets(r.Context(), after); err != nil {
				return err
			}
			if err := audit.RecordAudit(context.WithoutCancel(r.Context()), panel.AuditEntry{UserID: p.UserID, Actor: p.UserID,
				Action: panel.ActFirewallPresets, Target: "firewall-presets", Outcome: panel.OutcomeOK, IP: httpx.ClientIP(r),
				Before: presetSummary(before.Presets), After: presetSummary(after.Presets)}); err != nil {
				httpx.Logger(r.Context()).Error("servers: audit write failed", "action", panel.ActFirewallPresets, "err", err)
			}
			return httpx.Encode(w, http.StatusOK, after)
		}),
	}
}

func presetSummary(ps []panel.FirewallPreset) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("%s=%q %v", p.ID, p.Name, p.RulesetIDs)
	}
	return s
}
