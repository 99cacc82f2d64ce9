// Package servers serves the customer's servers: list and detail with live
// state, power, rename, reinstall, password reset, console, SSO, traffic,
// metrics and backups, plus SSH keys, the activity log and VirtFusion's
// webhook. Every server route checks that the signed-in customer owns the
// server and answers 404 when they do not, exactly as for a missing one.
package servers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/alerts"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// VirtFusion is the part of the VirtFusion client the servers function
// uses. *virtfusion.Client implements it.
type VirtFusion interface {
	PanelURL() string
	ListUserServers(ctx context.Context, vfUserID int64) ([]virtfusion.Server, error)
	GetServer(ctx context.Context, id int64, remoteState bool) (*virtfusion.Server, error)
	Rename(ctx context.Context, id int64, name string) error
	Power(ctx context.Context, id int64, action string) (int64, error)
	Queue(ctx context.Context, queueID int64) (*virtfusion.QueueItem, error)
	ServerTemplates(ctx context.Context, id int64) ([]virtfusion.TemplateGroup, error)
	BuildServer(ctx context.Context, id int64, req virtfusion.BuildServerRequest) (*virtfusion.Server, error)
	ResetServerPassword(ctx context.Context, id int64, user string) (*virtfusion.ServerPasswordReset, error)
	Traffic(ctx context.Context, id int64) ([]virtfusion.TrafficMonth, error)
	VNC(ctx context.Context, id int64) (*virtfusion.VNC, error)
	EnableVNC(ctx context.Context, id int64) (*virtfusion.VNC, error)
	ServerLoginTokens(ctx context.Context, ext string, serverID int64) (*virtfusion.LoginTokens, error)
	Backups(ctx context.Context, id int64) ([]virtfusion.Backup, error)
	SSHKeys(ctx context.Context, vfUserID int64) ([]virtfusion.SSHKey, error)
	CreateSSHKey(ctx context.Context, vfUserID int64, name, publicKey string) (*virtfusion.SSHKey, error)
	DeleteSSHKey(ctx context.Context, id int64) error
	Packages(ctx context.Context) ([]virtfusion.Package, error)
}

var _ VirtFusion = (*virtfusion.Client)(nil)

// ServerOwners returns billing's record of a server the panel ordered
// (ENOTFOUND for others). dynamo.Ledger implements it.
type ServerOwners interface {
	BilledServer(ctx context.Context, id int64) (*panel.BilledServer, error)
}

// UserDirectory returns a panel user (ENOTFOUND). dynamo.Users implements it.
type UserDirectory interface {
	User(ctx context.Context, id string) (*panel.User, error)
}

// AlertEvents is what the handlers tell the alert evaluator.
// *alerts.Evaluator implements it.
type AlertEvents interface {
	Stopped(ctx context.Context, serverID int64, name string, at time.Time) (alerts.Stats, error)
	ExpectStop(ctx context.Context, serverID int64) error
}

// Limit is at most N attempts per Window.
type Limit struct {
	N      int
	Window time.Duration
}

// Limits are the per-customer rate limits on costly actions.
type Limits struct {
	Power         Limit // default 20 per 10 minutes
	Reinstall     Limit // default 3 per hour
	PasswordReset Limit // default 5 per hour
	Firewall      Limit // default 20 per 10 minutes
}

// Deps are the servers function's dependencies.
type Deps struct {
	VirtFusion VirtFusion
	Audit      panel.AuditLog
	Limiter    panel.RateLimiter
	// Snapshots (optional) keeps the last known view of each server for
	// when VirtFusion cannot give live state.
	Snapshots panel.ServerSnapshots
	// Ordered (optional) is billing's record of the package each server
	// was ordered with; without it (or for servers made outside the
	// panel) the package is guessed from the server's resources.
	Ordered panel.OrderedPackages
	// Unbilled (optional) is billing's word on servers the panel ordered
	// and does not bill (a failed order's server VirtFusion still has):
	// their routes answer as for a missing server.
	Unbilled panel.UnbilledServers
	// Metrics (optional) holds the sampler's history for the metrics tab.
	Metrics panel.MetricsStore
	// Alerts (optional) keeps the customers' alert rules; without it the
	// alert routes answer 404.
	Alerts panel.AlertStore
	// AlertEvents (optional) hears of stops: the ones the customer asks
	// for (power) and the ones VirtFusion reports (webhook).
	AlertEvents AlertEvents
	// AllowPrivateHooks accepts http and internal webhook URLs for alerts
	// (local development only).
	AllowPrivateHooks bool
	// Firewall and FirewallVF (optional, both) serve the firewall routes;
	// without them those routes answer 404.
	Firewall   panel.FirewallStore
	FirewallVF FirewallVirtFusion

	// Webhook only.
	Events panel.ServerEventStore
	// Owners (optional) is billing's record of who ordered each server;
	// Users (optional) the panel's users. They decide whose activity a
	// webhook event is: without them no activity is written.
	Owners ServerOwners
	Users  UserDirectory
	Sink   panel.ServerEventSink // billing; nil leaves events pending
	// Hooks (optional) logs each delivery for the operator console (ops2).
	Hooks        panel.WebhookLog
	WebhookToken string

	Cache          *Cache        // live-state cache; shared so the webhook can invalidate it in-process
	Limits         Limits        // zero fields take defaults
	Concurrency    int           // parallel VirtFusion calls for the list; default 8
	RequestTimeout time.Duration // overall budget of one request; default 25s (API Gateway stops at 30s)
	RetryHint      int           // retryAfter seconds for upstream failures without one; default 5
	ConsoleTTL     time.Duration // how long a console URL is offered for; default 2m
	Now            func() time.Time
}

