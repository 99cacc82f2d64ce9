// Package auth0sim is a stand-in for an Auth0 tenant: a real OIDC issuer on
// loopback with discovery, a rotating RS256 JWKS, the token endpoint
// (password-realm, password, authorization_code with PKCE, refresh_token),
// a small Universal Login page, database signup (with a verification email
// whose link verifies the address) and password change, /userinfo,
// /oauth/revoke and the OIDC logout endpoint. Clients authenticate with
// client_secret_post or client_secret_basic. Paths, JSON shapes and status
// codes follow Auth0, and it refuses what Auth0 refuses, so production code
// cannot tell it from the real service. Tests use its hooks to add, block,
// verify and MFA-enroll users and to mint malformed tokens.
package auth0sim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"github.com/vfpanel/vfpanel/internal/sim/simstate"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Options configure the simulated tenant. Empty fields get test defaults.
type Options struct {
	ClientID     string
	ClientSecret string
	Audience     string // API identifier access tokens are issued for
	Connection   string // database connection (realm)
	RolesClaim   string // namespaced claim carrying roles
	TokenTTL     time.Duration
	// KeyGrace is how long a rotated-out key stays in the JWKS.
	KeyGrace time.Duration
	// Grants are the grant types the application may use (Auth0 dashboard:
	// Application > Advanced > Grant Types). Empty means password-realm,
	// password, authorization_code and refresh_token.
	Grants []string
	// DefaultDirectory is the tenant's default connection, needed by the
	// plain "password" grant; empty (Auth0's default) refuses that grant.
	DefaultDirectory string
	// DefaultAudience is the tenant's default API. Empty (Auth0's default)
	// means a token request without audience gets an opaque access token
	// that only /userinfo accepts, not a JWT for the API.
	DefaultAudience string
	// CallbackURLs are the application's Allowed Callback URLs; /authorize
	// refuses any other redirect_uri, as Auth0 does ("Callback URL
	// mismatch"). Empty allows any absolute URL (tests that do not know
	// their address up front).
	CallbackURLs []string
	// MaxFailures is how many consecutive wrong passwords per user and IP
	// trigger brute-force protection (too_many_attempts). 0 means 10.
	MaxFailures int
	// Now is the clock used for token times; time.Now when nil.
	Now func() time.Time
	// OTPNow is the clock TOTP codes are checked against (the user's
	// authenticator app shares it); Now when nil. Tests step it by 30 s
	// to get fresh codes without moving token times.
	OTPNow func() time.Time
	// StateFile, when set, keeps users (password hashes), refresh tokens,
	// pending authorization codes and the signing keys across restarts, so
	// old tokens and the JWKS stay valid. New loads it when it exists and
	// the tenant saves it (JSON, atomically) at most every 500 ms after
	// changes and on Close. Empty keeps state in memory only. Use
	// NewWithState to get load errors instead of a panic. Tokens carry the
	// issuer (URL), so restart on the same address.
	StateFile string
}

// Server is a simulated Auth0 tenant.
type Server struct {
	// URL is the base URL without a trailing slash; the issuer is URL+"/".
	// Start sets it; set it yourself when serving Handler elsewhere.
	URL string

	opts Options
	mux  *http.ServeMux
	srv  *http.Server
	ln   net.Listener

	mu        sync.Mutex
	keys      []*signingKey // last is current
	users     map[string]*user
	codes     map[string]*authCode
	refresh   map[string]string  // refresh token → email
	failures  map[string]int     // email|ip → consecutive failures
	opaque    map[string]string  // opaque access token → email (/userinfo only)
	tickets   map[string]string  // email verification ticket → email
	mfa       map[string]*mfaTxn // mfa_token → transaction
	faults    map[string]*Fault  // path → fault
	resets    []string
	forwarded []string
	tokenReqs int
	persist   *simstate.Persister // nil without StateFile
}

type signingKey struct {
	kid       string
	priv      *rsa.PrivateKey
	retiredAt time.Time // zero while current or not retired
}

type user struct {
	id       string
	email    string
	password string // hashPassword's encoding, never the password itself
	name     string
	roles    []string
	blocked  bool
	verified bool
	mfa      bool // legacy state flag; MFA is now the active otp authenticators below
	otp      []*otpAuthenticator
	// recovery is the user's recovery code (Auth0 keeps one at a time);
	// recoveryPending is the one shown at enrolment until it is confirmed.
	recovery, recoveryPending string
}

type authCode struct {
	email, clientID, redirectURI, challenge, method, nonce, scope, audience string
	expires                                                                 time.Time
}

