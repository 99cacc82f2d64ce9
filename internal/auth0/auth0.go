// Package auth0 talks to Auth0: the Resource Owner Password grant with a
// realm, database signup and password reset, the Authorization Code + PKCE
// exchange, /userinfo, and validation of RS256 access and ID tokens with
// go-jwt-middleware against the tenant's cached JWKS.
package auth0

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Config configures a Client.
type Config struct {
	Issuer       string // tenant issuer with trailing slash, e.g. https://x.auth0.com/
	ClientID     string
	ClientSecret string
	Audience     string // the API identifier access tokens are for
	Connection   string // database connection used as the password realm
	RolesClaim   string // namespaced claim holding an array of roles
	// HTTPClient is used for every call, JWKS included. Default: 10 s timeout.
	HTTPClient *http.Client
	// JWKSCacheTTL is how long the key set is cached. Default 10 min.
	JWKSCacheTTL time.Duration
	// ClockSkew is the leeway for exp/nbf/iat. Default 30 s.
	ClockSkew time.Duration
}

// Client is an Auth0 client; it implements panel.IdentityProvider.
type Client struct {
	cfg    Config
	base   string
	http   *http.Client
	access *verifier
	id     *verifier
	mgmt   mgmtToken
	// verified skips re-verifying an access token seen recently.
	verified verifiedCache
}

var _ panel.IdentityProvider = (*Client)(nil)

// New returns a client. It fetches nothing: the JWKS is loaded on the first
// token check and cached.
func New(cfg Config) (*Client, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.Audience == "" {
		return nil, errors.New("auth0: issuer, client id and audience are required")
	}
	if !strings.HasSuffix(cfg.Issuer, "/") {
		cfg.Issuer += "/"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.JWKSCacheTTL == 0 {
		cfg.JWKSCacheTTL = 10 * time.Minute
	}
	if cfg.ClockSkew == 0 {
		cfg.ClockSkew = 30 * time.Second
	}
	keys, err := newKeySource(cfg.Issuer, cfg.HTTPClient, cfg.JWKSCacheTTL)
	if err != nil {
		return nil, err
	}
	access, err := newVerifier(keys, cfg.Issuer, cfg.Audience, cfg.RolesClaim, cfg.ClockSkew, false)
	if err != nil {
		return nil, err
	}
	id, err := newVerifier(keys, cfg.Issuer, cfg.ClientID, cfg.RolesClaim, cfg.ClockSkew, true)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, base: strings.TrimSuffix(cfg.Issuer, "/"), http: cfg.HTTPClient, access: access, id: id}, nil
}

// apiError is the union of Auth0's error bodies: /oauth/token uses
// error/error_description, /dbconnections uses code/description/name.
type apiError struct {
	Status      int             `json:"-"`
	RetryAfter  string          `json:"-"`
	Err         string          `json:"error"`
	ErrDesc     string          `json:"error_description"`
	Code        string          `json:"code"`
	Description json.RawMessage `json:"description"`
	Name        string          `json:"name"`
	MFAToken    string          `json:"mfa_token"` // with mfa_required; a secret, never logged
}

// parseAPIError reads an error answer. A body that is not one of Auth0's
// JSON error shapes (an HTML page from a proxy, say) leaves the codes
// empty, so only the status decides.
func parseAPIError(status int, retryAfter string, body []byte) *apiError {
	ae := &apiError{}
	if json.Unmarshal(body, ae) != nil {
		ae = &apiError{}
	}
	ae.Status, ae.RetryAfter = status, retryAfter
	return ae
}

func (e *apiError) code() string {
	if e.Err != "" {
		return e.Err
	}
	return e.Code
}

// Error describes the failure for the logs; Auth0 bodies carry no tokens.
func (e *apiError) Error() string {
	desc := e.ErrDesc
	if desc == "" && len(e.Description) > 0 {
		var s string
		if json.Unmarshal(e.Description, &s) == nil {
			desc = s
		} else {
			desc = string(e.Description)
		}
	}
	return fmt.Sprintf("status %d %s: %s", e.Status, e.code(), desc)
}

