package panel

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a customer or administrator of the panel. ID is our stable id,
// derived from the identity provider's subject; it is also the user's
// extRelationId in VirtFusion.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role" enum:"customer,admin"`
	VFUserID  int64     `json:"vfUserId"`
	CreatedAt time.Time `json:"createdAt"`
	// EmailVerified: the identity provider says the owner proved the
	// address (as of the last sign-in or check).
	EmailVerified bool `json:"emailVerified"`
	// Blocked: an administrator blocked the account (it cannot sign in).
	Blocked bool `json:"blocked"`
	// RoleOverride is the role an administrator set; it beats the role
	// the identity provider's claims and ADMIN_EMAILS give at sign-in.
	RoleOverride string `json:"-"`
}

// Linked reports whether the user has a VirtFusion account.
func (u *User) Linked() bool { return u != nil && u.VFUserID > 0 }

// Session is a signed-in browser. ID is the SHA-256 hash (hex) of the random
// id in the cookie; the raw id is never stored. Email, name, role and the
// VirtFusion id are copied in so authenticating costs one read, and the
// user's CreatedAt so GET /api/auth/me needs no second one.
type Session struct {
	ID         string    `json:"id"`
	UserID     string    `json:"userId"`
	VFUserID   int64     `json:"vfUserId"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	CSRFToken  string    `json:"-"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"userAgent"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	ExpiresAt  time.Time `json:"expiresAt"` // absolute expiry

	UserCreatedAt time.Time `json:"-"`   // the user's CreatedAt; zero on sessions made before it was copied
	MFA           bool      `json:"mfa"` // the sign-in passed a second factor
	EmailVerified bool      `json:"-"`
}

// Principal returns the signed-in caller this session stands for.
func (s *Session) Principal() *Principal {
	return &Principal{UserID: s.UserID, Email: s.Email, Name: s.Name, Role: s.Role, VFUserID: s.VFUserID,
		SessionID: s.ID, CSRFToken: s.CSRFToken, Via: "session", UserCreatedAt: s.UserCreatedAt, MFA: s.MFA,
		EmailVerified: s.EmailVerified}
}

// SessionStore keeps sessions.
type SessionStore interface {
	// CreateSession stores a new session. ECONFLICT if its ID is taken.
	CreateSession(ctx context.Context, s *Session) error
	// Session returns a session by hashed id, ENOTFOUND when it is missing
	// or past its absolute expiry.
	Session(ctx context.Context, id string) (*Session, error)
	// TouchSession records activity at the given time.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession removes a session; removing a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSession removes a session of userID; ENOTFOUND when the
	// session is missing or belongs to someone else.
	DeleteUserSession(ctx context.Context, userID, id string) error
	// UserSessions lists a user's unexpired sessions, newest first.
	UserSessions(ctx context.Context, userID string) ([]*Session, error)
	// DeleteUserSessions removes every session of a user.
	DeleteUserSessions(ctx context.Context, userID string) error
	// RenameSessions updates the name copied into a user's sessions.
	RenameSessions(ctx context.Context, userID, name string) error
	// SetSessionsEmailVerified updates the email_verified copied into a
	// user's sessions.
	SetSessionsEmailVerified(ctx context.Context, userID string, verified bool) error
}

// UserStore keeps users and their link to VirtFusion.
type UserStore interface {
	// User returns a user by id. ENOTFOUND.
	User(ctx context.Context, id string) (*User, error)
	// UserByEmail returns a user by (case-insensitive) email. ENOTFOUND.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// Users lists users oldest first, a page at a time; cursor "" starts,
	// and an empty next cursor means the last page.
	Users(ctx context.Context, cursor string, limit int) (users []*User, next string, err error)
	// ClaimLink creates u if it does not exist and claims, under token, the
	// right to create its VirtFusion user. A claim older than stale may be
	// taken over. It returns the stored user and whether the caller now
	// holds the claim; a linked user is never claimed.
	ClaimLink(ctx context.Context, u *User, token string, now time.Time, stale time.Duration) (stored *User, claimed bool, err error)
	// CompleteLink records the VirtFusion user id if token still holds the
	// claim. ECONFLICT when the claim was lost.
	CompleteLink(ctx context.Context, userID, token string, vfUserID int64) (*User, error)
	// ReleaseLink drops the claim token holds, so the next sign-in can try
	// again at once after a failure.
	ReleaseLink(ctx context.Context, userID, token string) error
	// UpdateUser sets email, name and role. ENOTFOUND.
	UpdateUser(ctx context.Context, userID, email, name, role string) (*User, error)
	// SetEmailVerified records the provider's email_verified. ENOTFOUND.
	SetEmailVerified(ctx context.Context, userID string, verified bool) (*User, error)
}

