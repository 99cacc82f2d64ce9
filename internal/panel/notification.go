package panel

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// NotificationKind names an event someone is told about. Customer kinds go
// by email to the customer; staff kinds (Staff reports true) go to the
// company's Discord channel.
type NotificationKind string

// Customer events.
const (
	// NotifyWelcome greets a new customer and asks them to verify the address.
	NotifyWelcome NotificationKind = "welcome"
	// NotifyExistingAccount tells an account's owner that someone tried
	// to register their email again.
	NotifyExistingAccount NotificationKind = "existing-account"
	// NotifyNewDevice tells a customer their account was signed in from a new device.
	NotifyNewDevice NotificationKind = "new-device"
	// NotifyTopupCredited is the receipt for a top-up credited to the wallet.
	NotifyTopupCredited NotificationKind = "topup-credited"
	// NotifyAutoTopupFailed says an auto top-up could not charge the saved
	// PayPal wallet (a successful one sends NotifyTopupCredited).
	NotifyAutoTopupFailed NotificationKind = "auto-topup-failed"
	// NotifyRefundDebited tells a customer a refund or reversal was debited.
	NotifyRefundDebited NotificationKind = "refund-debited"
	// NotifyOrderBuilt says a server is ready, with its IP and first-login
	// help; it carries the root password only if the customer chose
	// password login.
	NotifyOrderBuilt NotificationKind = "order-built"
	// NotifyBuildFailed says a server could not be built and was refunded.
	NotifyBuildFailed NotificationKind = "build-failed"
	// NotifyLowBalance warns that the balance runs out within Data["hours"]
	// hours (72 or 24) at the current spend.
	NotifyLowBalance NotificationKind = "low-balance"
	// NotifySuspended says servers were suspended for a negative balance.
	NotifySuspended NotificationKind = "suspended"
	// NotifyUnsuspended says servers run again after a top-up.
	NotifyUnsuspended NotificationKind = "unsuspended"
	// NotifyDeletionScheduled is the final warning before servers are deleted.
	NotifyDeletionScheduled NotificationKind = "deletion-scheduled"
	// NotifyDeleted says a server was deleted.
	NotifyDeleted NotificationKind = "deleted"
	// NotifyStatementReady says the monthly statement can be downloaded.
	NotifyStatementReady NotificationKind = "statement-ready"
	// NotifyServerAlert is a customer's own server alert firing (CPU,
	// traffic, stopped): Data server, serverId, alert, detail.
	NotifyServerAlert NotificationKind = "server-alert"
)

// Customer webhook events (Hook reports true), posted to the customer's own
// Discord or Slack-compatible webhook, Data["webhookUrl"].
const (
	// NotifyHookServerAlert is NotifyServerAlert for the customer's webhook.
	NotifyHookServerAlert NotificationKind = "hook-server-alert"
)

// HookURLFact is the Data key holding a hook kind's webhook URL (a secret:
// never shown or logged).
const HookURLFact = "webhookUrl"

// Staff events, posted to Discord.
const (
	// NotifyStaffSignup: a customer signed up.
	NotifyStaffSignup NotificationKind = "staff-signup"
	// NotifyStaffTopup: a customer topped up.
	NotifyStaffTopup NotificationKind = "staff-topup"
	// NotifyStaffOrder: a customer ordered a server.
	NotifyStaffOrder NotificationKind = "staff-order"
	// NotifyStaffBuildFailed: a server build failed.
	NotifyStaffBuildFailed NotificationKind = "staff-build-failed"
	// NotifyStaffBillingError: the billing run hit errors.
	NotifyStaffBillingError NotificationKind = "staff-billing-error"
	// NotifyStaffWebhookFailure: an incoming webhook could not be processed.
	NotifyStaffWebhookFailure NotificationKind = "staff-webhook-failure"

	// Support tickets (issue 15). NotifyTicketReply: staff answered the
	// customer's ticket; NotifyTicketClosed: the ticket was closed.
	NotifyTicketReply  NotificationKind = "ticket-reply"
	NotifyTicketClosed NotificationKind = "ticket-closed"
	// NotifyStaffTicketNew: a customer opened a ticket;
	// NotifyStaffTicketReply: a customer wrote in one. Both go to Discord
	// and, by mail, to the staff addresses (StaffMail).
	NotifyStaffTicketNew   NotificationKind = "staff-ticket-new"
	NotifyStaffTicketReply NotificationKind = "staff-ticket-reply"
)

