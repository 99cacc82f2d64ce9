package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// AdminSession is one of a user's sessions, without its id or CSRF token.
type AdminSession struct {
	IP         string    `json:"ip"`
	UserAgent  string    `json:"userAgent"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	MFA        bool      `json:"mfa"`
}

// ConsoleUserDetail is the body of GET /api/admin/users/{id}: the user,
// balance and servers, and the first page of the ledger, activity and
// notifications (each pages on at its own route), and the sessions.
type ConsoleUserDetail struct {
	User                panel.User           `json:"user"`
	BalanceMinor        int64                `json:"balanceMinor"`
	Currency            string               `json:"currency"`
	Servers             []AdminServer        `json:"servers"`
	Transactions        []*panel.LedgerEntry `json:"transactions"`
	NextCursor          string               `json:"nextCursor"`
	Sessions            []AdminSession       `json:"sessions"`
	Activity            []AdminAuditEntry    `json:"activity"`
	ActivityCursor      string               `json:"activityCursor"`
	Notifications       []*panel.Delivery    `json:"notifications"`
	NotificationsCursor string               `json:"notificationsCursor"`
}

// BlockRequest is the body of POST /api/admin/users/{id}/block.
type BlockRequest struct {
	Blocked        bool `json:"blocked"`
	SuspendServers bool `json:"suspendServers"` // when blocking: suspend the user's active servers too
}

// Blocked is the answer to POST /api/admin/users/{id}/block.
type Blocked struct {
	User             panel.User `json:"user"`
	SuspendedServers []int64    `json:"suspendedServers"`
}

// RoleRequest is the body of PUT /api/admin/users/{id}/role.
type RoleRequest struct {
	Role string `json:"role" enum:"customer,admin"`
}

// Valid implements httpx.Validator.
func (q *RoleRequest) Valid() map[string]string {
	if q.Role != panel.RoleCustomer && q.Role != panel.RoleAdmin {
		return map[string]string{"role": "Use customer or admin."}
	}
	return nil
}

// LinkRequest is the body of POST /api/admin/users/{id}/virtfusion-link.
type LinkRequest struct {
	VFUserID int64 `json:"vfUserId"`
}

// Valid implements httpx.Validator.
func (q *LinkRequest) Valid() map[string]string {
	if q.VFUserID <= 0 {
		return map[string]string{"vfUserId": "Enter the VirtFusion user id (a positive number)."}
	}
	return nil
}

// DeleteUserRequest is the body of DELETE /api/admin/users/{id}.
type DeleteUserRequest struct {
	Confirm string `json:"confirm"` // the user's email, typed again
}

// ConsoleUserBody is an answer carrying one user.
type ConsoleUserBody struct {
	User panel.User `json:"user"`
}

// Done is the answer of an action with nothing else to say.
type Done struct {
	OK bool `json:"ok"`
}

// ConsoleUser is a user in the console's list, with the balance.
type ConsoleUser struct {
	*panel.User
	BalanceMinor int64 `json:"balanceMinor"`
}

// users serves GET /api/admin/users: one index Query for the page of
// users and one BatchGetItem for their balances, whatever the page size.
func (h *console) users(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	uq := panel.UserQuery{Search: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), Sort: q.Get("sort"),
		Cursor: q.Get("cursor"), Limit: queryLimit(r, 25), NegativeBalance: q.Get("negative") == "true"}
	bad := map[string]string{}
	if uq.Role != "" && uq.Role != panel.RoleCustomer && uq.Role != panel.RoleAdmin {
		bad["role"] = "Use customer or admin."
	}
	if uq.Sort != "" && uq.Sort != panel.SortCreatedAsc && uq.Sort != panel.SortCreatedDesc {
		bad["sort"] = "Use created or -created."
	}
	blocked, err := queryBool(r, "blocked")
	if err != nil {
		return err
	}
	uq.Blocked = blocked
	if len(bad) > 0 {
		return panel.Invalid(bad)
	}
	users, next, err := h.d.Store.FindUsers(r.Context(), uq)
	if err != nil {
		return err
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	bals, err := h.d.Billing.Store.Balances(r.Context(), ids)
	if err != nil {
		return err
	}
	out := make([]ConsoleUser, 0, len(users))
	for _, u := range users {
		cu := ConsoleUser{User: u}
		if b := bals[u.ID]; b != nil {
			cu.BalanceMinor = b.BalanceMinor
		}
		out = append(out, cu)
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(out, next))
}

// target reads the user a /api/admin/users/{id} route names.
func (h *console) target(r *http.Request) (*panel.Principal, *panel.User, error) {
	p, err := admin(r)
	if err != nil {
		return nil, nil, err
	}
	u, err := h.d.Users.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	return p, u, nil
}

// user serves GET /api/admin/users/{id}.
func (h *console) user(w http.ResponseWriter, r *http.Request) error {
	_, u, err := h.target(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	b, err := h.d.Billing.Store.Balance(ctx, u.ID)
	if err != nil {
		return err
	}
	servers, err := userServers(ctx, h.d.Deps, u)
	if err != nil {
		return err
	}
	entries, next, err := h.d.Billing.Store.Entries(ctx, u.ID, panel.EntryFilter{Limit: 25})
	if err != nil {
		return err
	}
	sessions, err := h.d.Accounts.Sessions(ctx, u.ID)
	if err != nil {
		return err
	}
	acts, actNext, err := h.d.Audit.Activity(ctx, u.ID, "", 25)
	if err != nil {
		return err
	}
	mail, mailNext, err := h.d.Mail.History(ctx, u.ID, "", 25)
	if err != nil {
		return err
	}
	out := ConsoleUserDetail{User: *u, BalanceMinor: b.BalanceMinor, Currency: h.d.Billing.Currency, Servers: servers,
		Transactions: entries, NextCursor: next, Sessions: []AdminSession{}, Activity: auditView(acts),
		ActivityCursor: actNext, Notifications: mail, NotificationsCursor: mailNext}
	if out.Transactions == nil {
		out.Transactions = []*panel.LedgerEntry{}
	}
	if out.Notifications == nil {
		out.Notifications = []*panel.Delivery{}
	}
	for _, s := range sessions {
		out.Sessions = append(out.Sessions, AdminSession{IP: s.IP, UserAgent: s.UserAgent, CreatedAt: s.CreatedAt,
			LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt, MFA: s.MFA})
	}
	return httpx.Encode(w, http.StatusOK, out)
}

// transactions serves GET /api/admin/users/{id}/transactions.
func (h *console) transactions(w http.ResponseWriter, r *http.Request) error {
	_, u, err := h.target(r)
	if err != nil {
		return err
	}
	entries, next, err := h.d.Billing.Store.Entries(r.Context(), u.ID,
		panel.EntryFilter{Cursor: r.URL.Query().Get("cursor"), Limit: queryLimit(r, 25)})
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(entries, next))
}

// activity serves GET /api/admin/users/{id}/activity.
func (h *console) activity(w http.ResponseWriter, r *http.Request) error {
	_, u, err := h.target(r)
	if err != nil {
		return err
	}
	es, next, err := h.d.Audit.Activity(r.Context(), u.ID, r.URL.Query().Get("cursor"), queryLimit(r, 25))
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(auditView(es), next))
}

// notifications serves GET /api/admin/users/{id}/notifications.
func (h *console) notifications(w http.ResponseWriter, r *http.Request) error {
	_, u, err := h.target(r)
	if err != nil {
		return err
	}
	ds, next, err := h.d.Mail.History(r.Context(), u.ID, r.URL.Query().Get("cursor"), queryLimit(r, 25))
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(ds, next))
}

type blockState struct {
	Blocked bool `json:"blocked"`
}

// block serves POST /api/admin/users/{id}/block: the identity provider
// first (so the user cannot sign in again), then the panel's flag; blocking
// ends every session and API token, and may suspend the active servers.
func (h *console) block(w http.ResponseWriter, r *http.Request) error {
	p, u, err := h.target(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[BlockRequest](r)
	if err != nil {
		return err
	}
	if u.ID == p.UserID && req.Blocked {
		return panel.Errorf(panel.ECONFLICT, "You cannot block yourself.")
	}
	action := panel.ActAdminUserUnblock
	if req.Blocked {
		action = panel.ActAdminUserBlock
	}
	before := blockState{u.Blocked}
	ctx := r.Context()
	err = h.d.Accounts.SetBlocked(ctx, u, req.Blocked)
	var after *panel.User
	if err == nil {
		after, err = h.d.Store.SetBlocked(ctx, u.ID, req.Blocked)
	}
	if err != nil {
		return h.record(r, p, u.ID, action, "user:"+u.ID, before, nil, err)
	}
	if err := h.record(r, p, u.ID, action, "user:"+u.ID, before, blockState{after.Blocked}, nil); err != nil {
		return err
	}
	out := Blocked{User: *after, SuspendedServers: []int64{}}
	if req.Blocked && req.SuspendServers {
		out.SuspendedServers, err = h.suspendAll(r, p, u)
		if err != nil {
			return err
		}
	}
	return httpx.Encode(w, http.StatusOK, out)
}

// suspendAll suspends a user's active billed servers, each audited.
func (h *console) suspendAll(r *http.Request, p *panel.Principal, u *panel.User) ([]int64, error) {
	if h.d.Servers == nil {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "VirtFusion is not configured.")
	}
	billed, err := h.d.Billing.Store.UserServers(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	done := []int64{}
	for _, s := range billed {
		if s.Status != panel.BilledActive {
			continue
		}
		err := h.d.Servers.Suspend(r.Context(), s.ServerID)
		if err := h.record(r, p, u.ID, panel.ActAdminServerSuspend, serverTarget(s.ServerID), suspendState{false}, suspendState{true}, err); err != nil {
			return done, err
		}
		done = append(done, s.ServerID)
	}
	return done, nil
}

type roleState struct {
	Role string `json:"role"`
}

// role serves PUT /api/admin/users/{id}/role. The role overrides what the
// identity provider's claims say from then on; the user's sessions end so
// the next sign-in carries the new role.
func (h *console) role(w http.ResponseWriter, r *http.Request) error {
	p, u, err := h.target(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[RoleRequest](r)
	if err != nil {
		return err
	}
	if u.ID == p.UserID && req.Role != panel.RoleAdmin {
		return panel.Errorf(panel.ECONFLICT, "You cannot take away your own admin role.")
	}
	after, err := h.d.Store.SetRoleOverride(r.Context(), u.ID, req.Role)
	if err == nil && after.Role != u.Role {
		err = h.d.Accounts.RevokeAccess(r.Context(), u.ID)
	}
	if err := h.record(r, p, u.ID, panel.ActAdminUserRole, "user:"+u.ID, roleState{u.Role}, roleState(req), err); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, ConsoleUserBody{User: *after})
}

type linkState struct {
	VFUserID int64 `json:"vfUserId"`
}

// link serves POST /api/admin/users/{id}/virtfusion-link: it records an
// existing VirtFusion user as the panel user's account (the way out when
// sign-up found the email taken in VirtFusion). VirtFusion's API finds
// users by id only through their servers list, which answers 404 for an
// unknown user.
func (h *console) link(w http.ResponseWriter, r *http.Request) error {
	p, u, err := h.target(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[LinkRequest](r)
	if err != nil {
		return err
	}
	if h.d.Servers == nil {
		return panel.Errorf(panel.EUNAVAILABLE, "VirtFusion is not configured.")
	}
	if u.Linked() {
		return panel.Errorf(panel.ECONFLICT, "The user is linked to VirtFusion user %d already.", u.VFUserID)
	}
	_, err = h.d.Servers.UserServerIDs(r.Context(), req.VFUserID)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		err = &panel.Error{Code: panel.EINVALID, Message: "VirtFusion has no such user.",
			Fields: map[string]string{"vfUserId": "VirtFusion has no user with this id."}}
	}
	var after *panel.User
	if err == nil {
		after, err = h.d.Store.LinkVirtFusion(r.Context(), u.ID, req.VFUserID)
	}
	if err == nil {
		// Sessions carry the VirtFusion id; the next sign-in picks it up.
		err = h.d.Accounts.RevokeAccess(r.Context(), u.ID)
	}
	if err := h.record(r, p, u.ID, panel.ActAdminUserLink, "user:"+u.ID, linkState{u.VFUserID}, linkState(req), err); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, ConsoleUserBody{User: *after})
}

// passwordReset serves POST /api/admin/users/{id}/password-reset.
func (h *console) passwordReset(w http.ResponseWriter, r *http.Request) error {
	p, u, err := h.target(r)
	if err != nil {
		return err
	}
	err = h.d.Accounts.ResetPassword(r.Context(), u)
	if err := h.record(r, p, u.ID, panel.ActAdminUserPasswordReset, "user:"+u.ID, nil, nil, err); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, Done{OK: true})
}

// deleteUser serves DELETE /api/admin/users/{id} through the customer's
// own erase path (refused while servers are active or credit remains).
func (h *console) deleteUser(w http.ResponseWriter, r *http.Request) error {
	p, u, err := h.target(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[DeleteUserRequest](r)
	if err != nil {
		return err
	}
	if !strings.EqualFold(strings.TrimSpace(req.Confirm), u.Email) {
		return panel.Invalid(map[string]string{"confirm": "Type the user's email address to confirm."})
	}
	if u.ID == p.UserID {
		return panel.Errorf(panel.ECONFLICT, "You cannot delete yourself here; use Account → Delete account.")
	}
	err = h.d.Accounts.Erase(r.Context(), u, p.UserID, httpx.ClientIP(r))
	// The entry names the account by id only: the email is what erasing removes.
	if err := h.record(r, p, u.ID, panel.ActAdminUserDelete, "user:"+u.ID, nil, nil, err); err != nil {
		return err
	}
	return httpx.NoContent(w)
}