// Fault makes a path misbehave for the next Times requests (0 = until
// cleared): delay, a status with an Auth0 error body, or malformed JSON.
type Fault struct {
	Status     int
	RetryAfter int // seconds; sent with Status 429
	Delay      time.Duration
	Malformed  bool
	Times      int
}

// New returns a simulator with one signing key. With a StateFile it panics
// when the file cannot be loaded; NewWithState returns the error.
func New(opts Options) *Server {
	s, err := NewWithState(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// NewWithState is New that reports an unreadable or incompatible
// opts.StateFile as an error. Users and keys come from the file when it
// exists; otherwise the tenant starts empty with a fresh key and creates
// the file on the first save.
func NewWithState(opts Options) (*Server, error) {
	if opts.ClientID == "" {
		opts.ClientID = "sim-client"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "sim-secret"
	}
	if opts.Audience == "" {
		opts.Audience = "https://api.vfpanel.test"
	}
	if opts.Connection == "" {
		opts.Connection = "Username-Password-Authentication"
	}
	if opts.RolesClaim == "" {
		opts.RolesClaim = "https://vfpanel.app/roles"
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.KeyGrace == 0 {
		opts.KeyGrace = 24 * time.Hour
	}
	if opts.MaxFailures == 0 {
		opts.MaxFailures = 10
	}
	if len(opts.Grants) == 0 {
		opts.Grants = []string{grantPasswordRealm, "password", "authorization_code", "refresh_token", grantMFAOTP, grantMFARecovery, "client_credentials"}
	}
	s := &Server{opts: opts, users: map[string]*user{}, codes: map[string]*authCode{},
		refresh: map[string]string{}, failures: map[string]int{}, faults: map[string]*Fault{},
		opaque: map[string]string{}, tickets: map[string]string{}, mfa: map[string]*mfaTxn{}}
	loaded, err := simstate.Load("auth0sim", opts.StateFile, s.loadState, func() error {
		s.keys = []*signingKey{newKey()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.persist = simstate.New(opts.StateFile, slog.Default().With("component", "auth0sim"), s.snapshotState)
	if !loaded {
		s.persist.MarkDirty() // keep the key even if nothing else happens
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /.well-known/openid-configuration", s.discovery)
	s.mux.HandleFunc("GET /.well-known/jwks.json", s.jwks)
	s.mux.HandleFunc("POST /oauth/token", s.token)
	s.mux.HandleFunc("GET /authorize", s.authorizePage)
	s.mux.HandleFunc("POST /authorize", s.authorizeSubmit)
	s.mux.HandleFunc("POST /dbconnections/signup", s.signup)
	s.mux.HandleFunc("POST /dbconnections/change_password", s.changePassword)
	s.mux.HandleFunc("GET /userinfo", s.userinfo)
	s.mux.HandleFunc("POST /oauth/revoke", s.revoke)
	s.mux.HandleFunc("GET /oidc/logout", s.logout)
	s.mux.HandleFunc("GET /u/email-verification", s.verifyEmailPage)
	s.mux.HandleFunc("POST /mfa/associate", s.associate)
	s.mux.HandleFunc("GET /api/v2/users-by-email", s.usersByEmail)
	s.mux.HandleFunc("POST /api/v2/jobs/verification-email", s.verificationEmailJob)
	s.mux.HandleFunc("DELETE /api/v2/users/{id}", s.deleteUser)
	s.mux.HandleFunc("PATCH /api/v2/users/{id}", s.patchUser)
	s.mux.HandleFunc("GET /mfa/authenticators", s.listAuthenticators)
	s.mux.HandleFunc("DELETE /mfa/authenticators/{id}", s.deleteAuthenticator)
	return s, nil
}

// Options returns the effective options (with defaults filled in).
func (s *Server) Options() Options { return s.opts }

// Issuer is the tenant's issuer: URL with a trailing slash, as in iss.
func (s *Server) Issuer() string { return s.URL + "/" }

// Handler serves the tenant's endpoints.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.applyFault(w, r) {
			return
		}
		s.mux.ServeHTTP(w, r)
		if r.Method != http.MethodGet {
			s.persist.MarkDirty() // sign-ups, refresh tokens, codes, failure counts
		}
	})
}

// Start listens on addr ("127.0.0.1:0" for any free port) and sets URL.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("auth0sim: listen %s: %w", addr, err)
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// Close stops a started server and writes the state file one last time.
func (s *Server) Close() error {
	var err error
	if s.srv != nil {
		err = s.srv.Close()
	}
	if perr := s.persist.Close(); perr != nil && err == nil {
		err = fmt.Errorf("auth0sim: save state file: %w", perr)
	}
	return err
}

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

func newKey() *signingKey {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("auth0sim: generate key: " + err.Error())
	}
	return &signingKey{kid: randHex(8), priv: priv}
}

func randRead(b []byte) {
	if _, err := rand.Read(b); err != nil {
		panic("auth0sim: crypto/rand: " + err.Error())
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ---- test hooks ----

// AddUser creates a database user with a verified email, as an
// administrator creating a user with email_verified set would, and returns
// its sub ("auth0|<id>"). Users who sign up through /dbconnections/signup
// start unverified instead. Roles (e.g. "admin") go into the roles claim
// of its tokens. Adding an existing email replaces the user but keeps its
// sub, so seeding again after loading a StateFile does not orphan the
// panel's records.
func (s *Server) AddUser(email, password, name string, roles ...string) string {
	hash := hashPassword(password)
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &user{id: randHex(12), email: strings.ToLower(email), password: hash, name: name, roles: roles, verified: true}
	if old := s.users[u.email]; old != nil {
		u.id = old.id
	}
	s.users[u.email] = u
	s.persist.MarkDirty()
	return "auth0|" + u.id
}

// Subject returns the sub of a user, or "".
func (s *Server) Subject(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[strings.ToLower(email)]; u != nil {
		return "auth0|" + u.id
	}
	return ""
}

// Block blocks a user, as an administrator would in the dashboard.
func (s *Server) Block(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[strings.ToLower(email)]; u != nil {
		u.blocked = true
		s.persist.MarkDirty()
	}
}

// SetEmailVerified sets a user's email_verified, as the Management API's
// PATCH /api/v2/users/{id} would.
func (s *Server) SetEmailVerified(email string, verified bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[strings.ToLower(email)]; u != nil {
		u.verified = verified
		s.persist.MarkDirty()
	}
}

// VerificationLink returns the link of the verification email Auth0 sent
// when email signed up ("" when none is pending). Opening it verifies the
// email, as the real ticket link does.
func (s *Server) VerificationLink(email string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, e := range s.tickets {
		if e == strings.ToLower(email) {
			return s.URL + "/u/email-verification?ticket=" + t
		}
	}
	return ""
}

// RotateKey makes a new signing key current; the old one stays in the JWKS
// for KeyGrace so tokens it signed still verify.
func (s *Server) RotateKey() {
	k := newKey()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[len(s.keys)-1].retiredAt = s.now()
	s.keys = append(s.keys, k)
	s.persist.MarkDirty()
}

// SetFault makes path misbehave; a zero Fault clears it.
func (s *Server) SetFault(path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == (Fault{}) {
		delete(s.faults, path)
		return
	}
	s.faults[path] = &f
}

// PasswordResets returns the emails password-reset mails were "sent" to.
func (s *Server) PasswordResets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.resets...)
}

// ForwardedFor returns the auth0-forwarded-for values token requests carried.
func (s *Server) ForwardedFor() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.forwarded...)
}

