// Package adminops serves the operator console's business routes: the
// run-time settings, payments (top-ups, refunds, revenue), package prices
// and visibility. Every change is audited in the acting administrator's
// activity log with what it replaced and what it left.
package adminops

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	bill "github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Ledger is the part of billing's storage the console reads beyond
// panel.LedgerStore.
type Ledger interface {
	Topups(ctx context.Context, f panel.TopupFilter) ([]*panel.Topup, string, error)
	Revenue(ctx context.Context, months []string) ([]panel.MonthRevenue, error)
	SetPriceHidden(ctx context.Context, packageID int64, hidden bool) error
	DeletePrice(ctx context.Context, packageID int64) error
	ActiveServers(ctx context.Context) ([]*panel.BilledServer, error)
}

// Deps are the console's dependencies.
type Deps struct {
	Settings panel.SettingsStore
	// Defaults are the deploy-time settings, in force until the first save.
	Defaults panel.Settings
	// Forget drops this function's cached settings after a save (nil: none).
	Forget  func()
	Billing *bill.Service
	Ledger  Ledger
	Audit   panel.AuditLog
	// Packages lists VirtFusion's packages (nil: prices only).
	Packages func(ctx context.Context) ([]panel.Package, error)
	Now      func() time.Time
	// Overview counts the front page's figures (issue 20, item 10; nil: 503).
	Overview OverviewCounter
	// Runs lists the billing runs' summaries (ops2).
	Runs panel.BillingRunStore
	// Hooks is the webhook log; Events and Sink re-process VirtFusion
	// events (ops2).
	Hooks  panel.WebhookLog
	Events ServerEvents
	Sink   panel.ServerEventSink
	// Reindex writes every user's search terms (dynamo.Users.ReindexUsers).
	Reindex func(ctx context.Context) (int, error)
}

func (d Deps) now() time.Time {
	if d.Now == nil {
		return time.Now().UTC()
	}
	return d.Now().UTC()
}

func admin(r *http.Request) (*panel.Principal, error) {
	p := panel.PrincipalFrom(r.Context())
	if !p.IsAdmin() {
		return nil, panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
	}
	return p, nil
}

// Handlers returns the console's admin routes (the admin function).
func Handlers(d Deps) httpx.Handlers {
	h := &handlers{d: d, cache: &overviewCache{}}
	return httpx.Handlers{
		"GET /api/admin/overview":                 httpx.HandlerFunc(h.overview), // issue 20, item 10
		"GET /api/admin/settings":                 httpx.HandlerFunc(h.getSettings),
		"PUT /api/admin/settings":                 httpx.HandlerFunc(h.putSettings),
		"GET /api/admin/topups":                   httpx.HandlerFunc(h.topups),
		"POST /api/admin/topups/{id}/refunds":     httpx.HandlerFunc(h.refund),
		"GET /api/admin/revenue":                  httpx.HandlerFunc(h.revenue),
		"GET /api/admin/revenue/csv":              httpx.HandlerFunc(h.revenueCSV),
		"GET /api/admin/packages":                 httpx.HandlerFunc(h.packages),
		"DELETE /api/admin/packages/{id}/price":   httpx.HandlerFunc(h.deletePrice),
		"PUT /api/admin/packages/{id}/visibility": httpx.HandlerFunc(h.visibility),
		// Billing runs (ops2).
		"GET /api/admin/billing/runs":  httpx.HandlerFunc(h.billingRuns),
		"POST /api/admin/billing/runs": httpx.HandlerFunc(h.rerun),
		// Webhook deliveries (ops2).
		"GET /api/admin/webhooks":                          httpx.HandlerFunc(h.webhooks),
		"POST /api/admin/webhooks/{source}/{id}/reprocess": httpx.HandlerFunc(h.reprocess),
		// The user search index's backfill (ops2).
		"POST /api/admin/users/search-index": httpx.HandlerFunc(h.reindexUsers),
	}
}

// PublicHandlers returns GET /api/settings (the health function): what
// every visitor may know of the settings.
func PublicHandlers(src panel.SettingsSource) httpx.Handlers {
	return httpx.Handlers{
		"GET /api/settings": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Cache-Control", "public, max-age=60")
			return httpx.Encode(w, http.StatusOK, src.Current(r.Context()).Public())
		}),
	}
}

type handlers struct {
	d     Deps
	cache *overviewCache // the overview's figures (issue 20, item 10)
}

// audit records an administrator's change with what it replaced and left.
func (h *handlers) audit(r *http.Request, p *panel.Principal, action panel.ActivityKind, target string, before, after any, err error) {
	e := panel.AuditEntry{UserID: p.UserID, Actor: p.UserID, Action: action, Target: target, Outcome: panel.OutcomeOK,
		IP: httpx.ClientIP(r), Before: compact(before), After: compact(after)}
	if err != nil {
		e.Outcome, e.Detail = panel.OutcomeError, panel.ErrorCode(err)
	}
	if aerr := h.d.Audit.RecordAudit(context.WithoutCancel(r.Context()), e); aerr != nil {
		slog.ErrorContext(r.Context(), "adminops: audit", "action", action, "err", aerr)
	}
}

func compact(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
