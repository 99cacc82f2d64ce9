package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

type handlers struct{ d Deps }

// Handlers returns the handlers of the "auth" function, keyed as in the
// route table. It panics when a required dependency is missing, so a
// misconfigured function fails at start-up.
func Handlers(d Deps) httpx.Handlers {
	d.defaults()
	if d.Users == nil || d.Sessions == nil || d.Limiter == nil || d.IdP == nil || d.VirtFusion == nil || d.MFA == nil || d.Accounts == nil || d.Tokens == nil ||
		d.Records == nil || d.Mail == nil || d.Deleter == nil {
		panic("auth: Handlers needs Users, Sessions, Limiter, IdP, MFA, Accounts, Tokens, Records, Mail, Deleter and VirtFusion")
	}
	if d.StateKey == "" || d.PublicURL == "" {
		panic("auth: Handlers needs StateKey (SESSION_KEY) and PublicURL")
	}
	h := &handlers{d: d}
	f := func(fn httpx.HandlerFunc) http.Handler { return fn }
	return httpx.Handlers{
		"POST /api/auth/register":                     f(h.register),
		"POST /api/auth/login":                        f(h.login),
		"POST /api/auth/login/mfa":                    f(h.loginMFA),
		"GET /api/account/mfa":                        f(h.mfaList),
		"GET /api/account/tokens":                     f(h.listTokens),
		"POST /api/account/tokens":                    f(h.createToken),
		"DELETE /api/account/tokens/{id}":             f(h.revokeToken),
		"POST /api/account/email-verification":        f(h.resendVerification),
		"POST /api/account/email-verification/check":  f(h.checkVerification),
		"POST /api/account/mfa/access":                f(h.mfaAccessGrant),
		"POST /api/account/mfa/enroll":                f(h.mfaEnroll),
		"POST /api/account/mfa/enroll/confirm":        f(h.mfaConfirm),
		"DELETE /api/account/mfa/authenticators/{id}": f(h.mfaDelete),
		"POST /api/auth/logout":                       f(h.logout),
		"POST /api/auth/logout-all":                   f(h.logoutAll),
		"GET /api/auth/me":                            f(h.me),
		"POST /api/auth/password-reset":               f(h.passwordReset),
		"GET /api/auth/authorize":                     f(h.authorize),
		"GET /api/auth/callback":                      f(h.callback),
		"GET /api/account/sessions":                   f(h.sessions),
		"DELETE /api/account/sessions/{id}":           f(h.deleteSession),
		"PATCH /api/account/profile":                  f(h.profile),
		"GET /api/account/export":                     f(h.export),
		"DELETE /api/account":                         f(h.erase),
	}
}

// SignedIn is the body of login and me.
type SignedIn struct {
	User      panel.User `json:"user"`
	CSRFToken string     `json:"csrfToken"`
	MFA       bool       `json:"mfa"` // this sign-in passed a second factor

	sessionID string // hashed id of the new session
}

// Credentials is the body of POST /api/auth/login.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Valid implements httpx.Validator; it also normalises the email.
func (c *Credentials) Valid() map[string]string {
	p := map[string]string{}
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	if m := panel.ValidEmail(c.Email); m != "" {
		p["email"] = m
	}
	if c.Password == "" {
		p["password"] = "Enter your password."
	} else if len(c.Password) > 128 {
		p["password"] = "Use at most 128 characters."
	}
	return p
}

// Registration is the body of POST /api/auth/register.
type Registration struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// Valid implements httpx.Validator; it also normalises email and name.
func (r *Registration) Valid() map[string]string {
	p := map[string]string{}
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	r.Name = strings.TrimSpace(r.Name)
	if m := panel.ValidEmail(r.Email); m != "" {
		p["email"] = m
	}
	if m := panel.ValidName(r.Name); m != "" {
		p["name"] = m
	}
	switch n := utf8.RuneCountInString(r.Password); {
	case n < 8:
		p["password"] = "Use at least 8 characters."
	case len(r.Password) > 128:
		p["password"] = "Use at most 128 characters."
	}
	return p
}

// requireJSON refuses bodies that are not JSON: a cross-site form cannot
// send application/json without a CORS preflight, which is login-CSRF
// protection for the routes that have no session yet.
func requireJSON(r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return panel.Errorf(panel.EINVALID, "Send the request as JSON (Content-Type: application/json).")
	}
	return nil
}

// limit counts an attempt against the caller's IP and the email (sign-up
// and password reset; password sign-in limits failures, see lockout.go).
func (h *handlers) limit(ctx context.Context, r *http.Request, email string) error {
	l := h.d.Limits
	if err := h.d.Limiter.Allow(ctx, "auth:ip:"+httpx.ClientIP(r), l.PerIP, l.Window); err != nil {
		return err
	}
	return h.d.Limiter.Allow(ctx, "auth:email:"+email, l.PerEmail, l.Window)
}