// TokenRequests returns how many requests reached /oauth/token.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenReqs
}

func (s *Server) applyFault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	f := s.faults[r.URL.Path]
	var fc Fault
	if f != nil {
		fc = *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				delete(s.faults, r.URL.Path)
			}
		}
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	if fc.Delay > 0 {
		select {
		case <-time.After(fc.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case fc.Malformed:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"access_token": "trunc`))
		return true
	case fc.Status != 0:
		if fc.RetryAfter > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(fc.RetryAfter))
		}
		code := "server_error"
		if fc.Status == http.StatusTooManyRequests {
			code = "too_many_requests"
		}
		oauthError(w, fc.Status, code, http.StatusText(fc.Status))
		return true
	}
	return false
}

// ---- token minting ----

// TokenOptions describe a token for MintToken. Zero fields get the values a
// genuine access token for Subject would have.
type TokenOptions struct {
	Subject   string   // default "auth0|test"
	Issuer    string   // default the tenant's issuer
	Audience  []string // default [Audience, Issuer+"userinfo"]
	Scope     string   // default "openid profile email"
	Roles     []string
	IssuedAt  time.Time // default now
	ExpiresAt time.Time // default now + TokenTTL
	NotBefore time.Time // omitted when zero
	NoExpiry  bool      // omit exp
	KeyID     string    // a kid not in the JWKS signs with a fresh unpublished key
	Extra     map[string]any
}