func (d *Deps) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Cache == nil {
		d.Cache = NewCache(DefaultCacheTTL, d.Now)
	}
	if d.Concurrency <= 0 {
		d.Concurrency = 8
	}
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = 25 * time.Second
	}
	if d.RetryHint <= 0 {
		d.RetryHint = 5
	}
	if d.ConsoleTTL <= 0 {
		d.ConsoleTTL = 2 * time.Minute
	}
	def := func(l *Limit, n int, w time.Duration) {
		if l.N <= 0 {
			l.N = n
		}
		if l.Window <= 0 {
			l.Window = w
		}
	}
	def(&d.Limits.Power, 20, 10*time.Minute)
	def(&d.Limits.Reinstall, 3, time.Hour)
	def(&d.Limits.PasswordReset, 5, time.Hour)
	def(&d.Limits.Firewall, 20, 10*time.Minute)
}

// Handlers returns the servers function's handlers: every route of the
// function except POST /api/servers and DELETE /api/servers/{id}, which
// billing serves (merge them with httpx.Merge).
func Handlers(d Deps) httpx.Handlers {
	d.defaults()
	if d.VirtFusion == nil || d.Audit == nil || d.Limiter == nil {
		panic("servers: Handlers needs VirtFusion, Audit and Limiter")
	}
	h := &handlers{d: d}
	f := h.wrap
	return httpx.Handlers{
		"GET /api/servers":                      f(h.list),
		"GET /api/servers/{id}":                 f(h.detail),
		"PATCH /api/servers/{id}":               f(h.rename),
		"POST /api/servers/{id}/power":          f(h.power),
		"GET /api/servers/{id}/tasks/{taskId}":  f(h.task),
		"GET /api/servers/{id}/templates":       f(h.templates),
		"POST /api/servers/{id}/reinstall":      f(h.reinstall),
		"POST /api/servers/{id}/reset-password": f(h.resetPassword),
		"GET /api/servers/{id}/traffic":         f(h.traffic),
		"GET /api/servers/{id}/metrics":         f(h.metrics),
		"GET /api/servers/{id}/metrics/history": f(h.metricsHistory),
		"POST /api/servers/{id}/console":        f(h.console),
		"POST /api/servers/{id}/sso":            f(h.sso),
		"GET /api/servers/{id}/backups":         f(h.backups),
		"GET /api/account/ssh-keys":             f(h.listKeys),
		"POST /api/account/ssh-keys":            f(h.createKey),
		"DELETE /api/account/ssh-keys/{id}":     f(h.deleteKey),
		"GET /api/account/activity":             f(h.activity),
		// Customer alerts (issue 18).
		"GET /api/servers/{id}/alerts":              f(h.listAlerts),
		"POST /api/servers/{id}/alerts":             f(h.createAlert),
		"PUT /api/servers/{id}/alerts/{alertId}":    f(h.updateAlert),
		"DELETE /api/servers/{id}/alerts/{alertId}": f(h.deleteAlert),
		// Firewall (issue 19, fw).
		"GET /api/servers/{id}/firewall/{iface}": f(h.getFirewall),
		"PUT /api/servers/{id}/firewall/{iface}": f(h.putFirewall),
		// Activity per server (issue 20, item 4).
		"GET /api/servers/{id}/activity": f(h.serverActivity),
	}
}

type handlers struct {
	d               Deps
	webhookTokenB64 string // WebhookToken as VirtFusion sends it, encoded once
}