// NotificationKinds lists every kind, customer kinds first.
var NotificationKinds = []NotificationKind{
	NotifyWelcome, NotifyExistingAccount, NotifyNewDevice, NotifyTopupCredited, NotifyRefundDebited, NotifyOrderBuilt,
	NotifyBuildFailed, NotifyLowBalance, NotifySuspended, NotifyUnsuspended, NotifyDeletionScheduled,
	NotifyDeleted, NotifyStatementReady, NotifyServerAlert, NotifyHookServerAlert, NotifyTicketReply, NotifyTicketClosed, NotifyAutoTopupFailed,
	NotifyStaffSignup, NotifyStaffTopup, NotifyStaffOrder, NotifyStaffBuildFailed, NotifyStaffBillingError,
	NotifyStaffWebhookFailure, NotifyStaffTicketNew, NotifyStaffTicketReply,
}

// Valid reports whether k is a known kind.
func (k NotificationKind) Valid() bool {
	for _, v := range NotificationKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Staff reports whether k is for the company's staff rather than a customer.
func (k NotificationKind) Staff() bool { return strings.HasPrefix(string(k), "staff-") }

// Hook reports whether k goes to the customer's own webhook, not by mail.
func (k NotificationKind) Hook() bool { return strings.HasPrefix(string(k), "hook-") }

// Plain reports whether k is rendered as a short subject and text only
// (chat messages: staff alerts and customer webhooks), not as mail.
func (k NotificationKind) Plain() bool { return k.Staff() || k.Hook() }

// StaffMail reports whether staff kind k is also mailed to the staff
// addresses, not only posted to Discord: support tickets need an answer.
func (k NotificationKind) StaffMail() bool {
	return k == NotifyStaffTicketNew || k == NotifyStaffTicketReply
}

// Essential reports whether a customer receives k even after turning off
// non-essential mail: security, money taken or at risk, servers stopped or
// deleted, low balance and statements. Receipts for money coming in, "your
// server is ready" and "your servers run again" are non-essential (the
// panel shows the same facts) and carry a one-click unsubscribe.
func (k NotificationKind) Essential() bool {
	switch k {
	case NotifyTopupCredited, NotifyOrderBuilt, NotifyUnsuspended:
		return false
	}
	return true
}

// Notification is one message to send, written to the outbox in the same
// transaction as the event that causes it. ID is deterministic, derived
// from the kind and the causing event ("topup-credited:<captureId>"), so
// writing it twice is refused and sending is idempotent per ID.
type Notification struct {
	ID        string            `json:"id"`
	Kind      NotificationKind  `json:"kind"`
	UserID    string            `json:"userId,omitempty"` // the customer; empty for staff events not about one
	Email     string            `json:"email,omitempty"`  // recipient address of customer mail
	Name      string            `json:"name,omitempty"`   // recipient's name, for the greeting
	Data      map[string]string `json:"data,omitempty"`   // template facts (amounts, IPs, dates), preformatted
	CreatedAt time.Time         `json:"createdAt"`
}

// NotificationID is the deterministic id of the notification of kind k
// caused by the event cause (a top-up id, server id, "2026-11", …): kind,
// ':' and cause, with any '#' of cause (idempotency keys have them) made
// ':' too, so an id can be a URL path segment.
func NotificationID(k NotificationKind, cause string) string {
	return string(k) + ":" + strings.ReplaceAll(cause, "#", ":")
}

// MaxNotificationIDLen bounds an id, which must fit a path segment of the
// admin retry route.
const MaxNotificationIDLen = 128

// validNotificationID reports whether id is kind, ':' and a cause of
// ASCII letters, digits and "-_.:~".
func validNotificationID(k NotificationKind, id string) bool {
	cause, ok := strings.CutPrefix(id, string(k)+":")
	if !ok || cause == "" || len(id) > MaxNotificationIDLen {
		return false
	}
	for i := 0; i < len(cause); i++ {
		c := cause[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:~", c) >= 0) {
			return false
		}
	}
	return true
}

// Staff reports whether n goes to staff.
func (n *Notification) Staff() bool { return n.Kind.Staff() }

// Validate reports each bad field of n, or nil.
func (n *Notification) Validate() map[string]string {
	bad := map[string]string{}
	if !n.Kind.Valid() {
		bad["kind"] = "Unknown notification kind."
	}
	if !validNotificationID(n.Kind, n.ID) {
		bad["id"] = "Want <kind>:<cause> (letters, digits, -_.:~), at most 128 characters."
	}
	if !n.Kind.Staff() {
		if n.UserID == "" {
			bad["userId"] = "A customer notification needs the customer."
		}
		if n.Kind.Hook() {
			if n.Data[HookURLFact] == "" {
				bad["data"] = "A webhook notification needs the webhook URL."
			}
		} else if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
			bad["email"] = "A customer notification needs a plain email address."
		}
	}
	if n.CreatedAt.IsZero() {
		bad["createdAt"] = "Missing."
	}
	if len(bad) == 0 {
		return nil
	}
	return bad
}

