// Package tickets serves the support function: customers' tickets
// (/api/tickets) and the staff help desk (/api/admin/tickets, canned
// replies, the customer's context and AI-drafted replies).
package tickets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Creation limit per customer: tickets are cheap to open and each one
// alerts staff.
const (
	CreateLimit  = 10
	CreateWindow = time.Hour
)

// Users is the part of the accounts store the staff views read.
type Users interface {
	User(ctx context.Context, id string) (*panel.User, error)
}

// Billing is the part of billing the tickets read: a customer's servers
// (ownership of a ticket's server), balance and payments.
type Billing interface {
	Balance(ctx context.Context, userID string) (*panel.Balance, error)
	UserServers(ctx context.Context, userID string) ([]*panel.BilledServer, error)
	Entries(ctx context.Context, userID string, f panel.EntryFilter) ([]*panel.LedgerEntry, string, error)
}

// Deps are the support function's dependencies. LiveServers (VirtFusion,
// by its user id) and Drafter are optional.
type Deps struct {
	Tickets     panel.TicketStore
	Limiter     panel.RateLimiter
	Audit       panel.AuditLog
	Users       Users
	Billing     Billing
	LiveServers func(ctx context.Context, vfUserID int64) ([]*panel.Server, error)
	Drafter     panel.ReplyDrafter
	Currency    string
	Now         func() time.Time
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Handlers returns the support function's routes.
func Handlers(d Deps) httpx.Handlers {
	h := &handler{d: d}
	return httpx.Handlers{
		"GET /api/tickets":                httpx.HandlerFunc(h.list),
		"POST /api/tickets":               httpx.HandlerFunc(h.create),
		"GET /api/tickets/unread":         httpx.HandlerFunc(h.unread),
		"GET /api/tickets/{id}":           httpx.HandlerFunc(h.thread),
		"POST /api/tickets/{id}/messages": httpx.HandlerFunc(h.reply),
		"POST /api/tickets/{id}/close":    httpx.HandlerFunc(h.close),
		"POST /api/tickets/{id}/reopen":   httpx.HandlerFunc(h.reopen),

		"GET /api/admin/tickets":                httpx.HandlerFunc(h.queue),
		"GET /api/admin/tickets/{id}":           httpx.HandlerFunc(h.staffThread),
		"PATCH /api/admin/tickets/{id}":         httpx.HandlerFunc(h.change),
		"POST /api/admin/tickets/{id}/messages": httpx.HandlerFunc(h.staffReply),
		"POST /api/admin/tickets/{id}/draft":    httpx.HandlerFunc(h.draft),
		"GET /api/admin/tickets/{id}/context":   httpx.HandlerFunc(h.context),
		"GET /api/admin/canned-replies":         httpx.HandlerFunc(h.canned),
		"POST /api/admin/canned-replies":        httpx.HandlerFunc(h.createCanned),
		"PUT /api/admin/canned-replies/{id}":    httpx.HandlerFunc(h.updateCanned),
		"DELETE /api/admin/canned-replies/{id}": httpx.HandlerFunc(h.deleteCanned),
	}
}

// handler serves the support routes.
type handler struct{ d Deps }

// NewTicketRequest is the body of POST /api/tickets.
type NewTicketRequest struct {
	Subject  string `json:"subject"`
	Category string `json:"category" enum:"billing,technical,sales,abuse"`
	Priority string `json:"priority" enum:"low,normal,high,urgent"`
	// ServerID links one of the customer's servers (0 or absent: none).
	ServerID int64  `json:"serverId,omitempty"`
	Body     string `json:"body"`
}

// Valid implements httpx.Validator.
func (r NewTicketRequest) Valid() map[string]string {
	bad := map[string]string{}
	if p := panel.CheckText(r.Subject, panel.MaxTicketSubject); p != "" {
		bad["subject"] = p
	}
	if p := panel.CheckText(r.Body, panel.MaxTicketBody); p != "" {
		bad["body"] = p
	}
	if !panel.ValidTicketField(r.Category, panel.TicketCategories) {
		bad["category"] = "Use billing, technical, sales or abuse."
	}
	if !panel.ValidTicketField(r.Priority, panel.TicketPriorities) {
		bad["priority"] = "Use low, normal, high or urgent."
	}
	if r.ServerID < 0 {
		bad["serverId"] = "Not a server id."
	}
	return bad
}

// MessageRequest is the body of POST /api/tickets/{id}/messages.
type MessageRequest struct {
	Body string `json:"body"`
}

// Valid implements httpx.Validator.
func (r MessageRequest) Valid() map[string]string {
	if p := panel.CheckText(r.Body, panel.MaxTicketBody); p != "" {
		return map[string]string{"body": p}
	}
	return nil
}

// StaffMessageRequest is the body of POST /api/admin/tickets/{id}/messages.
type StaffMessageRequest struct {
	Body string `json:"body"`
	// Internal: a note for staff only; the customer never sees it and is
	// not told.
	Internal bool `json:"internal"`
}

// Valid implements httpx.Validator.
func (r StaffMessageRequest) Valid() map[string]string { return MessageRequest{Body: r.Body}.Valid() }

// ChangeRequest is the body of PATCH /api/admin/tickets/{id}; absent
// fields stay as they are. Assignee "" unassigns; "me" assigns the caller.
type ChangeRequest struct {
	Status   *string `json:"status,omitempty" enum:"open,pending,closed"`
	Priority *string `json:"priority,omitempty" enum:"low,normal,high,urgent"`
	Assignee *string `json:"assignee,omitempty"`
}

// Valid implements httpx.Validator.
func (r ChangeRequest) Valid() map[string]string {
	bad := map[string]string{}
	if r.Status != nil && !panel.ValidTicketField(*r.Status, panel.TicketStatuses) {
		bad["status"] = "Use open, pending or closed."
	}
	if r.Priority != nil && !panel.ValidTicketField(*r.Priority, panel.TicketPriorities) {
		bad["priority"] = "Use low, normal, high or urgent."
	}
	if r.Assignee != nil && *r.Assignee != "" && httpx.PathIDProblem(*r.Assignee) != "" {
		bad["assignee"] = "Not a user id."
	}
	if r.Status == nil && r.Priority == nil && r.Assignee == nil {
		bad["status"] = "Change at least one of status, priority and assignee."
	}
	return bad
}

// CannedRequest is the body of POST and PUT /api/admin/canned-replies.
type CannedRequest struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Valid implements httpx.Validator.
func (r CannedRequest) Valid() map[string]string {
	bad := map[string]string{}
	if p := panel.CheckText(r.Title, 100); p != "" {
		bad["title"] = p
	}
	if p := panel.CheckText(r.Body, panel.MaxTicketBody); p != "" {
		bad["body"] = p
	}
	return bad
}

// Thread is a ticket with its messages (for staff, internal notes too).
type Thread struct {
	Ticket   *panel.Ticket          `json:"ticket"`
	Messages []*panel.TicketMessage `json:"messages"`
}

// Unread is the body of GET /api/tickets/unread.
type Unread struct {
	Count int `json:"count"`
}

// CannedList is the body of GET /api/admin/canned-replies.
type CannedList struct {
	Items []*panel.CannedReply `json:"items"`
}

// ContextServer is one of the customer's servers as staff see it beside a
// ticket. State is the live power state, or billing's status when
// VirtFusion cannot be read.
type ContextServer struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	State     string `json:"state"`
	Suspended bool   `json:"suspended"`
}

