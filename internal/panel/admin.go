package panel

import (
	"context"
	"time"
)

// User list sort orders.
const (
	SortCreatedAsc  = "created"
	SortCreatedDesc = "-created"
)

// UserQuery selects users for the admin list. Search, when set, is a
// prefix of an email, its local part or domain, a word of the name, or the
// user id (case-insensitive, at least 2 characters).
type UserQuery struct {
	Search          string
	Role            string // "" any, RoleCustomer, RoleAdmin
	Blocked         *bool  // nil any
	NegativeBalance bool   // only users whose balance is below zero (most negative first)
	Sort            string // SortCreatedAsc (default) or SortCreatedDesc; ignored by Search and NegativeBalance
	Cursor          string
	Limit           int
}

// AdminUserStore is what the operator console needs of the user store.
type AdminUserStore interface {
	// FindUsers lists users matching q, a page at a time, through indexes
	// (never a table scan). EINVALID for a cursor it did not issue.
	FindUsers(ctx context.Context, q UserQuery) (users []*User, next string, err error)
	// UserByEmail returns a user by (case-insensitive) email. ENOTFOUND.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UsersByID reads users in the order of ids, skipping unknown ids.
	UsersByID(ctx context.Context, ids []string) ([]*User, error)
	// SetBlocked records an administrator's block. ENOTFOUND.
	SetBlocked(ctx context.Context, userID string, blocked bool) (*User, error)
	// SetRoleOverride sets the role an administrator chose. ENOTFOUND.
	SetRoleOverride(ctx context.Context, userID, role string) (*User, error)
	// LinkVirtFusion records the VirtFusion user of an unlinked user.
	// ENOTFOUND; ECONFLICT when the user is linked already.
	LinkVirtFusion(ctx context.Context, userID string, vfUserID int64) (*User, error)
}

// AuditQuery selects entries for the admin audit viewer.
type AuditQuery struct {
	Actor  string    // user id of whoever acted
	UserID string    // whose log (the target user)
	Action string    // a prefix of the action, e.g. "admin." or "auth.signin"
	Target string    // exact target, e.g. "server:12"
	From   time.Time // inclusive
	To     time.Time // exclusive
	Cursor string
	Limit  int
}

// AuditSearch finds entries across every customer's log.
type AuditSearch interface {
	// SearchAudit lists entries matching q newest first, a page at a time.
	// EINVALID for a cursor it did not issue.
	SearchAudit(ctx context.Context, q AuditQuery) (entries []AuditEntry, next string, err error)
}

// HostServer is a server as the VirtFusion server list shows it.
type HostServer struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	OwnerVFID    int64     `json:"ownerVfId"`
	HypervisorID int64     `json:"hypervisorId"`
	Suspended    bool      `json:"suspended"`
	Commissioned bool      `json:"commissioned"`
	CreatedAt    time.Time `json:"createdAt"`
}

// ServerAdmin is what the operator console does to VirtFusion servers.
type ServerAdmin interface {
	// AllServers lists every server VirtFusion has.
	AllServers(ctx context.Context) ([]HostServer, error)
	// Power runs a power action (boot, shutdown, restart, poweroff).
	Power(ctx context.Context, id int64, action string) error
	Suspend(ctx context.Context, id int64) error
	Unsuspend(ctx context.Context, id int64) error
	// DeleteServer deletes a server at once.
	DeleteServer(ctx context.Context, id int64) error
	// ChangeOwner gives a server to another VirtFusion user.
	ChangeOwner(ctx context.Context, id, vfUserID int64) error
	// UserServerIDs lists a VirtFusion user's servers; ENOTFOUND for an
	// unknown user.
	UserServerIDs(ctx context.Context, vfUserID int64) ([]int64, error)
}

// TransferStore moves a billed server's record to another customer.
type TransferStore interface {
	// TransferServer moves the billing record of server id from one
	// customer to another in one transaction with the audit entries (one
	// in each customer's log). ENOTFOUND when billing does not know the
	// server; ECONFLICT when its owner is not from.
	TransferServer(ctx context.Context, id int64, from, to *User, audit []AuditEntry) (*BilledServer, error)
}
