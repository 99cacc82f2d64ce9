package panel

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// AlertKind is what a customer's server alert watches.
type AlertKind string

// Alert kinds.
const (
	// AlertCPU fires when CPU stays above CPUPercent for Minutes.
	AlertCPU AlertKind = "cpu"
	// AlertTraffic fires when the month's traffic reaches TrafficPercent
	// (80 or 100) of the plan's limit; once per traffic period.
	AlertTraffic AlertKind = "traffic"
	// AlertStopped fires when the server stops without the customer asking
	// the panel to stop it (VirtFusion's power webhooks).
	AlertStopped AlertKind = "stopped"
)

// Alert limits.
const (
	MaxAlertsPerServer     = 10
	DefaultAlertCooldown   = 60 // minutes
	MinAlertCooldown       = 5
	MaxAlertCooldown       = 7 * 24 * 60
	MaxAlertCPUMinutes     = 24 * 60
	MaxAlertWebhookURLLen  = 512
	AlertStopExpectedFor   = 15 * time.Minute // a stop the customer asked for is expected this long
	AlertTrafficCheckEvery = time.Hour        // traffic changes slowly; read at most this often per rule
)

// AlertRule is one customer-defined alert on a server, with the state the
// evaluator keeps to fire once per breach and again only after the
// cool-down.
type AlertRule struct {
	ID       string    `json:"id"`
	ServerID int64     `json:"serverId"`
	UserID   string    `json:"-"`
	Kind     AlertKind `json:"kind" enum:"cpu,traffic,stopped"`
	// CPUPercent and Minutes: AlertCPU only.
	CPUPercent int `json:"cpuPercent,omitempty"`
	Minutes    int `json:"minutes,omitempty"`
	// TrafficPercent: AlertTraffic only, 80 or 100.
	TrafficPercent  int  `json:"trafficPercent,omitempty"`
	CooldownMinutes int  `json:"cooldownMinutes"`
	Email           bool `json:"email"`
	// WebhookURL is the customer's own Discord or Slack-compatible
	// incoming webhook; it is a secret, so the API shows only its host.
	WebhookURL string    `json:"-"`
	Enabled    bool      `json:"enabled"`
	CreatedAt  time.Time `json:"createdAt"`

	// Evaluation state.
	BreachSince     time.Time `json:"-"`                    // AlertCPU: when CPU went above the threshold; zero: not above
	LastFiredAt     time.Time `json:"lastFiredAt,omitzero"` // last notification
	Firing          bool      `json:"firing"`               // the condition held at the last evaluation
	FiredKey        string    `json:"-"`                    // AlertTraffic: the period already alerted
	CheckedAt       time.Time `json:"-"`                    // AlertTraffic: last traffic read
	ExpectStopUntil time.Time `json:"-"`                    // AlertStopped: a stop before this was asked for
	Version         int64     `json:"-"`                    // optimistic lock of the state
	LastDetail      string    `json:"lastDetail,omitempty"` // what the last notification said
}

// Cooldown returns the rule's cool-down.
func (r *AlertRule) Cooldown() time.Duration {
	m := r.CooldownMinutes
	if m <= 0 {
		m = DefaultAlertCooldown
	}
	return time.Duration(m) * time.Minute
}

// Validate reports each bad field of r's settings, or nil.
func (r *AlertRule) Validate() map[string]string {
	bad := map[string]string{}
	switch r.Kind {
	case AlertCPU:
		if r.CPUPercent < 1 || r.CPUPercent > 100 {
			bad["cpuPercent"] = "Choose 1 to 100 %."
		}
		if r.Minutes < 5 || r.Minutes > MaxAlertCPUMinutes {
			bad["minutes"] = fmt.Sprintf("Choose 5 to %d minutes (the server is sampled every 5 minutes).", MaxAlertCPUMinutes)
		}
	case AlertTraffic:
		if r.TrafficPercent != 80 && r.TrafficPercent != 100 {
			bad["trafficPercent"] = "Choose 80 or 100 %."
		}
	case AlertStopped:
	default:
		bad["kind"] = "Choose cpu, traffic or stopped."
	}
	if r.CooldownMinutes != 0 && (r.CooldownMinutes < MinAlertCooldown || r.CooldownMinutes > MaxAlertCooldown) {
		bad["cooldownMinutes"] = fmt.Sprintf("Choose %d to %d minutes.", MinAlertCooldown, MaxAlertCooldown)
	}
	if !r.Email && r.WebhookURL == "" {
		bad["email"] = "Choose email, a webhook URL, or both."
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// AlertStore keeps alert rules and their state.
type AlertStore interface {
	// CreateAlertRule stores a new rule; ECONFLICT when the server has
	// MaxAlertsPerServer already.
	CreateAlertRule(ctx context.Context, r *AlertRule) error
	// UpdateAlertRule replaces a rule's settings (not its state). ENOTFOUND.
	UpdateAlertRule(ctx context.Context, r *AlertRule) error
	// DeleteAlertRule removes a rule. ENOTFOUND.
	DeleteAlertRule(ctx context.Context, serverID int64, id string) error
	// AlertRules lists a server's rules, oldest first.
	AlertRules(ctx context.Context, serverID int64) ([]*AlertRule, error)
	// AllAlertRules lists every rule (the sampler's run).
	AllAlertRules(ctx context.Context) ([]*AlertRule, error)
	// SaveAlertState stores r's evaluation state if its Version is still
	// the stored one, incrementing it, together with the notifications the
	// change fires (one transaction: fired exactly once). ECONFLICT when
	// another run changed the state first.
	SaveAlertState(ctx context.Context, r *AlertRule, fire []Notification) error
}

// CheckWebhookURL says what is wrong with a customer's webhook URL, or "".
// It must be https (http too when allowPrivate, for local simulators), with
// no credentials, and its host must not be a loopback, private, link-local
// or otherwise internal address literal unless allowPrivate. Host names
// are checked again when the post connects (the resolved address).
func CheckWebhookURL(raw string, allowPrivate bool) string {
	if len(raw) > MaxAlertWebhookURLLen {
		return fmt.Sprintf("At most %d characters.", MaxAlertWebhookURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "Enter the full webhook URL, starting with https://."
	}
	if u.Scheme != "https" && !(allowPrivate && u.Scheme == "http") {
		return "The webhook URL must start with https://."
	}
	if u.User != nil {
		return "The webhook URL must not contain a user name or password."
	}
	host := strings.ToLower(u.Hostname())
	if allowPrivate {
		return ""
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") || strings.HasSuffix(host, ".local") {
		return "The webhook URL must be a public address."
	}
	if ip, err := netip.ParseAddr(host); err == nil && !PublicAddr(ip) {
		return "The webhook URL must be a public address."
	}
	if !strings.Contains(host, ".") {
		return "The webhook URL must be a public address."
	}
	return ""
}

// PublicAddr reports whether ip is a public unicast address: not loopback,
// private, link-local, multicast, unspecified, CGNAT or IPv4-mapped
// versions of those.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range []string{"100.64.0.0/10", "0.0.0.0/8", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4", "64:ff9b::/96"} {
		if netip.MustParsePrefix(p).Contains(ip) {
			return false
		}
	}
	return true
}

// WebhookHost is what the UI shows of a webhook URL: its host only, since
// the path carries the webhook's token.
func WebhookHost(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