// MintToken returns an RS256 access token shaped by opts.
func (s *Server) MintToken(opts TokenOptions) string {
	claims := s.claims(opts)
	s.mu.Lock()
	key := s.keys[len(s.keys)-1]
	s.mu.Unlock()
	if opts.KeyID != "" && opts.KeyID != key.kid {
		key = s.keyByID(opts.KeyID)
		if key == nil {
			k := newKey()
			k.kid = opts.KeyID
			key = k
		}
	}
	return sign(key, claims)
}

// MintNone returns an unsigned token (alg "none") with opts' claims.
func (s *Server) MintNone(opts TokenOptions) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	body, _ := json.Marshal(s.claims(opts))
	return header + "." + base64.RawURLEncoding.EncodeToString(body) + "."
}

// MintHS256WithPublicKey returns a token signed with HMAC-SHA256 using the
// current public key (PEM) as the secret — the classic algorithm-confusion
// attack. The kid names the current key.
func (s *Server) MintHS256WithPublicKey(opts TokenOptions) string {
	s.mu.Lock()
	key := s.keys[len(s.keys)-1]
	s.mu.Unlock()
	der, _ := x509.MarshalPKIXPublicKey(&key.priv.PublicKey)
	secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: jose.JSONWebKey{Key: secret, KeyID: key.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic("auth0sim: hs256 signer: " + err.Error())
	}
	tok, err := jwt.Signed(signer).Claims(s.claims(opts)).Serialize()
	if err != nil {
		panic("auth0sim: hs256 sign: " + err.Error())
	}
	return tok
}

func (s *Server) keyByID(kid string) *signingKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.kid == kid {
			return k
		}
	}
	return nil
}

func (s *Server) claims(o TokenOptions) map[string]any {
	now := s.now()
	if o.Subject == "" {
		o.Subject = "auth0|test"
	}
	if o.Issuer == "" {
		o.Issuer = s.Issuer()
	}
	if o.Audience == nil {
		o.Audience = []string{s.opts.Audience, s.Issuer() + "userinfo"}
	}
	if o.Scope == "" {
		o.Scope = "openid profile email"
	}
	if o.IssuedAt.IsZero() {
		o.IssuedAt = now
	}
	if o.ExpiresAt.IsZero() {
		o.ExpiresAt = now.Add(s.opts.TokenTTL)
	}
	c := map[string]any{
		"iss": o.Issuer, "sub": o.Subject, "aud": o.Audience, "azp": s.opts.ClientID,
		"iat": o.IssuedAt.Unix(), "scope": o.Scope, "gty": "password",
	}
	if !o.NoExpiry {
		c["exp"] = o.ExpiresAt.Unix()
	}
	if !o.NotBefore.IsZero() {
		c["nbf"] = o.NotBefore.Unix()
	}
	if len(o.Roles) > 0 {
		c[s.opts.RolesClaim] = o.Roles
	}
	for k, v := range o.Extra {
		c[k] = v
	}
	return c
}

func sign(k *signingKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic("auth0sim: signer: " + err.Error())
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		panic("auth0sim: sign: " + err.Error())
	}
	return tok
}

// ---- endpoints ----

func (s *Server) issuerFor(r *http.Request) string {
	if s.URL != "" {
		return s.Issuer()
	}
	return "http://" + r.Host + "/"
}

// discovery publishes the fields and values a real tenant's
// openid-configuration has. Source: the Auth0 tenant document in
// redpanda-data/redpanda src/v/security/tests/jwt_test.cc (Auth0 case),
// plus end_session_endpoint, which tenants publish since Auth0 added
// OIDC RP-Initiated Logout (auth0.com/docs/authenticate/login/logout/
// log-users-out-of-auth0; "rp_logout_end_session_endpoint_discovery"
// defaults to true). Real tenants publish no grant_types_supported.
func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	iss := s.issuerFor(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                           iss,
		"authorization_endpoint":                           iss + "authorize",
		"token_endpoint":                                   iss + "oauth/token",
		"device_authorization_endpoint":                    iss + "oauth/device/code",
		"userinfo_endpoint":                                iss + "userinfo",
		"mfa_challenge_endpoint":                           iss + "mfa/challenge",
		"jwks_uri":                                         iss + ".well-known/jwks.json",
		"registration_endpoint":                            iss + "oidc/register",
		"revocation_endpoint":                              iss + "oauth/revoke",
		"end_session_endpoint":                             iss + "oidc/logout",
		"scopes_supported":                                 []string{"openid", "profile", "offline_access", "name", "given_name", "family_name", "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address"},
		"response_types_supported":                         []string{"code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token"},
		"code_challenge_methods_supported":                 []string{"S256", "plain"},
		"response_modes_supported":                         []string{"query", "fragment", "form_post"},
		"subject_types_supported":                          []string{"public"},
		"id_token_signing_alg_values_supported":            []string{"HS256", "RS256", "PS256"},
		"token_endpoint_auth_methods_supported":            []string{"client_secret_basic", "client_secret_post", "private_key_jwt"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"RS256", "RS384", "PS256"},
		"claims_supported":                                 []string{"aud", "auth_time", "created_at", "email", "email_verified", "exp", "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number", "picture", "sub"},
		"request_uri_parameter_supported":                  false,
		"request_parameter_supported":                      false,
	})
}

