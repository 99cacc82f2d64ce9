package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Export and erase of a customer's account (GDPR access and erasure).

// AccountRecords is what export and erase read beyond the auth stores:
// the ledger, statements and billed servers (dynamo.Ledger) and the mail
// history and preferences (dynamo.Outbox).
type AccountRecords interface {
	Balance(ctx context.Context, userID string) (*panel.Balance, error)
	Entries(ctx context.Context, userID string, f panel.EntryFilter) ([]*panel.LedgerEntry, string, error)
	Statements(ctx context.Context, userID string) ([]panel.MonthTotals, error)
	UserServers(ctx context.Context, userID string) ([]*panel.BilledServer, error)
}

// MailRecords is a customer's mail history and preferences.
type MailRecords interface {
	History(ctx context.Context, userID, cursor string, limit int) ([]*panel.Delivery, string, error)
	Prefs(ctx context.Context, userID string) (panel.NotificationPrefs, error)
}

// UserDeleter deletes the identity provider's user (Auth0 Management API).
type UserDeleter interface {
	DeleteUser(ctx context.Context, subject string) error
}

// VirtFusionDeleter deletes the VirtFusion user behind a panel user.
type VirtFusionDeleter interface {
	DeleteUser(ctx context.Context, extID string) error
}

const (
	exportLimit  = 5
	exportWindow = time.Hour
	// erasedName replaces the name of an erased account.
	erasedName = "Erased account"
)

// ErasedEmail is the tombstone that replaces an erased account's email.
func ErasedEmail(userID string) string { return "erased+" + userID + "@erased.invalid" }

// AccountExport is everything the panel holds about the signed-in customer.
type AccountExport struct {
	ExportedAt    time.Time               `json:"exportedAt"`
	Profile       panel.User              `json:"profile"`
	Sessions      []ExportSession         `json:"sessions"`
	Balance       ExportBalance           `json:"balance"`
	Ledger        []*panel.LedgerEntry    `json:"ledger"`
	Statements    []ExportStatement       `json:"statements"`
	Servers       []ExportServer          `json:"servers"`
	Activity      []panel.AuditEntry      `json:"activity"`
	Notifications []*panel.Delivery       `json:"notifications"`
	APITokens     []*panel.APIToken       `json:"apiTokens"`
	Preferences   panel.NotificationPrefs `json:"preferences"`
}

// ExportSession is a session without its id hash or CSRF token.
type ExportSession struct {
	IP         string    `json:"ip"`
	UserAgent  string    `json:"userAgent"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
}

// ExportBalance is the balance at export time.
type ExportBalance struct {
	BalanceMinor int64  `json:"balanceMinor"`
	Currency     string `json:"currency"`
}

// ExportStatement is one month's statement totals.
type ExportStatement struct {
	Month        string `json:"month"`
	CreditsMinor int64  `json:"creditsMinor"`
	ChargesMinor int64  `json:"chargesMinor"`
}

// ExportServer is a server the customer was billed for.
type ExportServer struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	PackageID   int64      `json:"packageId"`
	HourlyMinor int64      `json:"hourlyMinor"`
	Currency    string     `json:"currency"`
	Status      string     `json:"status"`
	ActiveSince time.Time  `json:"activeSince"`
	StoppedAt   *time.Time `json:"stoppedAt"`
	StopReason  string     `json:"stopReason,omitempty"`
}

func (h *handlers) export(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	if err := h.d.Limiter.Allow(ctx, "account:export:"+p.UserID, exportLimit, exportWindow); err != nil {
		return err
	}
	u, err := h.d.Users.User(ctx, p.UserID)
	if err != nil {
		return err
	}
	out := AccountExport{ExportedAt: h.d.Now().UTC(), Profile: *u, Sessions: []ExportSession{}, Ledger: []*panel.LedgerEntry{},
		Statements: []ExportStatement{}, Servers: []ExportServer{}, Activity: []panel.AuditEntry{}, Notifications: []*panel.Delivery{}}
	sessions, err := h.d.Sessions.UserSessions(ctx, p.UserID)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		out.Sessions = append(out.Sessions, ExportSession{IP: s.IP, UserAgent: s.UserAgent, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt})
	}
	bal, err := h.d.Records.Balance(ctx, p.UserID)
	if err != nil {
		return err
	}
	out.Balance = ExportBalance{BalanceMinor: bal.BalanceMinor, Currency: bal.Currency}
	for cursor := ""; ; {
		page, next, err := h.d.Records.Entries(ctx, p.UserID, panel.EntryFilter{Cursor: cursor, Limit: 100})
		if err != nil {
			return err
		}
		out.Ledger = append(out.Ledger, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	months, err := h.d.Records.Statements(ctx, p.UserID)
	if err != nil {
		return err
	}
	for _, m := range months {
		out.Statements = append(out.Statements, ExportStatement{Month: m.Month, CreditsMinor: m.CreditsMinor, ChargesMinor: m.ChargesMinor})
	}
	servers, err := h.d.Records.UserServers(ctx, p.UserID)
	if err != nil {
		return err
	}
	for _, s := range servers {
		es := ExportServer{ID: s.ServerID, Name: s.Name, PackageID: s.PackageID, HourlyMinor: s.HourlyMinor, Currency: s.Currency,
			Status: s.Status, ActiveSince: s.ActiveSince, StopReason: s.StopReason}
		if !s.StoppedAt.IsZero() {
			at := s.StoppedAt
			es.StoppedAt = &at
		}
		out.Servers = append(out.Servers, es)
	}
	if h.d.Audit != nil {
		for cursor := ""; ; {
			page, next, err := h.d.Audit.Activity(ctx, p.UserID, cursor, 100)
			if err != nil {
				return err
			}
			out.Activity = append(out.Activity, page...)
			if next == "" {
				break
			}
			cursor = next
		}
	}
	for cursor := ""; ; {
		page, next, err := h.d.Mail.History(ctx, p.UserID, cursor, 100)
		if err != nil {
			return err
		}
		out.Notifications = append(out.Notifications, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if out.APITokens, err = h.d.Tokens.UserAPITokens(ctx, p.UserID); err != nil {
		return err
	}
	if out.Preferences, err = h.d.Mail.Prefs(ctx, p.UserID); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="vfpanel-account-`+p.UserID+`.json"`)
	w.Header().Set("Cache-Control", "no-store")
	return httpx.Encode(w, http.StatusOK, out)
}