// call sends a request and decodes a 2xx JSON answer into out (if non-nil).
func (c *Client) call(ctx context.Context, method, path string, body any, form url.Values, header http.Header, out any) error {
	var rd io.Reader
	ctype := ""
	switch {
	case form != nil:
		rd, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	case body != nil:
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd, ctype = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return transportError(err)
	}
	if resp.StatusCode/100 != 2 {
		return parseAPIError(resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The sign-in service sent an unreadable answer.", Err: err}
	}
	return nil
}

func transportError(err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &panel.Error{Code: panel.ETIMEOUT, Message: "The sign-in service did not answer in time. Try again.", Err: err}
	}
	return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The sign-in service cannot be reached. Try again shortly.", Err: err}
}

// signInError turns an /oauth/token failure into the customer-facing error.
// Unknown email and wrong password read the same. The codes are those of
// Auth0's Authentication API and its "Common Auth0 Library Authentication
// Errors" list (auth0.com/docs/libraries/common-auth0-library-authentication-errors).
func signInError(err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	wrap := func(code, msg string) *panel.Error {
		return &panel.Error{Code: code, Message: msg, Err: fmt.Errorf("auth0: token: %w", ae)}
	}
	switch ae.code() {
	case "invalid_grant", "invalid_user_password": // the second is the legacy code for the same
		return wrap(panel.EUNAUTHORIZED, "Wrong email or password.")
	case "too_many_attempts":
		if strings.Contains(strings.ToLower(ae.ErrDesc), "suspicious") {
			// Suspicious IP throttling answers with this code too.
			e := wrap(panel.ERATELIMITED, "Too many sign-in attempts from your network. Try again later.")
			e.RetryAfter = retryAfter(ae.RetryAfter, 900)
			return e
		}
		// Brute-force protection: this account from this IP is blocked
		// until the emailed unblock link or a password reset.
		e := wrap(panel.ERATELIMITED, "Your account is locked after too many failed sign-in attempts. We've emailed you how to unlock it.")
		e.RetryAfter = 900
		return e
	case "too_many_logins":
		// Suspicious IP throttling: too many attempts from this address.
		e := wrap(panel.ERATELIMITED, "Too many sign-in attempts from your network. Try again later.")
		e.RetryAfter = retryAfter(ae.RetryAfter, 900)
		return e
	case "unauthorized":
		if strings.Contains(strings.ToLower(ae.ErrDesc), "blocked") {
			return wrap(panel.EFORBIDDEN, "This account is blocked. Contact support.")
		}
	case "password_leaked":
		return wrap(panel.EFORBIDDEN, "This password appeared in a data breach elsewhere, so sign-in was blocked. Reset your password to continue.")
	case "mfa_required":
		if ae.MFAToken != "" {
			return &panel.Error{Code: panel.EMFAREQUIRED, Message: "Enter the code from your authenticator app.",
				Err: &panel.MFAChallenge{Token: ae.MFAToken}}
		}
		return wrap(panel.EFORBIDDEN, "This account uses multi-factor authentication. Use \"Continue with Auth0\" to sign in.")
	case "mfa_registration_required":
		// Enrolment during sign-in happens on Universal Login.
		return wrap(panel.EFORBIDDEN, "This account uses multi-factor authentication. Use \"Continue with Auth0\" to sign in.")
	case "access_denied":
		// 403 access_denied is a rule or action refusing the user; 401
		// (bad client credentials) and "Service not found" (wrong
		// audience) are our configuration's fault.
		if ae.Status == http.StatusForbidden && !strings.HasPrefix(ae.ErrDesc, "Service not found") {
			return wrap(panel.EFORBIDDEN, "Sign-in was refused.")
		}
	}
	// unauthorized_client (grant not enabled), invalid_request and the rest
	// are configuration errors or outages: see upstreamError.
	return upstreamError("token", ae)
}