// Delivery states of a notification.
const (
	DeliveryQueued  = "queued"  // waiting for its (next) attempt
	DeliverySending = "sending" // claimed by a sender until its lease ends
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"  // gave up after the last attempt; an admin may retry
	DeliverySkipped = "skipped" // not sent on purpose (customer opted out, channel not set up)
)

// Delivery is a notification with its delivery state.
type Delivery struct {
	Notification
	State         string    `json:"state"`
	Subject       string    `json:"subject,omitempty"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"nextAttemptAt,omitzero"`
	LastError     string    `json:"lastError,omitempty"` // safe summary, no secrets
	SentAt        time.Time `json:"sentAt,omitzero"`
}

// NotificationPrefs are a customer's mail preferences.
type NotificationPrefs struct {
	// NonEssentialOff stops mail whose kind is not Essential.
	NonEssentialOff bool      `json:"nonEssentialOff"`
	UpdatedAt       time.Time `json:"updatedAt,omitzero"`
}

// Outbox keeps notifications and their delivery state. The write that
// queues a notification is built by the storage adapter so callers can add
// it to their own transaction.
type Outbox interface {
	// Claim moves a due message from queued (or a stale sending) to sending
	// for lease, and returns it. ECONFLICT when it is not due, already sent,
	// failed, or claimed by someone else; ENOTFOUND when it does not exist.
	Claim(ctx context.Context, id string, lease time.Duration) (*Delivery, error)
	// MarkSent records a successful send with the subject used. ECONFLICT
	// when the message is no longer claimed.
	MarkSent(ctx context.Context, id, subject string) error
	// MarkSkipped records that the message is deliberately not sent.
	MarkSkipped(ctx context.Context, id, reason string) error
	// MarkAttemptFailed records a failed attempt: back to queued until next,
	// or failed when final.
	MarkAttemptFailed(ctx context.Context, id, reason string, next time.Time, final bool) error
	// Due lists the ids of messages whose next attempt (or lease) is due.
	Due(ctx context.Context, limit int) ([]string, error)
	// Delivery returns one message. ENOTFOUND.
	Delivery(ctx context.Context, id string) (*Delivery, error)
	// History lists a customer's mail newest first, paged by cursor.
	History(ctx context.Context, userID, cursor string, limit int) ([]*Delivery, string, error)
	// Failed lists failed messages, newest first, paged by cursor.
	Failed(ctx context.Context, cursor string, limit int) ([]*Delivery, string, error)
	// Retry queues a failed message again, due now. ECONFLICT if it is not failed.
	Retry(ctx context.Context, id string) error
	// Prefs returns a customer's preferences (defaults when never set).
	Prefs(ctx context.Context, userID string) (NotificationPrefs, error)
	// SetPrefs stores a customer's preferences.
	SetPrefs(ctx context.Context, userID string, p NotificationPrefs) error
}

// NotificationQueue queues a notification that has no transaction of its
// own to join. Queueing an id that exists already is not an error.
type NotificationQueue interface {
	Enqueue(ctx context.Context, n Notification) error
}

// BalanceFact is the Data key a ledger posting fills, when present and
// empty, with the balance the posting leaves ("12.34 USD"): only the write
// knows it.
const BalanceFact = "balance"

// Email is one rendered message for a Mailer.
type Email struct {
	To        string // plain address
	ToName    string
	Subject   string
	Text      string
	HTML      string
	MessageID string            // without angle brackets; the same on every attempt
	Headers   map[string]string // extra headers, e.g. List-Unsubscribe
}

// Mailer sends email. A rejection that will not change on retry (the
// server refused the recipient or message for good) is EINVALID; anything
// else may succeed later.
type Mailer interface {
	SendMail(ctx context.Context, e *Email) error
}

// StaffAlert is a staff notification for a chat channel.
type StaffAlert struct {
	Title       string
	Description string
	URL         string // link to the panel page about it; may be empty
	Color       int    // 0xRRGGBB
	Fields      []StaffField
	At          time.Time
}

// StaffField is a name/value fact shown with a StaffAlert.
type StaffField struct {
	Name, Value string
}

// HookPoster posts a customer's notification to their own webhook URL.
// EINVALID when the URL is refused for good (not allowed, or the service
// says the webhook is gone); ERATELIMITED with RetryAfter to wait.
type HookPoster interface {
	PostHook(ctx context.Context, url string, a *StaffAlert) error
}

// StaffNotifier posts staff alerts. ERATELIMITED with RetryAfter when the
// channel asks to wait longer than the notifier will; EINVALID when the
// channel refuses the alert for good.
type StaffNotifier interface {
	NotifyStaff(ctx context.Context, a *StaffAlert) error
}