func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.mu.Lock()
	var set jose.JSONWebKeySet
	for _, k := range s.keys {
		if !k.retiredAt.IsZero() && now.Sub(k.retiredAt) > s.opts.KeyGrace {
			continue
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.priv.PublicKey, KeyID: k.kid, Algorithm: "RS256", Use: "sig"})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, set)
}

// params reads a form or JSON body into a flat map.
func params(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&m); err != nil {
			return nil, err
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[k] = v
			case nil:
			default:
				b, _ := json.Marshal(v)
				out[k] = string(b)
			}
		}
		return out, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	for k := range r.PostForm {
		out[k] = r.PostForm.Get(k)
	}
	return out, nil
}

const grantPasswordRealm = "http://auth0.com/oauth/grant-type/password-realm"

// clientAuth authenticates the application by client_secret_post or
// client_secret_basic (RFC 6749 §2.3.1; both are in the tenant's
// token_endpoint_auth_methods_supported). The simulated application is a
// confidential Regular Web Application, so every grant needs its secret.
// It writes the refusal itself; Auth0 answers a wrong or missing client
// credential with 401 access_denied "Unauthorized".
func (s *Server) clientAuth(w http.ResponseWriter, r *http.Request, p map[string]string) bool {
	id, secret := p["client_id"], p["client_secret"]
	if bid, bsecret, ok := r.BasicAuth(); ok {
		if _, inBody := p["client_secret"]; inBody {
			// RFC 6749 §2.3: a client MUST NOT use more than one method.
			oauthError(w, http.StatusBadRequest, "invalid_request", "Only one client authentication method may be used.")
			return false
		}
		if id != "" && id != bid {
			oauthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
			return false
		}
		id, secret = bid, bsecret
	}
	if id != s.opts.ClientID || secret == "" ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
		return false
	}
	return true
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenReqs++
	if ff := r.Header.Get("auth0-forwarded-for"); ff != "" {
		s.forwarded = append(s.forwarded, ff)
	}
	s.mu.Unlock()
	p, err := params(r)
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Malformed request body.")
		return
	}
	if p["grant_type"] == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: grant_type")
		return
	}
	if !s.clientAuth(w, r, p) {
		return
	}
	if !slices.Contains(s.opts.Grants, p["grant_type"]) {
		oauthError(w, http.StatusForbidden, "unauthorized_client",
			fmt.Sprintf("Grant type '%s' not allowed for the client.", p["grant_type"]))
		return
	}
	if aud := p["audience"]; aud != "" && !s.allowedAudience(aud) && p["grant_type"] != "client_credentials" {
		oauthError(w, http.StatusForbidden, "access_denied", "Service not found: "+aud)
		return
	}
	switch p["grant_type"] {
	case grantPasswordRealm, "password":
		s.passwordGrant(w, r, p)
	case "authorization_code":
		s.codeGrant(w, r, p)
	case "refresh_token":
		s.refreshGrant(w, p)
	case grantMFAOTP, grantMFARecovery:
		s.mfaGrant(w, p)
	case "client_credentials":
		s.clientCredentialsGrant(w, p)
	default:
		oauthError(w, http.StatusForbidden, "unauthorized_client",
			fmt.Sprintf("Grant type '%s' not allowed for the client.", p["grant_type"]))
	}
}