func upstreamError(op string, ae *apiError) error {
	if ae.Status == http.StatusTooManyRequests {
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The sign-in service is busy. Try again in a minute.",
			RetryAfter: retryAfter(ae.RetryAfter, 60), Err: fmt.Errorf("auth0: %s: %w", op, ae)}
	}
	if ae.Status >= 500 {
		return &panel.Error{Code: panel.EUPSTREAM, Message: "The sign-in service failed. Try again shortly.", Err: fmt.Errorf("auth0: %s: %w", op, ae)}
	}
	// 4xx we do not expect (bad client credentials, disabled grant) are
	// configuration errors: log in full, show "Internal error.".
	return fmt.Errorf("auth0: %s: %w", op, ae)
}

func retryAfter(h string, def int) int {
	var n int
	if _, err := fmt.Sscanf(h, "%d", &n); err == nil && n > 0 {
		return n
	}
	return def
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
}

// SignIn uses the password-realm grant. The client IP goes in
// auth0-forwarded-for so brute-force protection counts the customer, not us.
func (c *Client) SignIn(ctx context.Context, email, password, clientIP string) (*panel.Identity, error) {
	tr, err := c.passwordRealm(ctx, email, password, clientIP, c.cfg.Audience, "openid profile email")
	if err != nil {
		return nil, err
	}
	return c.identity(ctx, tr, "")
}

// passwordRealm is the password-realm grant against the customers'
// connection. The client IP goes in auth0-forwarded-for so brute-force
// protection counts the customer, not us.
func (c *Client) passwordRealm(ctx context.Context, email, password, clientIP, audience, scope string) (*tokenResponse, error) {
	form := url.Values{
		"grant_type":    {"http://auth0.com/oauth/grant-type/password-realm"},
		"realm":         {c.cfg.Connection},
		"username":      {email},
		"password":      {password},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
		"audience":      {audience},
		"scope":         {scope},
	}
	h := http.Header{}
	if clientIP != "" {
		h.Set("auth0-forwarded-for", clientIP)
	}
	var tr tokenResponse
	if err := c.call(ctx, http.MethodPost, "/oauth/token", nil, form, h, &tr); err != nil {
		return nil, signInError(err)
	}
	return &tr, nil
}

// identity checks the tokens of a token response and merges their claims.
func (c *Client) identity(ctx context.Context, tr *tokenResponse, nonce string) (*panel.Identity, error) {
	if tr.IDToken == "" || tr.AccessToken == "" {
		return nil, &panel.Error{Code: panel.EUPSTREAM, Message: "The sign-in service sent no tokens.", Err: errors.New("auth0: token response without id_token or access_token")}
	}
	sub, idc, err := c.id.verify(ctx, tr.IDToken, nonce)
	if err != nil {
		return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "Sign-in failed: the identity token was not valid.", Err: fmt.Errorf("auth0: id token: %w", err)}
	}
	asub, ac, err := c.access.verify(ctx, tr.AccessToken, "")
	if err != nil || asub != sub {
		return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "Sign-in failed: the access token was not valid.", Err: fmt.Errorf("auth0: access token (sub %q vs %q): %v", asub, sub, err)}
	}
	id := &panel.Identity{Subject: sub, Email: strings.ToLower(idc.Email), EmailVerified: idc.EmailVerified, Name: idc.Name}
	id.Roles = mergeRoles(idc.Roles, ac.Roles)
	return id, nil
}

