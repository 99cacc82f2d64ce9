package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// The operator console's users, servers and audit sections. Every action
// is recorded in the audit log: who (the admin), what (action, target),
// when, and the state before and after.

// Accounts is what the console does through the identity provider and the
// account-erase path (auth.AdminAccounts).
type Accounts interface {
	// SetBlocked blocks or unblocks the user in the identity provider;
	// blocking also ends every session and API token.
	SetBlocked(ctx context.Context, u *panel.User, blocked bool) error
	// RevokeAccess ends every session and API token of a user.
	RevokeAccess(ctx context.Context, userID string) error
	// ResetPassword mails the user a password-reset link.
	ResetPassword(ctx context.Context, u *panel.User) error
	// Erase deletes the account (identity provider and VirtFusion users,
	// personal data); the ledger stays. ECONFLICT while servers are active
	// or the balance is in credit.
	Erase(ctx context.Context, u *panel.User, actor, ip string) error
	// Sessions lists the user's unexpired sessions.
	Sessions(ctx context.Context, userID string) ([]*panel.Session, error)
}

// Audit is the audit log with the cross-customer search.
type Audit interface {
	panel.AuditLog
	panel.AuditSearch
}

// MailHistory is a customer's notifications (dynamo.Outbox).
type MailHistory interface {
	History(ctx context.Context, userID, cursor string, limit int) ([]*panel.Delivery, string, error)
}

// ConsoleDeps are the console's dependencies. Servers and Transfers are
// nil without VirtFusion.
type ConsoleDeps struct {
	Deps
	Store     panel.AdminUserStore
	Accounts  Accounts
	Audit     Audit
	Mail      MailHistory
	Servers   panel.ServerAdmin
	Transfers panel.TransferStore
	Now       func() time.Time
}

// ConsoleHandlers returns the console's routes.
func ConsoleHandlers(d ConsoleDeps) httpx.Handlers {
	if d.Now == nil {
		d.Now = time.Now
	}
	h := &console{d: d}
	return httpx.Handlers{
		"GET /api/admin/users":                       httpx.HandlerFunc(h.users),
		"GET /api/admin/users/{id}":                  httpx.HandlerFunc(h.user),
		"GET /api/admin/users/{id}/transactions":     httpx.HandlerFunc(h.transactions),
		"GET /api/admin/users/{id}/activity":         httpx.HandlerFunc(h.activity),
		"GET /api/admin/users/{id}/notifications":    httpx.HandlerFunc(h.notifications),
		"POST /api/admin/users/{id}/block":           httpx.HandlerFunc(h.block),
		"PUT /api/admin/users/{id}/role":             httpx.HandlerFunc(h.role),
		"POST /api/admin/users/{id}/virtfusion-link": httpx.HandlerFunc(h.link),
		"POST /api/admin/users/{id}/password-reset":  httpx.HandlerFunc(h.passwordReset),
		"DELETE /api/admin/users/{id}":               httpx.HandlerFunc(h.deleteUser),
		"GET /api/admin/servers":                     httpx.HandlerFunc(h.servers),
		"POST /api/admin/servers/{id}/power":         httpx.HandlerFunc(h.power),
		"PUT /api/admin/servers/{id}/suspension":     httpx.HandlerFunc(h.suspension),
		"DELETE /api/admin/servers/{id}":             httpx.HandlerFunc(h.deleteServer),
		"POST /api/admin/servers/{id}/transfer":      httpx.HandlerFunc(h.transfer),
		"GET /api/admin/audit":                       httpx.HandlerFunc(h.audit),
	}
}

type console struct{ d ConsoleDeps }

// AdminAuditEntry is an audit entry as the admin viewer shows it.
type AdminAuditEntry struct {
	ID      string             `json:"id"`
	UserID  string             `json:"userId"`
	Actor   string             `json:"actor"`
	Action  panel.ActivityKind `json:"action"`
	Target  string             `json:"target"`
	Outcome string             `json:"outcome" enum:"ok,error"`
	Detail  string             `json:"detail"`
	IP      string             `json:"ip"`
	At      time.Time          `json:"at"`
	Before  string             `json:"before"`
	After   string             `json:"after"`
}

func auditView(es []panel.AuditEntry) []AdminAuditEntry {
	out := make([]AdminAuditEntry, len(es))
	for i, e := range es {
		out[i] = AdminAuditEntry{ID: e.ID, UserID: e.UserID, Actor: e.Actor, Action: e.Action, Target: e.Target,
			Outcome: e.Outcome, Detail: e.Detail, IP: e.IP, At: e.At, Before: e.Before, After: e.After}
	}
	return out
}

// record writes the audit entry of an admin action on userID's account
// (its outcome from err) and returns err, or the audit failure when the
// action succeeded but could not be recorded.
func (h *console) record(r *http.Request, p *panel.Principal, userID string, action panel.ActivityKind, target string, before, after any, err error) error {
	e := panel.AuditEntry{UserID: userID, Actor: p.UserID, Action: action, Target: target, Outcome: panel.OutcomeOK,
		IP: httpx.ClientIP(r), Before: compact(before), After: compact(after), At: h.d.Now()}
	if err != nil {
		e.Outcome, e.Detail = panel.OutcomeError, string(panel.ErrorCode(err))
	}
	if aerr := h.d.Audit.RecordAudit(context.WithoutCancel(r.Context()), e); aerr != nil {
		if err == nil {
			return aerr
		}
		httpx.Logger(r.Context()).Error("audit: admin action not recorded", "action", action, "err", aerr)
	}
	return err
}

// compact is v as short JSON ("" for nil).
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

// query helpers

func queryLimit(r *http.Request, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || n <= 0 || n > 100 {
		return def
	}
	return n
}

func queryBool(r *http.Request, key string) (*bool, error) {
	switch r.URL.Query().Get(key) {
	case "":
		return nil, nil
	case "true":
		t := true
		return &t, nil
	case "false":
		f := false
		return &f, nil
	}
	return nil, panel.Invalid(map[string]string{key: "Use true or false."})
}

func serverID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, panel.NotFound("server")
	}
	return id, nil
}