func (s *Server) passwordGrant(w http.ResponseWriter, r *http.Request, p map[string]string) {
	for _, k := range []string{"username", "password"} {
		if p[k] == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: "+k)
			return
		}
	}
	switch {
	case p["grant_type"] == "password" && s.opts.DefaultDirectory == "":
		oauthError(w, http.StatusInternalServerError, "server_error",
			"Authorization server not configured with default connection.")
		return
	case p["grant_type"] == "password" && s.opts.DefaultDirectory != s.opts.Connection,
		p["grant_type"] == grantPasswordRealm && p["realm"] != s.opts.Connection:
		if p["grant_type"] == grantPasswordRealm && p["realm"] == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: realm")
			return
		}
		oauthError(w, http.StatusBadRequest, "invalid_request", "Connection not found.")
		return
	}
	ip := r.Header.Get("auth0-forwarded-for")
	if ip == "" {
		ip, _, _ = net.SplitHostPort(r.RemoteAddr)
	}
	u, ok := s.checkPassword(w, p["username"], p["password"], ip)
	if !ok {
		return
	}
	s.mu.Lock()
	needMFA := u.hasActiveOTP()
	var mfaToken string
	if needMFA {
		mfaToken = s.newMFAToken(u, s.opts.ClientID, p["audience"], p["scope"])
	}
	s.mu.Unlock()
	if needMFA {
		// Shape from Auth0's "Authenticate with Resource Owner Password
		// Grant and MFA" guide: the client continues with the mfa-otp or
		// mfa-recovery-code grant.
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "mfa_required",
			"error_description": "Multifactor authentication required", "mfa_token": mfaToken})
		return
	}
	s.issue(w, u, s.scope(p["scope"]), p["audience"], "", "password")
}

// checkPassword applies Auth0's answers for blocked users, brute-force
// protection and wrong credentials; it writes the error itself.
func (s *Server) checkPassword(w http.ResponseWriter, email, password, ip string) (*user, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[email]
	fk := email + "|" + ip
	if s.failures[fk] >= s.opts.MaxFailures {
		oauthError(w, http.StatusTooManyRequests, "too_many_attempts",
			"Your account has been blocked after multiple consecutive login attempts. We've sent you an email with instructions on how to unblock it.")
		return nil, false
	}
	if u == nil || !checkPasswordHash(u.password, password) {
		s.failures[fk]++
		oauthError(w, http.StatusForbidden, "invalid_grant", "Wrong email or password.")
		return nil, false
	}
	if u.blocked {
		oauthError(w, http.StatusUnauthorized, "unauthorized", "user is blocked")
		return nil, false
	}
	delete(s.failures, fk)
	return u, true
}

func (s *Server) scope(sc string) string {
	if sc == "" {
		return "openid profile email"
	}
	return sc
}

func (s *Server) codeGrant(w http.ResponseWriter, r *http.Request, p map[string]string) {
	s.mu.Lock()
	c := s.codes[p["code"]]
	delete(s.codes, p["code"]) // single use
	s.mu.Unlock()
	if c == nil || s.now().After(c.expires) {
		oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid authorization code")
		return
	}
	if c.clientID != p["client_id"] || c.redirectURI != p["redirect_uri"] {
		oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid authorization code")
		return
	}
	if c.challenge != "" {
		got := p["code_verifier"]
		if c.method != "plain" {
			sum := sha256.Sum256([]byte(got))
			got = base64.RawURLEncoding.EncodeToString(sum[:])
		}
		if p["code_verifier"] == "" || got != c.challenge {
			oauthError(w, http.StatusForbidden, "invalid_grant", "Failed to verify code verifier")
			return
		}
	}
	s.mu.Lock()
	u := s.users[c.email]
	s.mu.Unlock()
	if u == nil || u.blocked {
		oauthError(w, http.StatusUnauthorized, "unauthorized", "user is blocked")
		return
	}
	s.issue(w, u, c.scope, c.audience, c.nonce, "authorization_code")
}

func (s *Server) refreshGrant(w http.ResponseWriter, p map[string]string) {
	s.mu.Lock()
	email, ok := s.refresh[p["refresh_token"]]
	u := s.users[email]
	s.mu.Unlock()
	if !ok || u == nil {
		oauthError(w, http.StatusForbidden, "invalid_grant", "Unknown or invalid refresh token.")
		return
	}
	if u.blocked {
		oauthError(w, http.StatusUnauthorized, "unauthorized", "user is blocked")
		return
	}
	s.issue(w, u, s.scope(p["scope"]), s.opts.Audience, "", "refresh_token")
}

// issue answers a successful token request. Without an audience (and
// without a tenant default) Auth0 issues an opaque access token that only
// /userinfo accepts.
func (s *Server) issue(w http.ResponseWriter, u *user, scope, audience, nonce, gty string) {
	s.issueExtra(w, u, scope, audience, nonce, gty, nil)
}