// EraseRequest is the body of DELETE /api/account.
type EraseRequest struct {
	Confirm string `json:"confirm"` // the account's email, typed again
}

// Valid implements httpx.Validator.
func (e *EraseRequest) Valid() map[string]string {
	e.Confirm = strings.ToLower(strings.TrimSpace(e.Confirm))
	if e.Confirm == "" {
		return map[string]string{"confirm": "Type your email address to confirm."}
	}
	return nil
}

// erase closes the caller's account. It refuses while a billed server is
// active (delete servers first) or the balance is positive: credit can
// only leave as a PayPal refund, which support makes through the ledger,
// and erasing first would strand it. Ledger entries stay (money records
// must be kept), under the user id, whose profile becomes a tombstone.
// Every step tolerates "already done", so a retry after a partial failure
// finishes the job; the caller's sessions go last so a retry is possible.
func (h *handlers) erase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	in, err := httpx.Decode[EraseRequest](r)
	if err != nil {
		return err
	}
	if in.Confirm != strings.ToLower(p.Email) {
		return &panel.Error{Code: panel.EINVALID, Message: "Type your account's email address to confirm.",
			Fields: map[string]string{"confirm": "This is not your account's email address."}}
	}
	if err := h.d.eraseAccount(ctx, p.UserID, p.UserID, httpx.ClientIP(r)); err != nil {
		return err
	}
	h.clearCookie(w)
	return httpx.NoContent(w)
}

// eraseAccount erases user userID for actor (the user, or an
// administrator). It refuses while a billed server is active (delete
// servers first) or the balance is positive: credit can only leave as a
// PayPal refund, which support makes through the ledger, and erasing
// first would strand it. Ledger entries stay (money records must be kept),
// under the user id, whose profile becomes a tombstone. Every step
// tolerates "already done", so a retry after a partial failure finishes
// the job; the sessions go last so a retry is possible.
func (d *Deps) eraseAccount(ctx context.Context, userID, actor, ip string) error {
	self := actor == userID
	u, err := d.Users.User(ctx, userID)
	if err != nil {
		return err
	}
	servers, err := d.Records.UserServers(ctx, userID)
	if err != nil {
		return err
	}
	for _, s := range servers {
		if s.Status == panel.BilledActive {
			if self {
				return panel.Errorf(panel.ECONFLICT, "Delete your servers first; server %q is still active.", s.Name)
			}
			return panel.Errorf(panel.ECONFLICT, "Delete the user's servers first; server %q is still active.", s.Name)
		}
	}
	bal, err := d.Records.Balance(ctx, userID)
	if err != nil {
		return err
	}
	if bal.BalanceMinor > 0 {
		if self {
			return panel.Errorf(panel.ECONFLICT, "Your balance is still in credit. Contact support to have it refunded, then close your account.")
		}
		return panel.Errorf(panel.ECONFLICT, "The user's balance is still in credit. Refund it first, then delete the account.")
	}
	if u.Email != ErasedEmail(userID) {
		me, err := d.managedUser(ctx, userID, u.Email)
		switch {
		case err == nil:
			if err := d.Deleter.DeleteUser(ctx, me.Subject); err != nil {
				return err
			}
		case panel.ErrorCode(err) != panel.ENOTFOUND:
			return err
		}
	}
	if vd, ok := d.VirtFusion.(VirtFusionDeleter); ok {
		if err := vd.DeleteUser(ctx, userID); err != nil {
			return err
		}
	}
	tokens, err := d.Tokens.UserAPITokens(ctx, userID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if err := d.Tokens.RevokeAPIToken(ctx, userID, t.ID); err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
			return err
		}
	}
	if _, err := d.Users.UpdateUser(ctx, userID, ErasedEmail(userID), erasedName, panel.RoleCustomer); err != nil &&
		panel.ErrorCode(err) != panel.ENOTFOUND {
		return err
	}
	if d.Audit != nil {
		if err := d.Audit.RecordAudit(ctx, panel.AuditEntry{UserID: userID, Actor: actor, Action: panel.ActAccountErase,
			Target: "user:" + userID, Outcome: panel.OutcomeOK, IP: ip}); err != nil {
			return err
		}
	}
	return d.Sessions.DeleteUserSessions(ctx, userID)
}