// RateLimiter counts attempts per key in fixed windows.
type RateLimiter interface {
	// Allow counts one attempt for key and returns ERATELIMITED (with
	// RetryAfter) when more than limit attempts fell in the current window.
	Allow(ctx context.Context, key string, limit int, window time.Duration) error
	// Undo takes back one attempt Allow counted for key in the current
	// window, for callers that limit failures: count before trying (so
	// concurrent attempts cannot slip past the limit), undo what did not
	// fail. It never goes below zero.
	Undo(ctx context.Context, key string, window time.Duration) error
}

// VirtFusionUsers is the part of VirtFusion that signing in needs.
type VirtFusionUsers interface {
	// EnsureUser returns the id of the VirtFusion user whose extRelationId
	// is extID, creating it when missing. ECONFLICT when VirtFusion refuses
	// because another user has the email.
	EnsureUser(ctx context.Context, extID, email, name string) (int64, error)
	// RenameUser changes the name of the VirtFusion user extID.
	RenameUser(ctx context.Context, extID, name string) error
}

// Identity is who the identity provider (Auth0) says a caller is.
type Identity struct {
	Subject       string   // e.g. "auth0|abc"
	Email         string   // may be empty for access tokens
	EmailVerified bool     //
	Name          string   //
	Roles         []string // from the namespaced roles claim
	MFA           bool     // the sign-in passed a second factor
}

// HasRole reports whether the identity carries role.
func (id *Identity) HasRole(role string) bool {
	for _, r := range id.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// AuthorizeRequest holds what a redirect to the provider's login page needs.
type AuthorizeRequest struct {
	RedirectURI   string
	State         string
	Nonce         string
	CodeChallenge string // S256
}

// IdentityProvider signs users up and in, and checks their tokens.
type IdentityProvider interface {
	// SignIn checks an email and password. EUNAUTHORIZED "Wrong email or
	// password.", ERATELIMITED after too many attempts, EFORBIDDEN when the
	// account is blocked, EUPSTREAM/EUNAVAILABLE when the provider fails.
	SignIn(ctx context.Context, email, password, clientIP string) (*Identity, error)
	// SignUp creates a database user. ECONFLICT when the email is taken,
	// EINVALID (field password) when the password is too weak.
	SignUp(ctx context.Context, email, password, name, clientIP string) error
	// ResetPassword asks the provider to email a password-reset link.
	ResetPassword(ctx context.Context, email string) error
	// AuthorizeURL is the provider's login page for a code + PKCE flow.
	AuthorizeURL(req AuthorizeRequest) string
	// Exchange trades an authorization code for the identity in its ID
	// token, checking the nonce. EUNAUTHORIZED when the code is refused.
	Exchange(ctx context.Context, code, verifier, redirectURI, nonce string) (*Identity, error)
	// VerifyAccessToken checks an access token (signature, issuer,
	// audience, expiry) and returns its subject and roles. EUNAUTHORIZED.
	VerifyAccessToken(ctx context.Context, token string) (*Identity, error)
	// UserInfo returns the profile behind an access token.
	UserInfo(ctx context.Context, token string) (*Identity, error)
}

// ValidEmail reports a problem with an email address, or "".
func ValidEmail(email string) string {
	if email == "" {
		return "Enter your email address."
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email, "@") || len(email) > 254 {
		return "Enter a valid email address."
	}
	return ""
}

// ValidName reports a problem with a display name, or "".
func ValidName(name string) string {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	switch {
	case n == 0:
		return "Enter your name."
	case n > 100:
		return "Use at most 100 characters."
	case strings.ContainsAny(name, "<>"):
		return "The name has characters that are not allowed."
	}
	return TextProblem(name)
}
