package panel

import (
	"context"
	"time"
)

// Personal API token scopes.
const (
	ScopeRead  = "read"  // GET routes only
	ScopePower = "power" // read, and power actions on servers
	ScopeFull  = "full"  // every customer route except token management and account security
)

// APITokenPrefix starts every personal API token ("vfp_…").
const APITokenPrefix = "vfp_"

// APIToken is a customer's personal API token. Only the SHA-256 of the
// secret is stored; the token is shown once, when created. The user's
// identity is copied in, so authenticating costs one read.
type APIToken struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  time.Time  `json:"expiresAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`

	Hash          string `json:"-"`
	UserID        string `json:"-"`
	VFUserID      int64  `json:"-"`
	Email         string `json:"-"`
	UserName      string `json:"-"`
	EmailVerified bool   `json:"-"`
}

// APITokenStore keeps personal API tokens.
type APITokenStore interface {
	// CreateAPIToken stores t (Hash and ID set). ECONFLICT when the user
	// already has max tokens.
	CreateAPIToken(ctx context.Context, t *APIToken, max int) error
	// APITokenByHash returns an unexpired token. ENOTFOUND.
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// UserAPITokens lists a user's unexpired tokens, newest first.
	UserAPITokens(ctx context.Context, userID string) ([]*APIToken, error)
	// RevokeAPIToken deletes a user's token by id. ENOTFOUND.
	RevokeAPIToken(ctx context.Context, userID, id string) error
	// TouchAPIToken records a use.
	TouchAPIToken(ctx context.Context, hash string, at time.Time) error
}