// issueExtra is issue with extra top-level fields (empty strings left out).
func (s *Server) issueExtra(w http.ResponseWriter, u *user, scope, audience, nonce, gty string, extra map[string]any) {
	now := s.now()
	if audience == "" {
		audience = s.opts.DefaultAudience
	}
	s.mu.Lock()
	key := s.keys[len(s.keys)-1]
	s.mu.Unlock()
	var accessToken string
	if audience == "" {
		accessToken = randHex(16)
		s.mu.Lock()
		s.opaque[accessToken] = u.email
		s.mu.Unlock()
	} else {
		access := s.claims(TokenOptions{Subject: "auth0|" + u.id, Scope: scope, Roles: u.roles,
			Audience: []string{audience, s.Issuer() + "userinfo"}})
		access["gty"] = gty
		accessToken = sign(key, access)
	}
	resp := map[string]any{
		"access_token": accessToken,
		"token_type":   "Bearer",
		"expires_in":   int(s.opts.TokenTTL.Seconds()),
		"scope":        scope,
	}
	if hasScope(scope, "openid") {
		id := map[string]any{
			"iss": s.Issuer(), "sub": "auth0|" + u.id, "aud": s.opts.ClientID,
			"iat": now.Unix(), "exp": now.Add(10 * time.Hour).Unix(),
			"email": u.email, "email_verified": u.verified, "name": u.name, "nickname": strings.Split(u.email, "@")[0],
		}
		if nonce != "" {
			id["nonce"] = nonce
		}
		if len(u.roles) > 0 {
			id[s.opts.RolesClaim] = u.roles
		}
		resp["id_token"] = sign(key, id)
	}
	if hasScope(scope, "offline_access") {
		rt := randHex(24)
		s.mu.Lock()
		s.refresh[rt] = u.email
		s.mu.Unlock()
		resp["refresh_token"] = rt
	}
	for k, v := range extra {
		if v != "" {
			resp[k] = v
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

func hasScope(scope, want string) bool {
	for _, s := range strings.Fields(scope) {
		if s == want {
			return true
		}
	}
	return false
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		signupError(w, http.StatusBadRequest, "BadRequestError", "invalid_body", "Malformed body")
		return
	}
	if p["client_id"] != s.opts.ClientID {
		signupError(w, http.StatusBadRequest, "BadRequestError", "invalid_signup", "Invalid client.")
		return
	}
	if p["connection"] != s.opts.Connection {
		signupError(w, http.StatusBadRequest, "BadRequestError", "invalid_connection", "Connection not found")
		return
	}
	email := strings.ToLower(strings.TrimSpace(p["email"]))
	if !strings.Contains(email, "@") {
		signupError(w, http.StatusBadRequest, "BadRequestError", "invalid_signup", "Invalid sign up")
		return
	}
	if !strongEnough(p["password"]) {
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"name": "PasswordStrengthError", "message": "Password is too weak", "code": "invalid_password",
			"description": map[string]any{"rules": []map[string]any{
				{"message": "At least %d characters in length", "format": []int{8}, "code": "lengthAtLeast", "verified": len(p["password"]) >= 8},
				{"message": "Contain at least %d of the following %d types of characters:", "code": "containsAtLeast", "format": []int{3, 4}},
			}, "verified": false},
			"policy":     "* At least 8 characters in length\n* Contain at least 3 of the following 4 types of characters:\n * lower case letters (a-z)\n * upper case letters (A-Z)\n * numbers (i.e. 0-9)\n * special characters (e.g. !@#$%^&*)",
			"statusCode": 400,
		})
		return
	}
	hash := hashPassword(p["password"]) // before the lock: hashing is slow on purpose
	s.mu.Lock()
	if s.users[email] != nil {
		s.mu.Unlock()
		// 400, not 409: {"name":"BadRequestError","code":"user_exists",
		// "description":"The user already exists.","statusCode":400} as in
		// auth0/auth0.js's web-auth tests (signupAndLogin, user_exists).
		signupError(w, http.StatusBadRequest, "BadRequestError", "user_exists", "The user already exists.")
		return
	}
	u := &user{id: randHex(12), email: email, password: hash, name: p["name"]}
	if u.name == "" {
		u.name = email
	}
	s.users[email] = u
	// Auth0 emails a verification link to every database signup.
	ticket := randHex(16)
	s.tickets[ticket] = email
	s.mu.Unlock()
	slog.Info("auth0sim: verification email sent", "email", email,
		"link", s.URL+"/u/email-verification?ticket="+ticket)
	writeJSON(w, http.StatusOK, map[string]any{"_id": u.id, "email": email, "email_verified": false, "name": u.name})
}