func (h *handlers) login(w http.ResponseWriter, r *http.Request) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	in, err := httpx.Decode[Credentials](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	release, err := h.d.reserve(ctx, h.d.signInLimits(r, in.Email))
	if err != nil {
		return err
	}
	id, err := h.d.IdP.SignIn(ctx, in.Email, in.Password, httpx.ClientIP(r))
	if panel.ErrorCode(err) != panel.EUNAUTHORIZED { // only a wrong password counts
		release()
	}
	if c := challengeFrom(err); c != nil {
		return h.startMFALogin(w, in.Email, c)
	}
	if err != nil {
		return err
	}
	out, err := h.startSession(w, r, id)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, out)
}

// Registered is the answer to POST /api/auth/register. It is the same
// whether the email was new or already had an account, so registering
// cannot be used to learn who has one; nobody is signed in by it.
type Registered struct {
	Message string `json:"message"`
}

const registeredMessage = "Thanks for registering. Sign in with your email and password to continue."

func (h *handlers) register(w http.ResponseWriter, r *http.Request) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	in, err := httpx.Decode[Registration](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.limit(ctx, r, in.Email); err != nil {
		return err
	}
	err = h.d.IdP.SignUp(ctx, in.Email, in.Password, in.Name, httpx.ClientIP(r))
	switch {
	case err == nil:
		httpx.Logger(ctx).Info("registered", "event", "auth.registered")
	case panel.ErrorCode(err) == panel.ECONFLICT:
		// The owner is told out of band, never in this answer.
		httpx.Logger(ctx).Info("registration for an existing account", "event", "auth.register_existing",
			"emailRef", emailRef(in.Email))
		if h.d.ExistingAccount != nil {
			h.d.ExistingAccount(context.WithoutCancel(ctx), in.Email)
		}
	default:
		return err
	}
	return httpx.Encode(w, http.StatusAccepted, Registered{Message: registeredMessage})
}

// emailRef names an email in logs without writing the address: the first
// 16 hex digits of its SHA-256.
func emailRef(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:8])
}

// startSession finishes any sign-in: links the user, records role and
// email changes, revokes the session the browser presented (if any) and
// issues a fresh session id, so an id planted before sign-in is useless.
func (h *handlers) startSession(w http.ResponseWriter, r *http.Request, id *panel.Identity) (*SignedIn, error) {
	ctx := r.Context()
	if id.Email == "" {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "Your sign-in carried no email address.")
	}
	uid := UserID(id.Subject)
	u, err := link(ctx, &h.d, uid, id)
	if err != nil {
		return nil, err
	}
	if u.Blocked {
		return nil, errBlocked
	}
	role := h.d.roleFor(id)
	if u.RoleOverride != "" {
		role = u.RoleOverride
	}
	if u.Email != id.Email || u.Role != role {
		if u, err = h.d.Users.UpdateUser(ctx, uid, id.Email, u.Name, role); err != nil {
			return nil, err
		}
	}
	if u.EmailVerified != id.EmailVerified {
		if u, err = h.d.Users.SetEmailVerified(ctx, uid, id.EmailVerified); err != nil {
			return nil, err
		}
	}
	if c, err := r.Cookie(SessionCookieName(h.d.CookieSecure)); err == nil && c.Value != "" && len(c.Value) <= 128 {
		_ = h.d.Sessions.DeleteSession(ctx, HashSessionID(c.Value))
	}
	raw := randomToken(32) // 256 bits
	now := h.d.Now().UTC()
	s := &panel.Session{ID: HashSessionID(raw), UserID: u.ID, VFUserID: u.VFUserID, Email: u.Email, Name: u.Name,
		Role: u.Role, CSRFToken: randomToken(32), IP: httpx.ClientIP(r), UserAgent: truncate(r.UserAgent(), 256),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(h.d.SessionTTL), UserCreatedAt: u.CreatedAt, MFA: id.MFA,
		EmailVerified: u.EmailVerified}
	if err := h.d.Sessions.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	http.SetCookie(w, h.d.sessionCookie(raw, int(h.d.SessionTTL/time.Second)))
	if h.d.knownDevice(r, u.Email) == "" {
		h.d.noteNewDevice(ctx, u, s)
	}
	h.d.setDeviceCookie(w, r, u.Email)
	httpx.Logger(ctx).Info("signed in", "userId", u.ID, "role", u.Role)
	if h.d.Audit != nil {
		detail := ""
		if id.MFA {
			detail = "with a second factor"
		}
		if err := h.d.Audit.RecordAudit(ctx, panel.AuditEntry{UserID: u.ID, Actor: u.ID, Action: panel.ActSignIn,
			Target: "user:" + u.ID, Outcome: panel.OutcomeOK, Detail: detail, IP: s.IP, At: now}); err != nil {
			httpx.Logger(ctx).Error("audit: sign-in not recorded", "userId", u.ID, "err", err)
		}
	}
	return &SignedIn{User: *u, CSRFToken: s.CSRFToken, MFA: s.MFA, sessionID: s.ID}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (h *handlers) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, h.d.sessionCookie("", -1))
}

func (h *handlers) logout(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	if p.SessionID != "" {
		if err := h.d.Sessions.DeleteSession(r.Context(), p.SessionID); err != nil {
			return err
		}
	}
	h.clearCookie(w)
	return httpx.NoContent(w)
}