// wrap bounds the request's time and gives every upstream failure a retry
// hint, so the UI can say when to try again.
func (h *handlers) wrap(fn httpx.HandlerFunc) http.Handler {
	return httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), h.d.RequestTimeout)
		defer cancel()
		err := fn(w, r.WithContext(ctx))
		if err == nil {
			return nil
		}
		var pe *panel.Error
		if errors.As(err, &pe) && pe.RetryAfter == 0 {
			switch pe.Code {
			case panel.EUPSTREAM, panel.EUNAVAILABLE, panel.ETIMEOUT:
				return &panel.Error{Code: pe.Code, Message: pe.Message, RetryAfter: h.d.RetryHint, Err: err}
			}
		}
		if pe == nil && ctx.Err() != nil {
			return &panel.Error{Code: panel.ETIMEOUT, Message: "The request took too long.", RetryAfter: h.d.RetryHint, Err: err}
		}
		return err
	})
}

var errServerNotFound = panel.NotFound("server")

// principal returns the signed-in caller (the auth middleware guarantees one).
func principal(r *http.Request) *panel.Principal {
	if p := panel.PrincipalFrom(r.Context()); p != nil {
		return p
	}
	return &panel.Principal{}
}

func serverID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errServerNotFound
	}
	return id, nil
}

// owned returns the server in the path if the caller owns it, and 404
// otherwise, whether it is missing or someone else's. fresh asks VirtFusion
// now (for actions, which must see the current suspended state); otherwise
// a cached copy up to the cache TTL old will do.
func (h *handlers) owned(r *http.Request, fresh bool) (*virtfusion.Server, error) {
	id, err := serverID(r)
	if err != nil {
		return nil, err
	}
	p := principal(r)
	if p.VFUserID <= 0 {
		return nil, errServerNotFound
	}
	var s *virtfusion.Server
	if c, ok := h.d.Cache.Get(id); ok && !fresh {
		s = c
	} else {
		s, err = h.d.VirtFusion.GetServer(r.Context(), id, false)
		if virtfusion.IsNotFound(err) {
			h.d.Cache.Invalidate(id)
			return nil, errServerNotFound
		}
		if err != nil {
			return nil, err
		}
	}
	return h.checkOwner(r, s, nil)
}

// live returns a server with its remote (power) state, from the cache when
// fresh enough. Concurrent callers share one VirtFusion call.
func (h *handlers) live(ctx context.Context, id int64) (*virtfusion.Server, error) {
	return h.d.Cache.Live(ctx, id, func(ctx context.Context) (*virtfusion.Server, error) {
		return h.d.VirtFusion.GetServer(ctx, id, true)
	})
}

// refuseSuspended stops actions on a suspended server.
func refuseSuspended(s *virtfusion.Server) error {
	if s.Suspended {
		return panel.Errorf(panel.ESERVERSUSPENDED, "This server is suspended. Contact support or top up your balance to use it again.")
	}
	return nil
}

// audit records an action on the caller's activity log. A failed write is
// logged, not returned: the action itself has already happened.
func (h *handlers) audit(r *http.Request, action panel.ActivityKind, target, detail string, actErr error) {
	p := principal(r)
	e := panel.AuditEntry{UserID: p.UserID, Actor: p.UserID, Action: action, Target: target,
		Outcome: panel.OutcomeOK, Detail: detail, IP: httpx.ClientIP(r), At: h.d.Now()}
	if actErr != nil {
		e.Outcome = panel.OutcomeError
		if e.Detail != "" {
			e.Detail += ": "
		}
		e.Detail += panel.ErrorMessage(actErr)
	}
	ctx := context.WithoutCancel(r.Context())
	if err := h.d.Audit.RecordAudit(ctx, e); err != nil {
		httpx.Logger(ctx).Error("servers: audit write failed", "action", action, "target", target, "err", err)
	}
}

func serverTarget(id int64) string { return "server:" + strconv.FormatInt(id, 10) }

// activity is GET /api/account/activity.
func (h *handlers) activity(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	items, next, err := h.d.Audit.Activity(r.Context(), p.UserID, r.URL.Query().Get("cursor"), 25)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(items, next))
}

// serverActivity is GET /api/servers/{id}/activity: the caller's activity
// about one server they own, newest first.
func (h *handlers) serverActivity(w http.ResponseWriter, r *http.Request) error {
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	items, next, err := h.d.Audit.TargetActivity(r.Context(), principal(r).UserID, serverTarget(s.ID), r.URL.Query().Get("cursor"), 25)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(items, next))
}