// strongEnough is Auth0's "fair" policy: 8+ characters, 3 of 4 classes.
func strongEnough(pw string) bool {
	if len(pw) < 8 {
		return false
	}
	var lower, upper, digit, other int
	for _, c := range pw {
		switch {
		case c >= 'a' && c <= 'z':
			lower = 1
		case c >= 'A' && c <= 'Z':
			upper = 1
		case c >= '0' && c <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	return lower+upper+digit+other >= 3
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil || p["client_id"] != s.opts.ClientID {
		signupError(w, http.StatusBadRequest, "BadRequestError", "invalid_request", "Invalid request.")
		return
	}
	if p["connection"] != s.opts.Connection {
		signupError(w, http.StatusBadRequest, "BadRequestError", "invalid_connection", "Connection not found")
		return
	}
	email := strings.ToLower(strings.TrimSpace(p["email"]))
	s.mu.Lock()
	if s.users[email] != nil {
		s.resets = append(s.resets, email)
	}
	s.mu.Unlock()
	// Auth0 answers the same whether or not the user exists.
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("We've just sent you an email to reset your password."))
}

func (s *Server) userinfo(w http.ResponseWriter, r *http.Request) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="auth0"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	u, err := s.verify(raw)
	if err != nil {
		s.mu.Lock()
		if email, ok := s.opaque[raw]; ok {
			u, err = s.users[email], nil
		}
		s.mu.Unlock()
	}
	if err != nil || u == nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sub": "auth0|" + u.id, "email": u.email,
		"email_verified": u.verified, "name": u.name, "nickname": strings.Split(u.email, "@")[0]})
}

// verify checks an access token the simulator issued and returns its user.
func (s *Server) verify(raw string) (*user, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(tok.Headers) != 1 {
		return nil, errors.New("malformed")
	}
	k := s.keyByID(tok.Headers[0].KeyID)
	if k == nil {
		return nil, errors.New("unknown key")
	}
	var c jwt.Claims
	if err := tok.Claims(&k.priv.PublicKey, &c); err != nil {
		return nil, err
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: s.Issuer(), Time: s.now()}, 0); err != nil || c.Expiry == nil {
		return nil, errors.New("invalid claims")
	}
	id, ok := strings.CutPrefix(c.Subject, "auth0|")
	if !ok {
		return nil, errors.New("bad sub")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.id == id {
			return u, nil
		}
	}
	return nil, errors.New("no such user")
}

// revoke is /oauth/revoke: it revokes a refresh token and answers 200 with
// an empty body, also for unknown tokens (RFC 7009 §2.2).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Malformed request body.")
		return
	}
	if !s.clientAuth(w, r, p) {
		return
	}
	if p["token"] == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: token")
		return
	}
	s.mu.Lock()
	delete(s.refresh, p["token"])
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// logout is the OIDC end_session_endpoint: it ends the (stateless) login
// session and sends the browser to post_logout_redirect_uri.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dst := q.Get("post_logout_redirect_uri")
	if dst == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("You are logged out."))
		return
	}
	if q.Get("client_id") != s.opts.ClientID && q.Get("id_token_hint") == "" {
		http.Error(w, "client_id or id_token_hint is required with post_logout_redirect_uri", http.StatusBadRequest)
		return
	}
	u, err := url.Parse(dst)
	if err != nil || u.Scheme == "" || u.Host == "" {
		http.Error(w, "invalid post_logout_redirect_uri", http.StatusBadRequest)
		return
	}
	if st := q.Get("state"); st != "" {
		v := u.Query()
		v.Set("state", st)
		u.RawQuery = v.Encode()
	}
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// verifyEmailPage is the link of the verification email: it marks the
// email verified once.
func (s *Server) verifyEmailPage(w http.ResponseWriter, r *http.Request) {
	t := r.URL.Query().Get("ticket")
	s.mu.Lock()
	email, ok := s.tickets[t]
	if ok {
		delete(s.tickets, t)
		if u := s.users[email]; u != nil {
			u.verified = true
		}
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<!doctype html><title>Email verification</title><p>This link is invalid or was already used.</p>"))
		return
	}
	s.persist.MarkDirty()
	_, _ = w.Write([]byte("<!doctype html><title>Email verification</title><p>Your email address was verified. You can close this page.</p>"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// oauthError writes the /oauth/token error shape.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// signupError writes the /dbconnections error shape.
func signupError(w http.ResponseWriter, status int, name, code, desc string) {
	writeJSON(w, status, map[string]any{"name": name, "code": code, "description": desc, "statusCode": status})
}
