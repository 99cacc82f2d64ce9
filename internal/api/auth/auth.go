// Package auth serves the "auth" function: sign-up, sign-in (password and
// Auth0 Universal Login with PKCE), sign-out, the current user, sessions and
// the profile. It also exports the Authenticator every function uses to
// identify callers by Auth0 Bearer token or session cookie.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Deps are what the auth handlers and the Authenticator need.
type Deps struct {
	Users      panel.UserStore
	Sessions   panel.SessionStore
	Limiter    panel.RateLimiter
	IdP        panel.IdentityProvider
	MFA        panel.MFAProvider   // two-factor sign-in and Account → Security
	Accounts   panel.AccountAdmin  // management API: verification emails
	Tokens     panel.APITokenStore // personal API tokens
	Audit      panel.AuditLog      // account changes (API tokens)
	VirtFusion panel.VirtFusionUsers
	// Export and erase (account.go): ledger and servers, mail history and
	// preferences, and deleting the Auth0 user.
	Records AccountRecords
	Mail    MailRecords
	Deleter UserDeleter

	PublicURL    string   // where the UI and /api are served; the callback is PublicURL+/api/auth/callback
	CookieSecure bool     // false only for plain-http local runs
	AdminEmails  []string // lower-case emails that get the admin role
	StateKey     string   // secret that seals the OAuth state cookie
	// StaffRequireMFA refuses admin routes to admins whose session did not
	// pass a second factor (STAFF_REQUIRE_MFA).
	StaffRequireMFA bool

	// ExistingAccount, when set, is told that someone tried to register an
	// email that already has an account, so the owner can be emailed;
	// register's answer stays the same either way.
	ExistingAccount func(ctx context.Context, email string)
	// Notify, when set, queues the mail about a sign-in from a new device.
	Notify panel.NotificationQueue

	Now         func() time.Time // injectable clock; time.Now when nil
	SessionTTL  time.Duration    // absolute session lifetime; default 7 days
	IdleTimeout time.Duration    // sign out after this long unused; default 24 h
	Limits      Limits           // zero fields take defaults
}

// Limits are the sign-in/sign-up rate limits (fixed windows).
type Limits struct {
	PerEmail int           // attempts per email per window; default 10
	PerIP    int           // attempts per IP per window; default 30
	Window   time.Duration // default 15 min
}

// FromConfig fills the configuration-derived fields of d.
func (d Deps) FromConfig(c config.Config) Deps {
	d.PublicURL, d.CookieSecure, d.AdminEmails, d.StateKey = c.PublicURL, c.CookieSecure(), c.AdminEmails, c.SessionKey
	d.StaffRequireMFA = c.StaffRequireMFA
	return d
}

const (
	defaultSessionTTL  = 7 * 24 * time.Hour
	defaultIdleTimeout = 24 * time.Hour
	// touchEvery bounds how often a session's lastSeenAt is written, so the
	// hot path is one read most of the time.
	touchEvery = time.Minute
	// linkClaimStale is when a stuck VirtFusion link claim may be taken over.
	linkClaimStale = 30 * time.Second
	// linkWait is how long a concurrent sign-in waits for another to link.
	linkWait = 15 * time.Second
	stateTTL = 10 * time.Minute
)

func (d *Deps) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SessionTTL == 0 {
		d.SessionTTL = defaultSessionTTL
	}
	if d.IdleTimeout == 0 {
		d.IdleTimeout = defaultIdleTimeout
	}
	if d.Limits.PerEmail == 0 {
		d.Limits.PerEmail = 10
	}
	if d.Limits.PerIP == 0 {
		d.Limits.PerIP = 30
	}
	if d.Limits.Window == 0 {
		d.Limits.Window = 15 * time.Minute
	}
	d.PublicURL = strings.TrimSuffix(d.PublicURL, "/")
}

// SessionCookieName is the session cookie's name: __Host-vfp_session, or
// vfp_session when cookies cannot be Secure (plain-http local runs).
func SessionCookieName(secure bool) string {
	if secure {
		return "__Host-vfp_session"
	}
	return "vfp_session"
}

func stateCookieName(secure bool) string {
	if secure {
		return "__Host-vfp_oauth"
	}
	return "vfp_oauth"
}

// CSRFHeader carries the session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// UserID derives our stable user id from the identity provider's subject:
// "u_" and 26 base32 characters (130 bits) of SHA-256(sub).
func UserID(sub string) string {
	sum := sha256.Sum256([]byte(sub))
	return "u_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:26]
}

// HashSessionID is what is stored for a raw session id from a cookie.
func HashSessionID(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// roleFor is admin when the provider's roles claim says so, or when the
// identity's email is on the bootstrap list and the provider says its
// owner proved it (email_verified): anyone can sign up with a listed
// address, only its owner can verify it.
func (d *Deps) roleFor(id *panel.Identity) string {
	if id.HasRole(panel.RoleAdmin) || (id.EmailVerified && d.adminEmail(id.Email)) {
		return panel.RoleAdmin
	}
	return panel.RoleCustomer
}

func (d *Deps) adminEmail(email string) bool {
	return email != "" && slices.Contains(d.AdminEmails, strings.ToLower(email))
}

func (d *Deps) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: SessionCookieName(d.CookieSecure), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: d.CookieSecure, SameSite: http.SameSiteLaxMode}
}
