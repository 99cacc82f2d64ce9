package panel

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Ticket categories, priorities and statuses.
var (
	TicketCategories = []string{"billing", "technical", "sales", "abuse"}
	TicketPriorities = []string{"low", "normal", "high", "urgent"}
	TicketStatuses   = []string{TicketOpen, TicketPending, TicketClosed}
)

// Ticket statuses: open (being worked on), pending (on hold, usually for
// the customer) and closed.
const (
	TicketOpen    = "open"
	TicketPending = "pending"
	TicketClosed  = "closed"
)

// Who a ticket waits on: the side that did not write the last public
// message.
const (
	WaitingOnStaff    = "staff"
	WaitingOnCustomer = "customer"
)

// Limits of ticket text.
const (
	MaxTicketSubject = 200
	MaxTicketBody    = 20000
)

// Ticket is a support request of one customer.
type Ticket struct {
	ID       string `json:"id"`
	UserID   string `json:"userId"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Subject  string `json:"subject"`
	Category string `json:"category" enum:"billing,technical,sales,abuse"`
	Priority string `json:"priority" enum:"low,normal,high,urgent"`
	Status   string `json:"status" enum:"open,pending,closed"`
	// ServerID is the customer's server the ticket is about (0: none).
	ServerID     int64     `json:"serverId"`
	ServerName   string    `json:"serverName"`
	AssigneeID   string    `json:"assigneeId"`
	AssigneeName string    `json:"assigneeName"`
	WaitingOn    string    `json:"waitingOn" enum:"staff,customer"`
	CreatedAt    time.Time `json:"createdAt"`
	// LastActivityAt is when the last public message or status change was.
	LastActivityAt time.Time `json:"lastActivityAt"`
	// Unread: something the viewer has not seen yet (a staff reply for the
	// customer, a customer message for staff).
	Unread bool `json:"unread"`

	LastCustomerAt time.Time `json:"-"`
	LastStaffAt    time.Time `json:"-"`
	CustomerSeenAt time.Time `json:"-"`
	StaffSeenAt    time.Time `json:"-"`
}

// UnreadFor reports whether the customer (staff false) or staff have
// something new in t.
func (t *Ticket) UnreadFor(staff bool) bool {
	if staff {
		return t.LastCustomerAt.After(t.StaffSeenAt)
	}
	return t.LastStaffAt.After(t.CustomerSeenAt)
}

// TicketMessage is one message of a ticket's thread. Internal messages are
// staff notes the customer never sees.
type TicketMessage struct {
	ID         string    `json:"id"`
	TicketID   string    `json:"ticketId"`
	AuthorID   string    `json:"authorId"`
	AuthorName string    `json:"authorName"`
	Staff      bool      `json:"staff"`
	Internal   bool      `json:"internal"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"createdAt"`
}

// CannedReply is a saved staff answer, also given to the AI drafter as the
// company's knowledge.
type CannedReply struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// TicketChange is a staff change of a ticket; nil fields stay as they are.
type TicketChange struct {
	Status       *string
	Priority     *string
	AssigneeID   *string
	AssigneeName *string
}

// TicketQuery filters the staff queue. Status is required; the other
// fields are optional ("" matches all). Assignee "none" matches unassigned
// tickets.
type TicketQuery struct {
	Status    string
	Category  string
	Priority  string
	Assignee  string
	WaitingOn string
	Cursor    string
	Limit     int
}

// CheckText reports a problem with a required text field of at most max
// characters, or "".
func CheckText(s string, max int) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "Required."
	case utf8.RuneCountInString(s) > max:
		return "At most " + strconv.Itoa(max) + " characters."
	}
	return ""
}

// ValidTicketField reports whether v is one of allowed.
func ValidTicketField(v string, allowed []string) bool { return slices.Contains(allowed, v) }

// TicketStore keeps tickets, their threads and canned replies. Writes that
// cause notifications take them, to queue in the same transaction.
type TicketStore interface {
	// CreateTicket stores t with its first message.
	CreateTicket(ctx context.Context, t *Ticket, first *TicketMessage, notes []Notification) error
	// Ticket returns one ticket: ENOTFOUND when there is none.
	Ticket(ctx context.Context, id string) (*Ticket, error)
	// Messages lists a thread oldest first; internal notes only when asked.
	Messages(ctx context.Context, ticketID string, internal bool) ([]*TicketMessage, error)
	// AddMessage appends m and updates the ticket's activity, waiting side
	// and (reopen) status; ENOTFOUND for no ticket.
	AddMessage(ctx context.Context, m *TicketMessage, reopen bool, notes []Notification) (*Ticket, error)
	// ChangeTicket applies c; ENOTFOUND for no ticket.
	ChangeTicket(ctx context.Context, id string, c TicketChange, notes []Notification) (*Ticket, error)
	// MarkSeen records that the customer (staff false) or staff read t now.
	MarkSeen(ctx context.Context, id string, staff bool) error
	// UserTickets lists a customer's tickets by last activity, newest
	// first; status "" for all. EINVALID for a bad cursor.
	UserTickets(ctx context.Context, userID, status, cursor string, limit int) ([]*Ticket, string, error)
	// Queue lists tickets of one status by last activity, oldest first (the
	// longest waiting on top). EINVALID for a bad cursor.
	Queue(ctx context.Context, q TicketQuery) ([]*Ticket, string, error)
	CannedReplies(ctx context.Context) ([]*CannedReply, error)
	// PutCannedReply creates or replaces r (by ID).
	PutCannedReply(ctx context.Context, r *CannedReply) error
	// DeleteCannedReply removes one: ENOTFOUND when there is none.
	DeleteCannedReply(ctx context.Context, id string) error
}

// DraftRequest is what an AI drafter gets to write a staff reply: the
// ticket, its thread (internal notes included, marked as such), a summary
// of the customer's account and the company's canned replies.
type DraftRequest struct {
	Ticket    *Ticket
	Messages  []*TicketMessage
	Customer  string
	Knowledge []*CannedReply
	StaffName string
}

// Draft is an AI-written reply for a human to edit; it is never sent as is.
type Draft struct {
	Text         string `json:"text"`
	Model        string `json:"model"`
	PromptTokens int    `json:"promptTokens"`
	OutputTokens int    `json:"outputTokens"`
}

// ReplyDrafter writes reply drafts. Errors: EUNAVAILABLE (not set up, or
// the model is down), ETIMEOUT, ERATELIMITED (with RetryAfter), EUPSTREAM
// (refused, e.g. a safety block).
type ReplyDrafter interface {
	DraftReply(ctx context.Context, req DraftRequest) (*Draft, error)
}