// CustomerContext is the body of GET /api/admin/tickets/{id}/context.
type CustomerContext struct {
	User         panel.User           `json:"user"`
	BalanceMinor int64                `json:"balanceMinor"`
	Currency     string               `json:"currency"`
	Servers      []ContextServer      `json:"servers"`
	Activity     []panel.AuditEntry   `json:"activity"`
	Payments     []*panel.LedgerEntry `json:"payments"`
}

func caller(r *http.Request) (*panel.Principal, error) {
	p := panel.PrincipalFrom(r.Context())
	if p == nil || p.UserID == "" {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "Sign in first.")
	}
	return p, nil
}

func staff(r *http.Request) (*panel.Principal, error) {
	p, err := caller(r)
	if err != nil {
		return nil, err
	}
	if !p.IsAdmin() {
		return nil, panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
	}
	return p, nil
}

// own returns the caller's ticket {id}: a ticket of anyone else is "not
// found", exactly like one that does not exist.
func (h *handler) own(r *http.Request) (*panel.Principal, *panel.Ticket, error) {
	p, err := caller(r)
	if err != nil {
		return nil, nil, err
	}
	t, err := h.d.Tickets.Ticket(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	if t.UserID != p.UserID {
		return nil, nil, panel.NotFound("ticket")
	}
	return p, t, nil
}

func name(p *panel.Principal) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// newID returns a time-ordered random id with prefix.
func newID(prefix string, at time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + strconv.FormatInt(at.UnixMilli(), 36) + hex.EncodeToString(b[:])
}

func newTicketID(at time.Time) string  { return newID("t_", at) }
func newMessageID(at time.Time) string { return newID("m_", at) }
func newCannedID(at time.Time) string  { return newID("c_", at) }

// excerpt shortens a message for mail and alerts.
func excerpt(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 500 {
		return s
	}
	return string([]rune(s)[:500]) + "…"
}

// list serves GET /api/tickets.
func (h *handler) list(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status := q.Get("status")
	if status != "" && !panel.ValidTicketField(status, panel.TicketStatuses) {
		return panel.Invalid(map[string]string{"status": "Use open, pending or closed."})
	}
	items, next, err := h.d.Tickets.UserTickets(r.Context(), p.UserID, status, q.Get("cursor"), 25)
	if err != nil {
		return err
	}
	for _, t := range items {
		t.Unread = t.UnreadFor(false)
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(items, next))
}

// unread serves GET /api/tickets/unread: how many of the caller's tickets
// have a staff reply they have not read (the shell's badge).
func (h *handler) unread(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	n, cursor := 0, ""
	for range 20 { // at most 2,000 tickets; nobody has more
		items, next, err := h.d.Tickets.UserTickets(r.Context(), p.UserID, "", cursor, 100)
		if err != nil {
			return err
		}
		for _, t := range items {
			if t.UnreadFor(false) {
				n++
			}
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	return httpx.Encode(w, http.StatusOK, Unread{Count: n})
}

// create serves POST /api/tickets.
func (h *handler) create(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[NewTicketRequest](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.d.Limiter.Allow(ctx, "tickets:"+p.UserID, CreateLimit, CreateWindow); err != nil {
		return err
	}
	now := h.d.now().UTC()
	t := &panel.Ticket{ID: newTicketID(now), UserID: p.UserID, Email: p.Email, Name: p.Name,
		Subject: strings.TrimSpace(req.Subject), Category: req.Category, Priority: req.Priority,
		Status: panel.TicketOpen, WaitingOn: panel.WaitingOnStaff, CreatedAt: now, LastActivityAt: now,
		LastCustomerAt: now, CustomerSeenAt: now}
	if req.ServerID > 0 {
		servers, err := h.d.Billing.UserServers(ctx, p.UserID)
		if err != nil {
			return err
		}
		for _, s := range servers {
			if s.ServerID == req.ServerID {
				t.ServerID, t.ServerName = s.ServerID, s.Name
			}
		}
		if t.ServerID == 0 {
			return panel.Invalid(map[string]string{"serverId": "Not one of your servers."})
		}
	}
	m := &panel.TicketMessage{ID: newMessageID(now), TicketID: t.ID, AuthorID: p.UserID, AuthorName: name(p),
		Body: req.Body, CreatedAt: now}
	note := panel.Notification{ID: panel.NotificationID(panel.NotifyStaffTicketNew, t.ID), Kind: panel.NotifyStaffTicketNew,
		UserID: p.UserID, CreatedAt: now, Data: map[string]string{"ticketId": t.ID, "subject": t.Subject, "email": p.Email,
			"category": t.Category, "priority": t.Priority, "excerpt": excerpt(m.Body)}}
	if err := h.d.Tickets.CreateTicket(ctx, t, m, []panel.Notification{note}); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusCreated, Thread{Ticket: t, Messages: []*panel.TicketMessage{m}})
}

// thread serves GET /api/tickets/{id}; reading it marks it read.
func (h *handler) thread(w http.ResponseWriter, r *http.Request) error {
	_, t, err := h.own(r)
	if err != nil {
		return err
	}
	msgs, err := h.d.Tickets.Messages(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	if t.UnreadFor(false) {
		if err := h.d.Tickets.MarkSeen(r.Context(), t.ID, false); err != nil {
			return err
		}
	}
	return httpx.Encode(w, http.StatusOK, Thread{Ticket: t, Messages: msgs})
}

// reply serves POST /api/tickets/{id}/messages. Writing in a closed
// ticket needs reopening it first, so staff see why it came back.
func (h *handler) reply(w http.ResponseWriter, r *http.Request) error {
	p, t, err := h.own(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[MessageRequest](r)
	if err != nil {
		return err
	}
	if t.Status == panel.TicketClosed {
		return panel.Errorf(panel.ECONFLICT, "This ticket is closed. Reopen it to write again.")
	}
	now := h.d.now().UTC()
	m := &panel.TicketMessage{ID: newMessageID(now), TicketID: t.ID, AuthorID: p.UserID, AuthorName: name(p),
		Body: req.Body, CreatedAt: now}
	note := panel.Notification{ID: panel.NotificationID(panel.NotifyStaffTicketReply, m.ID), Kind: panel.NotifyStaffTicketReply,
		UserID: p.UserID, CreatedAt: now, Data: map[string]string{"ticketId": t.ID, "subject": t.Subject, "email": p.Email,
			"excerpt": excerpt(m.Body)}}
	// A customer answering a ticket on hold puts it back in the open queue.
	t, err = h.d.Tickets.AddMessage(r.Context(), m, t.Status == panel.TicketPending, []panel.Notification{note})
	if err != nil {
		return err
	}
	t.Unread = t.UnreadFor(false)
	return httpx.Encode(w, http.StatusCreated, Thread{Ticket: t, Messages: []*panel.TicketMessage{m}})
}

// close serves POST /api/tickets/{id}/close.
func (h *handler) close(w http.ResponseWriter, r *http.Request) error {
	_, t, err := h.own(r)
	if err != nil {
		return err
	}
	if t.Status == panel.TicketClosed {
		return httpx.Encode(w, http.StatusOK, t)
	}
	t, err = h.setStatus(r.Context(), t, panel.TicketClosed)
	if err != nil {
		return err
	}
	t.Unread = t.UnreadFor(false)
	return httpx.Encode(w, http.StatusOK, t)
}

// reopen serves POST /api/tickets/{id}/reopen.
func (h *handler) reopen(w http.ResponseWriter, r *http.Request) error {
	_, t, err := h.own(r)
	if err != nil {
		return err
	}
	if t.Status != panel.TicketClosed {
		return httpx.Encode(w, http.StatusOK, t)
	}
	t, err = h.setStatus(r.Context(), t, panel.TicketOpen)
	if err != nil {
		return err
	}
	t.Unread = t.UnreadFor(false)
	return httpx.Encode(w, http.StatusOK, t)
}

// setStatus changes t's status; closing tells the customer.
func (h *handler) setStatus(ctx context.Context, t *panel.Ticket, status string) (*panel.Ticket, error) {
	return h.d.Tickets.ChangeTicket(ctx, t.ID, panel.TicketChange{Status: &status}, h.statusNotes(t, status))
}

// statusNotes are the notifications of moving t to status: closing tells
// the customer.
func (h *handler) statusNotes(t *panel.Ticket, status string) []panel.Notification {
	if status != panel.TicketClosed || t.Email == "" {
		return nil
	}
	now := h.d.now().UTC()
	return []panel.Notification{{
		ID:   panel.NotificationID(panel.NotifyTicketClosed, t.ID+":"+strconv.FormatInt(now.UnixMilli(), 10)),
		Kind: panel.NotifyTicketClosed, UserID: t.UserID, Email: t.Email, Name: t.Name, CreatedAt: now,
		Data: map[string]string{"ticketId": t.ID, "subject": t.Subject}}}
}

// queue serves GET /api/admin/tickets.
func (h *handler) queue(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	tq := panel.TicketQuery{Status: q.Get("status"), Category: q.Get("category"), Priority: q.Get("priority"),
		Assignee: q.Get("assignee"), WaitingOn: q.Get("waitingOn"), Cursor: q.Get("cursor")}
	if tq.Status == "" {
		tq.Status = panel.TicketOpen
	}
	if tq.Assignee == "me" {
		tq.Assignee = p.UserID
	}
	bad := map[string]string{}
	for field, allowed := range map[string][]string{"status": panel.TicketStatuses, "category": panel.TicketCategories,
		"priority": panel.TicketPriorities, "waitingOn": {panel.WaitingOnStaff, panel.WaitingOnCustomer}} {
		if v := q.Get(field); v != "" && !panel.ValidTicketField(v, allowed) {
			bad[field] = "Use one of " + strings.Join(allowed, ", ") + "."
		}
	}
	if tq.Assignee != "" && tq.Assignee != "none" && httpx.PathIDProblem(tq.Assignee) != "" {
		bad["assignee"] = "Use me, none or a user id."
	}
	if len(bad) > 0 {
		return panel.Invalid(bad)
	}
	items, next, err := h.d.Tickets.Queue(r.Context(), tq)
	if err != nil {
		return err
	}
	for _, t := range items {
		t.Unread = t.UnreadFor(true)
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(items, next))
}

// staffTicket returns ticket {id} for a staff route.
func (h *handler) staffTicket(r *http.Request) (*panel.Principal, *panel.Ticket, error) {
	p, err := staff(r)
	if err != nil {
		return nil, nil, err
	}
	t, err := h.d.Tickets.Ticket(r.Context(), r.PathValue("id"))
	return p, t, err
}

// staffThread serves GET /api/admin/tickets/{id}, internal notes included.
func (h *handler) staffThread(w http.ResponseWriter, r *http.Request) error {
	_, t, err := h.staffTicket(r)
	if err != nil {
		return err
	}
	msgs, err := h.d.Tickets.Messages(r.Context(), t.ID, true)
	if err != nil {
		return err
	}
	t.Unread = t.UnreadFor(true)
	if t.Unread {
		if err := h.d.Tickets.MarkSeen(r.Context(), t.ID, true); err != nil {
			return err
		}
	}
	return httpx.Encode(w, http.StatusOK, Thread{Ticket: t, Messages: msgs})
}

// staffReply serves POST /api/admin/tickets/{id}/messages: a reply the
// customer is mailed about, or an internal note nobody is.
func (h *handler) staffReply(w http.ResponseWriter, r *http.Request) error {
	p, t, err := h.staffTicket(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[StaffMessageRequest](r)
	if err != nil {
		return err
	}
	now := h.d.now().UTC()
	m := &panel.TicketMessage{ID: newMessageID(now), TicketID: t.ID, AuthorID: p.UserID, AuthorName: name(p),
		Staff: true, Internal: req.Internal, Body: req.Body, CreatedAt: now}
	var notes []panel.Notification
	if !req.Internal && t.Email != "" {
		notes = append(notes, panel.Notification{ID: panel.NotificationID(panel.NotifyTicketReply, m.ID),
			Kind: panel.NotifyTicketReply, UserID: t.UserID, Email: t.Email, Name: t.Name, CreatedAt: now,
			Data: map[string]string{"ticketId": t.ID, "subject": t.Subject, "author": m.AuthorName, "excerpt": excerpt(m.Body)}})
	}
	t, err = h.d.Tickets.AddMessage(r.Context(), m, false, notes)
	if err != nil {
		return err
	}
	action := panel.ActTicketReply
	if req.Internal {
		action = panel.ActTicketNote
	}
	h.audit(r, p, t, action, "")
	return httpx.Encode(w, http.StatusCreated, Thread{Ticket: t, Messages: []*panel.TicketMessage{m}})
}

// change serves PATCH /api/admin/tickets/{id}: status, priority, assignee.
func (h *handler) change(w http.ResponseWriter, r *http.Request) error {
	p, t, err := h.staffTicket(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[ChangeRequest](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var c panel.TicketChange
	var changes []string
	if req.Priority != nil && *req.Priority != t.Priority {
		c.Priority = req.Priority
		changes = append(changes, "priority "+t.Priority+" → "+*req.Priority)
	}
	if req.Assignee != nil {
		id, who := *req.Assignee, ""
		if id == "me" {
			id = p.UserID
		}
		if id == p.UserID {
			who = name(p)
		} else if id != "" {
			u, err := h.d.Users.User(ctx, id)
			if err != nil {
				if panel.ErrorCode(err) == panel.ENOTFOUND {
					return panel.Invalid(map[string]string{"assignee": "No such user."})
				}
				return err
			}
			if u.Role != panel.RoleAdmin {
				return panel.Invalid(map[string]string{"assignee": "Only staff can be assigned."})
			}
			who = u.Name
			if who == "" {
				who = u.Email
			}
		}
		if id != t.AssigneeID {
			c.AssigneeID, c.AssigneeName = &id, &who
			changes = append(changes, fmt.Sprintf("assignee %q → %q", t.AssigneeName, who))
		}
	}
	var notes []panel.Notification
	if req.Status != nil && *req.Status != t.Status {
		c.Status = req.Status
		changes = append(changes, "status "+t.Status+" → "+*req.Status)
		notes = h.statusNotes(t, *req.Status)
	}
	if len(changes) == 0 {
		t.Unread = t.UnreadFor(true)
		return httpx.Encode(w, http.StatusOK, t)
	}
	out, err := h.d.Tickets.ChangeTicket(ctx, t.ID, c, notes)
	if err != nil {
		return err
	}
	h.audit(r, p, out, panel.ActTicketChange, strings.Join(changes, "; "))
	out.Unread = out.UnreadFor(true)
	return httpx.Encode(w, http.StatusOK, out)
}

// audit records a staff action on t in the customer's activity (who,
// what, when, before → after); a failure to record is logged, the action
// stands.
func (h *handler) audit(r *http.Request, p *panel.Principal, t *panel.Ticket, action panel.ActivityKind, detail string) {
	err := h.d.Audit.RecordAudit(r.Context(), panel.AuditEntry{UserID: t.UserID, Actor: p.UserID, Action: action,
		Target: "ticket:" + t.ID, Outcome: panel.OutcomeOK, Detail: detail, IP: httpx.ClientIP(r)})
	if err != nil {
		httpx.Logger(r.Context()).Error("tickets: audit not recorded", "action", action, "ticket", t.ID, "err", err)
	}
}

// context serves GET /api/admin/tickets/{id}/context: the customer's
// balance, servers with their state, recent activity and payments.
func (h *handler) context(w http.ResponseWriter, r *http.Request) error {
	_, t, err := h.staffTicket(r)
	if err != nil {
		return err
	}
	c, err := h.customerContext(r.Context(), t.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, c)
}

func (h *handler) customerContext(ctx context.Context, userID string) (*CustomerContext, error) {
	u, err := h.d.Users.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	b, err := h.d.Billing.Balance(ctx, userID)
	if err != nil {
		return nil, err
	}
	activity, _, err := h.d.Audit.Activity(ctx, userID, "", 10)
	if err != nil {
		return nil, err
	}
	payments, _, err := h.d.Billing.Entries(ctx, userID, panel.EntryFilter{Type: panel.EntryTopup, Limit: 5})
	if err != nil {
		return nil, err
	}
	servers, err := h.servers(ctx, u)
	if err != nil {
		return nil, err
	}
	return &CustomerContext{User: *u, BalanceMinor: b.BalanceMinor, Currency: h.d.Currency, Servers: servers,
		Activity: activity, Payments: payments}, nil
}

// servers lists the customer's servers live from VirtFusion, or from
// billing's records (state active/stopped) when VirtFusion cannot answer.
func (h *handler) servers(ctx context.Context, u *panel.User) ([]ContextServer, error) {
	out := []ContextServer{}
	if h.d.LiveServers != nil && u.Linked() {
		live, err := h.d.LiveServers(ctx, u.VFUserID)
		if err == nil {
			for _, s := range live {
				out = append(out, ContextServer{ID: s.ID, Name: s.Name, State: s.Power, Suspended: s.Suspended})
			}
			return out, nil
		}
		httpx.Logger(ctx).Warn("tickets: VirtFusion servers unavailable", "user", u.ID, "err", err)
	}
	billed, err := h.d.Billing.UserServers(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range billed {
		out = append(out, ContextServer{ID: s.ServerID, Name: s.Name, State: s.Status, Suspended: s.Suspended})
	}
	return out, nil
}

// draft serves POST /api/admin/tickets/{id}/draft: an AI-written reply for
// staff to edit. It only answers; nothing is stored or sent.
func (h *handler) draft(w http.ResponseWriter, r *http.Request) error {
	p, t, err := h.staffTicket(r)
	if err != nil {
		return err
	}
	if h.d.Drafter == nil {
		return panel.Errorf(panel.EUNAVAILABLE, "AI drafting is not set up (no Gemini API key). Write the reply yourself.")
	}
	ctx := r.Context()
	msgs, err := h.d.Tickets.Messages(ctx, t.ID, true)
	if err != nil {
		return err
	}
	knowledge, err := h.d.Tickets.CannedReplies(ctx)
	if err != nil {
		return err
	}
	c, err := h.customerContext(ctx, t.UserID)
	if err != nil {
		return err
	}
	d, err := h.d.Drafter.DraftReply(ctx, panel.DraftRequest{Ticket: t, Messages: msgs, Customer: summary(c),
		Knowledge: knowledge, StaffName: name(p)})
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, d)
}

// summary is the customer's context in words for the drafter; no secrets,
// no payment references.
func summary(c *CustomerContext) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Customer: %s, since %s.\n", c.User.Name, c.User.CreatedAt.Format("2 Jan 2006"))
	fmt.Fprintf(&b, "Balance: %s %.2f.\n", c.Currency, float64(c.BalanceMinor)/100)
	for _, s := range c.Servers {
		state := s.State
		if s.Suspended {
			state += ", suspended"
		}
		fmt.Fprintf(&b, "Server %d %q: %s.\n", s.ID, s.Name, state)
	}
	for _, p := range c.Payments {
		fmt.Fprintf(&b, "Payment %s: %s %.2f.\n", p.CreatedAt.Format("2 Jan 2006"), p.Currency, float64(p.AmountMinor)/100)
	}
	for _, a := range c.Activity {
		fmt.Fprintf(&b, "Activity %s: %s %s (%s).\n", a.At.Format("2 Jan 2006 15:04"), a.Action, a.Target, a.Outcome)
	}
	return b.String()
}

// canned serves GET /api/admin/canned-replies.
func (h *handler) canned(w http.ResponseWriter, r *http.Request) error {
	if _, err := staff(r); err != nil {
		return err
	}
	items, err := h.d.Tickets.CannedReplies(r.Context())
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, CannedList{Items: items})
}

// createCanned serves POST /api/admin/canned-replies.
func (h *handler) createCanned(w http.ResponseWriter, r *http.Request) error {
	return h.putCanned(w, r, "")
}

// updateCanned serves PUT /api/admin/canned-replies/{id}.
func (h *handler) updateCanned(w http.ResponseWriter, r *http.Request) error {
	return h.putCanned(w, r, r.PathValue("id"))
}

func (h *handler) putCanned(w http.ResponseWriter, r *http.Request, id string) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[CannedRequest](r)
	if err != nil {
		return err
	}
	now := h.d.now().UTC()
	status := http.StatusOK
	if id == "" {
		id, status = newCannedID(now), http.StatusCreated
	} else if !h.cannedExists(r.Context(), id) {
		return panel.NotFound("canned reply")
	}
	c := &panel.CannedReply{ID: id, Title: strings.TrimSpace(req.Title), Body: req.Body, UpdatedAt: now}
	if err := h.d.Tickets.PutCannedReply(r.Context(), c); err != nil {
		return err
	}
	httpx.Logger(r.Context()).Info("audit: canned reply saved", "admin", p.UserID, "canned", id)
	return httpx.Encode(w, status, c)
}

func (h *handler) cannedExists(ctx context.Context, id string) bool {
	all, err := h.d.Tickets.CannedReplies(ctx)
	if err != nil {
		return false
	}
	for _, c := range all {
		if c.ID == id {
			return true
		}
	}
	return false
}

// deleteCanned serves DELETE /api/admin/canned-replies/{id}.
func (h *handler) deleteCanned(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	if err := h.d.Tickets.DeleteCannedReply(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	httpx.Logger(r.Context()).Info("audit: canned reply deleted", "admin", p.UserID, "canned", r.PathValue("id"))
	return httpx.NoContent(w)
}
