package auth

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Authenticator identifies callers: an Auth0 access token in
// "Authorization: Bearer" first, else the session cookie. A signed-in
// request costs one DynamoDB GetItem (plus, at most once a minute per
// session, one UpdateItem for lastSeenAt).
type Authenticator struct {
	d Deps
}

var _ httpx.Authenticator = (*Authenticator)(nil)

// NewAuthenticator returns the Authenticator for d. Sessions and Users are
// required; IdP is needed for Bearer tokens.
func NewAuthenticator(d Deps) httpx.Authenticator {
	d.defaults()
	if d.Sessions == nil || d.Users == nil {
		panic("auth: NewAuthenticator needs Sessions and Users")
	}
	return &Authenticator{d: d}
}

// errBlocked answers a blocked account (Auth0 refuses its sign-ins too).
var errBlocked = &panel.Error{Code: panel.EUNAUTHORIZED, Message: "This account is blocked. Contact support."}

var errSignIn = &panel.Error{Code: panel.EUNAUTHORIZED, Message: "Sign in to continue."}

// Authenticate implements httpx.Authenticator.
func (a *Authenticator) Authenticate(r *http.Request) (*panel.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return nil, panel.Errorf(panel.EUNAUTHORIZED, "Use Authorization: Bearer <access token>.")
		}
		token = strings.TrimSpace(token)
		if strings.HasPrefix(token, panel.APITokenPrefix) {
			return a.apiToken(r, token)
		}
		return a.bearer(r, token)
	}
	c, err := r.Cookie(SessionCookieName(a.d.CookieSecure))
	if err != nil || c.Value == "" {
		return nil, errSignIn
	}
	return a.session(r, c.Value)
}

func (a *Authenticator) session(r *http.Request, raw string) (*panel.Principal, error) {
	ctx := r.Context()
	if len(raw) > 128 {
		return nil, errSignIn
	}
	id := HashSessionID(raw)
	s, err := a.d.Sessions.Session(ctx, id)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "Your session has ended. Sign in again."}
	}
	if err != nil {
		return nil, err
	}
	now := a.d.Now()
	if !now.Before(s.ExpiresAt) {
		return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "Your session has ended. Sign in again."}
	}
	if now.Sub(s.LastSeenAt) > a.d.IdleTimeout {
		_ = a.d.Sessions.DeleteSession(ctx, id)
		return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "You were signed out after a period of inactivity. Sign in again."}
	}
	if !safeMethod(r.Method) {
		got := r.Header.Get(CSRFHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRFToken)) != 1 {
			return nil, &panel.Error{Code: panel.ECSRF, Message: "Missing or wrong CSRF token. Reload the page and try again."}
		}
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.d.Sessions.TouchSession(ctx, id, now); err != nil {
			httpx.Logger(ctx).Warn("touch session", "err", err)
		}
	}
	p := s.Principal()
	p.StaffNeedsMFA = a.d.StaffRequireMFA && p.IsAdmin() && !p.MFA
	return p, nil
}

// bearerRole is the role of an access token's caller. Access tokens carry
// no email_verified, so a bootstrap admin by email counts only while the
// stored role says so (it is set from a verified identity at sign-in and
// linking) and the email is still on the list.
func (d *Deps) bearerRole(id *panel.Identity, u *panel.User) string {
	if u.RoleOverride != "" {
		return u.RoleOverride
	}
	if id.HasRole(panel.RoleAdmin) || (u.Role == panel.RoleAdmin && d.adminEmail(u.Email)) {
		return panel.RoleAdmin
	}
	return panel.RoleCustomer
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (a *Authenticator) bearer(r *http.Request, token string) (*panel.Principal, error) {
	if a.d.IdP == nil {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "Bearer tokens are not accepted here.")
	}
	ctx := r.Context()
	id, err := a.d.IdP.VerifyAccessToken(ctx, token)
	if err != nil {
		return nil, err
	}
	uid := UserID(id.Subject)
	u, err := a.d.Users.User(ctx, uid)
	if err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
		return nil, err
	}
	if !u.Linked() {
		// First call from this user: fetch the profile the access token
		// lacks and link the account, once.
		info, err := a.d.IdP.UserInfo(ctx, token)
		if err != nil {
			return nil, err
		}
		if info.Subject != id.Subject || info.Email == "" {
			return nil, panel.Errorf(panel.EUNAUTHORIZED, "The access token carries no usable profile.")
		}
		info.Roles = id.Roles
		if u, err = link(ctx, &a.d, uid, info); err != nil {
			return nil, err
		}
		if u.EmailVerified != info.EmailVerified {
			if u, err = a.d.Users.SetEmailVerified(ctx, uid, info.EmailVerified); err != nil {
				return nil, err
			}
		}
	}
	if u.Blocked {
		return nil, errBlocked
	}
	p := &panel.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Role: a.d.bearerRole(id, u),
		VFUserID: u.VFUserID, Via: "bearer", UserCreatedAt: u.CreatedAt, EmailVerified: u.EmailVerified}
	// An access token does not say whether its sign-in passed MFA, so
	// admin routes need a session when staff MFA is required.
	p.StaffNeedsMFA = a.d.StaffRequireMFA && p.IsAdmin()
	return p, nil
}
