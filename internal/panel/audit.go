package panel

import (
	"context"
	"time"
)

// Audit outcomes.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

// ActorSystem is the actor of entries written on VirtFusion's behalf
// (webhooks), not by a signed-in user.
const ActorSystem = "virtfusion"

// AuditEntry is one line of a customer's activity log: who did what to
// which target, when, from where, and how it went.
type AuditEntry struct {
	ID      string       `json:"id"`
	UserID  string       `json:"-"` // whose log the entry belongs to
	Actor   string       `json:"-"` // user id of whoever acted, or ActorSystem
	Action  ActivityKind `json:"action"`
	Target  string       `json:"target"`                  // e.g. "server:123", "ssh-key:7"
	Outcome string       `json:"outcome" enum:"ok,error"` // OutcomeOK or OutcomeError
	Detail  string       `json:"detail"`                  // short, customer-safe; never secrets
	IP      string       `json:"ip"`
	At      time.Time    `json:"at"`
	// Before and After are what an administrator's change replaced and
	// left (compact JSON, secrets never included); empty for other entries.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// AuditLog keeps every customer's activity.
type AuditLog interface {
	// RecordAudit appends an entry. ID and At are filled in when empty.
	RecordAudit(ctx context.Context, e AuditEntry) error
	// Activity lists a user's entries newest first, a page at a time;
	// cursor "" starts, and an empty next cursor means the last page.
	// EINVALID for a cursor this log did not issue.
	Activity(ctx context.Context, userID, cursor string, limit int) (entries []AuditEntry, next string, err error)
	// TargetActivity is Activity narrowed to one target (e.g.
	// "server:123"), paged the same way. EINVALID for a foreign cursor.
	TargetActivity(ctx context.Context, userID, target, cursor string, limit int) (entries []AuditEntry, next string, err error)
}