func (h *handlers) logoutAll(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	if err := h.d.Sessions.DeleteUserSessions(r.Context(), p.UserID); err != nil {
		return err
	}
	h.clearCookie(w)
	return httpx.NoContent(w)
}

// me is GET /api/auth/me. The caller's session (or, for a Bearer token, the
// user read while authenticating) already holds the whole user, so this
// costs no read of its own; only sessions made before the user's CreatedAt
// was copied into them read the user.
//
// The session is a copy of the user as it was at sign-in, kept current
// for the name (PATCH /api/account/profile renames every session). Email
// and role are re-read from the identity provider at each sign-in, so a
// changed role applies to sessions started after the change; to take
// admin away at once, also end the user's sessions (sign out everywhere).
func (h *handlers) me(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	u := &panel.User{ID: p.UserID, Email: p.Email, Name: p.Name, Role: p.Role, VFUserID: p.VFUserID,
		CreatedAt: p.UserCreatedAt, EmailVerified: p.EmailVerified}
	if u.CreatedAt.IsZero() {
		stored, err := h.d.Users.User(r.Context(), p.UserID)
		if err != nil {
			return err
		}
		u, u.Role = stored, p.Role
	}
	return httpx.Encode(w, http.StatusOK, SignedIn{User: *u, CSRFToken: p.CSRFToken, MFA: p.MFA})
}

// ResetRequest is the body of POST /api/auth/password-reset.
type ResetRequest struct {
	Email string `json:"email"`
}

// Valid implements httpx.Validator; it also normalises the email.
func (r *ResetRequest) Valid() map[string]string {
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	if m := panel.ValidEmail(r.Email); m != "" {
		return map[string]string{"email": m}
	}
	return nil
}

// passwordReset answers the same for known and unknown emails.
func (h *handlers) passwordReset(w http.ResponseWriter, r *http.Request) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	in, err := httpx.Decode[ResetRequest](r)
	if err != nil {
		return err
	}
	if err := h.limit(r.Context(), r, in.Email); err != nil {
		return err
	}
	if err := h.d.IdP.ResetPassword(r.Context(), in.Email); err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusAccepted, OK{OK: true})
}

// SessionView is one row of GET /api/account/sessions.
type SessionView struct {
	ID         string    `json:"id"`
	Current    bool      `json:"current"`
	CreatedAt  time.Time `json:"createdAt"`
	LastSeenAt time.Time `json:"lastSeenAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"userAgent"`
}

func (h *handlers) sessions(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	list, err := h.d.Sessions.UserSessions(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	out := make([]SessionView, 0, len(list))
	for _, s := range list {
		out = append(out, SessionView{ID: s.ID, Current: s.ID == p.SessionID, CreatedAt: s.CreatedAt,
			LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt, IP: s.IP, UserAgent: s.UserAgent})
	}
	return httpx.Encode(w, http.StatusOK, SessionList{Sessions: out})
}

func (h *handlers) deleteSession(w http.ResponseWriter, r *http.Request) error {
	p := panel.PrincipalFrom(r.Context())
	id := r.PathValue("id")
	if len(id) != 64 {
		return panel.NotFound("session")
	}
	if err := h.d.Sessions.DeleteUserSession(r.Context(), p.UserID, id); err != nil {
		return err
	}
	if id == p.SessionID {
		h.clearCookie(w)
	}
	return httpx.NoContent(w)
}

// ProfileUpdate is the body of PATCH /api/account/profile.
type ProfileUpdate struct {
	Name string `json:"name"`
}

// Valid implements httpx.Validator; it also trims the name.
func (p *ProfileUpdate) Valid() map[string]string {
	p.Name = strings.TrimSpace(p.Name)
	if m := panel.ValidName(p.Name); m != "" {
		return map[string]string{"name": m}
	}
	return nil
}

func (h *handlers) profile(w http.ResponseWriter, r *http.Request) error {
	in, err := httpx.Decode[ProfileUpdate](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	u, err := h.d.Users.User(ctx, p.UserID)
	if err != nil {
		return err
	}
	if u.Linked() {
		if err := h.d.VirtFusion.RenameUser(ctx, u.ID, in.Name); err != nil {
			return err
		}
	}
	if u, err = h.d.Users.UpdateUser(ctx, u.ID, u.Email, in.Name, u.Role); err != nil {
		return err
	}
	if err := h.d.Sessions.RenameSessions(ctx, u.ID, in.Name); err != nil {
		return err
	}
	u.Role = p.Role
	return httpx.Encode(w, http.StatusOK, UserBody{User: *u})
}

// SessionList is the body of GET /api/account/sessions.
type SessionList struct {
	Sessions []SessionView `json:"sessions"`
}

// UserBody is the body of PATCH /api/account/profile.
type UserBody struct {
	User panel.User `json:"user"`
}

// OK is the body of answers that only confirm, such as a password reset
// request (the same whether or not the email has an account).
type OK struct {
	OK bool `json:"ok"`
}
