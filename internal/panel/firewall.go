package panel

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// VirtFusion's firewall applies rulesets the operator defines in
// VirtFusion; its API has no per-rule endpoints. The operator names them
// for customers as presets ("Web", "SSH only", "Mail"): a preset is one or
// more VirtFusion ruleset ids. Customers enable or disable the firewall of
// an interface and choose presets; the panel records each change as
// pending, applies it and records the outcome.

// FirewallInterfaces are VirtFusion's interface names.
var FirewallInterfaces = []string{"primary", "secondary"}

// Firewall preset limits.
const (
	MaxFirewallPresets        = 20
	MaxRulesetsPerPreset      = 10
	MaxFirewallPresetsChosen  = 10
	maxFirewallPresetNameLen  = 40
	maxFirewallPresetDescLen  = 200
	FirewallPendingConfirmTTL = 2 * time.Minute // a pending change older than this was never confirmed
)

// FirewallPreset is a named set of VirtFusion ruleset ids.
type FirewallPreset struct {
	ID          string  `json:"id"`          // slug, e.g. "web"
	Name        string  `json:"name"`        // "Web (HTTP, HTTPS)"
	Description string  `json:"description"` // what it allows, for customers
	RulesetIDs  []int64 `json:"rulesetIds"`  // VirtFusion ruleset ids
}

// FirewallPresets is the operator's list, versioned for optimistic concurrency.
type FirewallPresets struct {
	Presets []FirewallPreset `json:"presets"`
	Version int64            `json:"version"`
}

var presetID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// Validate checks the operator's presets.
func (p *FirewallPresets) Validate() error {
	if len(p.Presets) > MaxFirewallPresets {
		return Invalid(map[string]string{"presets": fmt.Sprintf("At most %d presets.", MaxFirewallPresets)})
	}
	seen := map[string]bool{}
	for i, pr := range p.Presets {
		f := func(name string) string { return fmt.Sprintf("presets.%d.%s", i, name) }
		switch {
		case !presetID.MatchString(pr.ID):
			return Invalid(map[string]string{f("id"): "Use 1–32 lowercase letters, digits or dashes."})
		case seen[pr.ID]:
			return Invalid(map[string]string{f("id"): "Another preset has this id."})
		case pr.Name == "" || len([]rune(pr.Name)) > maxFirewallPresetNameLen:
			return Invalid(map[string]string{f("name"): fmt.Sprintf("Give a name of at most %d characters.", maxFirewallPresetNameLen)})
		case len([]rune(pr.Description)) > maxFirewallPresetDescLen:
			return Invalid(map[string]string{f("description"): fmt.Sprintf("At most %d characters.", maxFirewallPresetDescLen)})
		case len(pr.RulesetIDs) == 0 || len(pr.RulesetIDs) > MaxRulesetsPerPreset:
			return Invalid(map[string]string{f("rulesetIds"): fmt.Sprintf("Give 1–%d VirtFusion ruleset ids.", MaxRulesetsPerPreset)})
		}
		for _, id := range pr.RulesetIDs {
			if id <= 0 {
				return Invalid(map[string]string{f("rulesetIds"): "Ruleset ids are positive numbers."})
			}
		}
		seen[pr.ID] = true
	}
	return nil
}

// Apply states of a firewall change.
const (
	FirewallPending = "pending" // sent (or being sent) to VirtFusion
	FirewallApplied = "applied" // VirtFusion accepted it
	FirewallFailed  = "failed"  // VirtFusion refused it, or it was never confirmed
)

// FirewallChange is the last change a customer asked for on one interface.
type FirewallChange struct {
	ServerID  int64     `json:"-"`
	Interface string    `json:"interface"`
	Enabled   bool      `json:"enabled"`
	Presets   []string  `json:"presets"`
	Status    string    `json:"status" enum:"pending,applied,failed"`
	Error     string    `json:"error,omitempty"`
	Attempt   string    `json:"-"` // id of the apply that owns the record
	UpdatedAt time.Time `json:"updatedAt"`
}

// FirewallStore keeps the operator's presets and each interface's last change.
type FirewallStore interface {
	// FirewallPresets returns the presets (empty, version 0, before the first save).
	FirewallPresets(ctx context.Context) (*FirewallPresets, error)
	// PutFirewallPresets saves p if the stored version is p.Version-1 (ECONFLICT otherwise).
	PutFirewallPresets(ctx context.Context, p FirewallPresets) error
	// FirewallChange returns an interface's last change (ENOTFOUND when none).
	FirewallChange(ctx context.Context, serverID int64, iface string) (*FirewallChange, error)
	// StartFirewallChange records c (status pending) as the interface's last change.
	StartFirewallChange(ctx context.Context, c FirewallChange) error
	// FinishFirewallChange sets the outcome of the change made by attempt;
	// it does nothing when a newer change has started since.
	FinishFirewallChange(ctx context.Context, serverID int64, iface, attempt, status, errMsg string, at time.Time) error
}