func mergeRoles(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range append(append([]string{}, a...), b...) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// SignUp creates a user in the database connection.
func (c *Client) SignUp(ctx context.Context, email, password, name, clientIP string) error {
	body := map[string]any{"client_id": c.cfg.ClientID, "email": email, "password": password,
		"connection": c.cfg.Connection, "name": name}
	return signUpError(c.call(ctx, http.MethodPost, "/dbconnections/signup", body, nil, nil, nil))
}

// signUpError turns a /dbconnections/signup failure into the
// customer-facing error.
func signUpError(err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	wrap := func(e *panel.Error) error { e.Err = fmt.Errorf("auth0: signup: %w", ae); return e }
	switch ae.code() {
	case "user_exists", "username_exists":
		return wrap(&panel.Error{Code: panel.ECONFLICT, Message: "An account with this email already exists. Sign in instead."})
	case "invalid_password", "password_dictionary_error", "password_no_user_info_error", "password_strength_error":
		return wrap(&panel.Error{Code: panel.EINVALID, Message: "Choose a stronger password.",
			Fields: map[string]string{"password": "Use at least 8 characters with three of: lower case, upper case, numbers, symbols."}})
	case "invalid_signup":
		return wrap(&panel.Error{Code: panel.EINVALID, Message: "This account cannot be created. If you already have one, sign in instead."})
	}
	return upstreamError("signup", ae)
}

// ResetPassword asks Auth0 to email a reset link; Auth0 answers the same
// whether the user exists or not.
func (c *Client) ResetPassword(ctx context.Context, email string) error {
	body := map[string]any{"client_id": c.cfg.ClientID, "email": email, "connection": c.cfg.Connection}
	err := c.call(ctx, http.MethodPost, "/dbconnections/change_password", body, nil, nil, nil)
	var ae *apiError
	if errors.As(err, &ae) {
		return upstreamError("change password", ae)
	}
	return err
}

// AuthorizeURL is Auth0's /authorize for the code + PKCE (S256) flow.
func (c *Client) AuthorizeURL(req panel.AuthorizeRequest) string {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {c.cfg.ClientID},
		"redirect_uri":          {req.RedirectURI},
		"scope":                 {"openid profile email"},
		"audience":              {c.cfg.Audience},
		"state":                 {req.State},
		"nonce":                 {req.Nonce},
		"code_challenge":        {req.CodeChallenge},
		"code_challenge_method": {"S256"},
	}
	return c.base + "/authorize?" + q.Encode()
}

// Exchange trades a code for tokens and returns the ID token's identity
// after checking its nonce.
func (c *Client) Exchange(ctx context.Context, code, verifier, redirectURI, nonce string) (*panel.Identity, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
		"code":          {code},
		"code_verifier": {verifier},
		"redirect_uri":  {redirectURI},
	}
	var tr tokenResponse
	if err := c.call(ctx, http.MethodPost, "/oauth/token", nil, form, nil, &tr); err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.code() == "invalid_grant" {
			return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "The sign-in link expired or was already used. Sign in again.", Err: fmt.Errorf("auth0: code exchange: %w", ae)}
		}
		return nil, signInError(err)
	}
	if nonce == "" {
		return nil, errors.New("auth0: exchange without a nonce")
	}
	return c.identity(ctx, &tr, nonce)
}

// VerifyAccessToken checks an access token for our API.
func (c *Client) VerifyAccessToken(ctx context.Context, token string) (*panel.Identity, error) {
	now := time.Now()
	sub, tc, ok := c.verified.get(token, now)
	if !ok {
		var err error
		if sub, tc, err = c.access.verify(ctx, token, ""); err != nil {
			return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "The access token is not valid.", Err: fmt.Errorf("auth0: access token: %w", err)}
		}
		c.verified.put(token, sub, tc, now)
	}
	return &panel.Identity{Subject: sub, Email: strings.ToLower(tc.Email), Name: tc.Name, Roles: slices.Clone(tc.Roles)}, nil
}

// UserInfo returns the profile of an access token's user.
func (c *Client) UserInfo(ctx context.Context, token string) (*panel.Identity, error) {
	var ui struct {
		Sub           string `json:"sub"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		Name          string `json:"name"`
	}
	h := http.Header{"Authorization": {"Bearer " + token}}
	if err := c.call(ctx, http.MethodGet, "/userinfo", nil, nil, h, &ui); err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			if ae.Status == http.StatusUnauthorized {
				return nil, &panel.Error{Code: panel.EUNAUTHORIZED, Message: "The access token is not valid.", Err: fmt.Errorf("auth0: userinfo: %w", ae)}
			}
			return nil, upstreamError("userinfo", ae)
		}
		return nil, err
	}
	return &panel.Identity{Subject: ui.Sub, Email: strings.ToLower(ui.Email), EmailVerified: ui.EmailVerified, Name: ui.Name}, nil
}
