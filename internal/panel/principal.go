package panel

import (
	"context"
	"time"
)

// Roles a user may have.
const (
	RoleCustomer = "customer"
	RoleAdmin    = "admin"
)

// Principal is the signed-in caller of a request.
type Principal struct {
	UserID    string // our stable user id (also VirtFusion's extRelationId)
	Email     string
	Name      string
	Role      string
	VFUserID  int64  // VirtFusion's own user id
	SessionID string // hash of the session id; empty for Bearer callers
	CSRFToken string // the session's CSRF token; empty for Bearer callers
	Via       string // "session" or "bearer"
	// UserCreatedAt is when the account was made; zero when the caller's
	// session predates it being recorded there.
	UserCreatedAt time.Time
	// MFA: the sign-in behind this caller passed a second factor.
	MFA bool
	// EmailVerified: the caller's email was verified when last checked.
	EmailVerified bool
	// TokenID is the personal API token the caller used (Via "token").
	TokenID string
	// StaffNeedsMFA: an admin who must pass a second factor before using
	// admin routes (the staff MFA setting is on and MFA is false).
	StaffNeedsMFA bool
}

// IsAdmin reports whether p has the admin role.
func (p *Principal) IsAdmin() bool { return p != nil && p.Role == RoleAdmin }

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller stored by the auth middleware, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// RequireVerifiedEmail refuses callers whose email address is not
// verified; money moves (top-ups, orders) need one.
func RequireVerifiedEmail(p *Principal) error {
	if p != nil && p.EmailVerified {
		return nil
	}
	return &Error{Code: EEMAILUNVERIFIED, Message: "Verify your email address first: open the link we emailed you, or send a new one from the banner. Already verified? Sign in again."}
}
