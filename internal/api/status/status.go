// Package status serves the public status (GET /api/status: each
// component's state and the administrators' maintenance or incident
// message) and the admin routes that set and clear that message.
package status

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// BillingJob is the job whose runs the billing component reflects.
const BillingJob = "hourly-billing"

// How long after its last success the hourly billing counts as working,
// then as late (degraded); past that it is an outage.
const (
	billingFresh = 2 * time.Hour
	billingLate  = 3 * time.Hour
)

// MaxAge is how long CloudFront and browsers may keep GET /api/status.
const MaxAge = 30 * time.Second

// Component states, and the overall status (which adds "maintenance").
const (
	Operational = "operational"
	Degraded    = "degraded"
	Outage      = "outage"
	Unknown     = "unknown" // not configured, or never ran
	Maintenance = "maintenance"
)

// Component names, in the order the page lists them.
const (
	ComponentAPI           = "api"
	ComponentBilling       = "billing"
	ComponentServerControl = "serverControl"
	ComponentPayments      = "payments"
	ComponentSignIn        = "signIn"
)

// Component is one part of the service and its state.
type Component struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	State string `json:"state"` // operational, degraded, outage or unknown
}

// Response is the body of GET /api/status.
type Response struct {
	// Status is operational, degraded, outage or maintenance.
	Status     string               `json:"status"`
	Components []Component          `json:"components"`
	Message    *panel.StatusMessage `json:"message"` // null when none
	// StatusPageURL is the external (Better Stack) status page, if any.
	StatusPageURL string    `json:"statusPageUrl,omitempty"`
	CheckedAt     time.Time `json:"checkedAt"`
}

// MessageRequest is the body of PUT /api/admin/status-message.
type MessageRequest struct {
	Kind string `json:"kind"` // maintenance or incident
	Text string `json:"text"`
}

// Valid reports each bad field.
func (m MessageRequest) Valid() map[string]string {
	return panel.StatusMessage{Kind: m.Kind, Text: m.Text}.Valid()
}

// MessageResponse is the answer to PUT /api/admin/status-message.
type MessageResponse struct {
	Message panel.StatusMessage `json:"message"`
}

// Deps are what the status routes use.
type Deps struct {
	Store panel.StatusStore
	// Checks returns the (cached) deep health report.
	Checks        func(ctx context.Context) health.Report
	Audit         panel.AuditLog
	StatusPageURL string
	Now           func() time.Time
}

func (d Deps) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// PublicHandlers returns GET /api/status (served by the health function).
func PublicHandlers(d Deps) httpx.Handlers {
	return httpx.Handlers{
		"GET /api/status": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			resp := d.Status(r.Context())
			w.Header().Set("Cache-Control", "public, max-age=30, s-maxage=30")
			return httpx.Encode(w, http.StatusOK, resp)
		}),
	}
}

// Status works out every component's state. It never fails: what cannot
// be read counts against the component it concerns.
func (d Deps) Status(ctx context.Context) Response {
	rep := d.Checks(ctx)
	now := d.now()
	fromCheck := func(name string) string {
		switch rep.State(name) {
		case health.StateOK:
			return Operational
		case health.StateDown:
			return Outage
		}
		return Unknown
	}
	api := fromCheck(health.CheckDynamoDB)
	billing := Unknown
	if api == Outage {
		billing = Outage
	} else if run, err := d.Store.JobRun(ctx, BillingJob); err == nil {
		billing = billingState(run, now)
	} else if panel.ErrorCode(err) != panel.ENOTFOUND {
		slog.WarnContext(ctx, "status: read billing run", "err", err)
	}
	comps := []Component{
		{ComponentAPI, "API", api},
		{ComponentBilling, "Billing", billing},
		{ComponentServerControl, "Server control", fromCheck(health.CheckVirtFusion)},
		{ComponentPayments, "Payments", fromCheck(health.CheckPayPal)},
		{ComponentSignIn, "Sign-in", fromCheck(health.CheckAuth0)},
	}
	resp := Response{Components: comps, StatusPageURL: d.StatusPageURL, CheckedAt: rep.CheckedAt}
	if api != Outage {
		if m, err := d.Store.StatusMessage(ctx); err == nil {
			resp.Message = m
		} else if panel.ErrorCode(err) != panel.ENOTFOUND {
			slog.WarnContext(ctx, "status: read message", "err", err)
		}
	}
	resp.Status = overall(comps, resp.Message)
	return resp
}

func billingState(run *panel.JobRun, now time.Time) string {
	since := now.Sub(run.LastSuccessAt)
	switch {
	case run.LastSuccessAt.IsZero():
		return Outage
	case run.LastOK && since <= billingFresh:
		return Operational
	case since <= billingLate:
		return Degraded
	}
	return Outage
}

// overall is maintenance while a maintenance message is up, else the worst
// component state; an incident message makes it at least degraded.
func overall(comps []Component, m *panel.StatusMessage) string {
	if m != nil && m.Kind == panel.StatusMaintenance {
		return Maintenance
	}
	worst := Operational
	if m != nil && m.Kind == panel.StatusIncident {
		worst = Degraded
	}
	for _, c := range comps {
		switch c.State {
		case Outage:
			return Outage
		case Degraded:
			worst = Degraded
		}
	}
	return worst
}

// AdminHandlers returns the admin routes that set and clear the message
// (served by the admin function, behind admin auth). Both are audited in
// the acting administrator's activity log.
func AdminHandlers(d Deps) httpx.Handlers {
	audit := func(r *http.Request, p *panel.Principal, action panel.ActivityKind, detail string, err error) {
		e := panel.AuditEntry{UserID: p.UserID, Actor: p.UserID, Action: action, Target: "status:message",
			Outcome: panel.OutcomeOK, Detail: detail, IP: httpx.ClientIP(r)}
		if err != nil {
			e.Outcome = panel.OutcomeError
		}
		if aerr := d.Audit.RecordAudit(r.Context(), e); aerr != nil {
			slog.ErrorContext(r.Context(), "status: audit", "action", action, "err", aerr)
		}
	}
	return httpx.Handlers{
		"PUT /api/admin/status-message": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p := panel.PrincipalFrom(r.Context())
			if !p.IsAdmin() {
				return panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
			}
			req, err := httpx.Decode[MessageRequest](r)
			if err != nil {
				return err
			}
			m := panel.StatusMessage{Kind: req.Kind, Text: strings.TrimSpace(req.Text), UpdatedAt: d.now().UTC(), UpdatedBy: p.UserID}
			err = d.Store.SetStatusMessage(r.Context(), m)
			audit(r, p, panel.ActStatusMessageSet, m.Kind+": "+truncate(m.Text, 120), err)
			if err != nil {
				return err
			}
			return httpx.Encode(w, http.StatusOK, MessageResponse{Message: m})
		}),
		"DELETE /api/admin/status-message": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p := panel.PrincipalFrom(r.Context())
			if !p.IsAdmin() {
				return panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
			}
			err := d.Store.ClearStatusMessage(r.Context())
			audit(r, p, panel.ActStatusMessageClear, "", err)
			if err != nil {
				return err
			}
			w.WriteHeader(http.StatusNoContent)
			return nil
		}),
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
