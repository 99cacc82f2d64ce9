// Package settings serves the administrators' run-time settings to the
// code that obeys them: it reads them from storage at most once per TTL
// per function instance, and falls back to the deploy-time defaults.
package settings

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TTL is how long a function trusts the settings it read: a change takes
// effect everywhere within it.
const TTL = 60 * time.Second

// Cache is a function's view of the settings. It is one of the function's
// dependencies (never package state); safe for concurrent use.
type Cache struct {
	Store    panel.SettingsStore
	Defaults panel.Settings
	TTL      time.Duration    // 0 means TTL; never more than TTL
	Now      func() time.Time // nil means time.Now

	mu      sync.Mutex
	cur     panel.Settings
	readAt  time.Time
	hasRead bool
}

var _ panel.SettingsSource = (*Cache)(nil)

// Defaults are the settings deploy-time configuration implies.
func Defaults(c config.Config) panel.Settings {
	name := c.CompanyName
	if name == "" {
		name = "vfpanel"
	}
	color := strings.ToLower(c.CompanyColor)
	if color == "" {
		color = "#2563eb"
	}
	grace := c.DunningGraceDays
	if grace <= 0 {
		grace = 7
	}
	prepay := c.OrderPrepayHours
	if prepay <= 0 {
		prepay = 24
	}
	minT, maxT := c.TopupMinMinor, c.TopupMaxMinor
	if minT <= 0 {
		minT = 500
	}
	if maxT <= 0 {
		maxT = 100000
	}
	return panel.Settings{CompanyName: name, LogoURL: c.CompanyLogoURL, PrimaryColor: color, AccentColor: color,
		TopupMinMinor: minT, TopupMaxMinor: maxT, PrepayHours: prepay, LowBalanceHours: []int{72, 24},
		GraceDays: grace, GeminiModel: "gemini-2.5-flash"}
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Cache) ttl() time.Duration {
	if c.TTL <= 0 || c.TTL > TTL {
		return TTL
	}
	return c.TTL
}

// Current returns the settings in force: the saved ones (read again once
// the cached copy is TTL old), else the defaults. A failed read keeps the
// last good copy (or the defaults) and is retried on the next call.
func (c *Cache) Current(ctx context.Context) panel.Settings {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.hasRead && now.Sub(c.readAt) < c.ttl() {
		return clone(c.cur)
	}
	st, err := c.Store.Settings(ctx)
	switch {
	case err == nil:
		c.cur = *st
	case panel.ErrorCode(err) == panel.ENOTFOUND:
		c.cur = c.Defaults
	default:
		slog.WarnContext(ctx, "settings: read failed; using the last known", "err", err)
		if !c.hasRead {
			return clone(c.Defaults)
		}
		return clone(c.cur)
	}
	c.readAt, c.hasRead = now, true
	return clone(c.cur)
}

// Forget drops the cached copy, so this instance's next Current reads
// storage (after its own save).
func (c *Cache) Forget() {
	c.mu.Lock()
	c.hasRead = false
	c.mu.Unlock()
}

func clone(s panel.Settings) panel.Settings {
	s.LowBalanceHours = slices.Clone(s.LowBalanceHours)
	return s
}
