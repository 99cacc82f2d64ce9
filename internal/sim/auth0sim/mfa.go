package auth0sim

import (
	"crypto/subtle"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// MFA as Auth0's MFA API and grants do it, for one-time-password (TOTP,
// RFC 6238) authenticators and recovery codes. Sources:
//   - auth0.com/docs/secure/multi-factor-authentication/authenticate-using-ropg-flow-with-mfa
//     (mfa_required with mfa_token; enroll-and-challenge-otp-authenticators:
//     POST /mfa/associate {"authenticator_types":["otp"]} answers
//     {authenticator_type, secret, barcode_uri, recovery_codes}; the
//     enrolment is confirmed with the mfa-otp grant and the same token);
//   - auth0.com/docs/api/authentication/multi-factor-authentication
//     (add-an-authenticator: the mfa_token works only while the user has no
//     active authenticator, otherwise an access token with scope enroll and
//     audience https://{domain}/mfa/; list-authenticators needs
//     read:authenticators; delete needs remove:authenticators; verify-with-
//     recovery-code: the answer may carry a new recovery_code);
//   - auth0.com/docs/secure/multi-factor-authentication/manage-mfa-auth0-apis
//     (tokens for the https://{domain}/mfa/ audience expire after 10 minutes).

const (
	grantMFAOTP      = "http://auth0.com/oauth/grant-type/mfa-otp"
	grantMFARecovery = "http://auth0.com/oauth/grant-type/mfa-recovery-code"
	mfaTokenTTL      = 10 * time.Minute
	// maxOTPFailures wrong codes end an mfa_token: the client must start
	// over with the password.
	maxOTPFailures = 5
)

// otpAuthenticator is one enrolled (or pending) TOTP authenticator.
type otpAuthenticator struct {
	ID       string    `json:"id"` // "totp|dev_<hex>"
	Secret   string    `json:"secret"`
	Active   bool      `json:"active"`
	Created  time.Time `json:"created"`
	LastStep int64     `json:"lastStep"` // last accepted time step: a code is good once (RFC 6238 §5.2)
}

// mfaTxn is an mfa_token (or an MFA API access token used to enrol) and
// what it may still do.
type mfaTxn struct {
	email, clientID, audience, scope string
	expires                          time.Time
	failures                         int
}

// MFAAudience is the audience of tokens for the MFA API.
func (s *Server) MFAAudience() string { return s.Issuer() + "mfa/" }

func (s *Server) allowedAudience(aud string) bool {
	return aud == s.opts.Audience || aud == s.MFAAudience()
}

// RequireMFA enrolls a user in MFA with an active TOTP authenticator and
// returns its base32 secret, so tests can compute codes (TOTPCode): a
// correct password then gets 403 mfa_required with an mfa_token.
func (s *Server) RequireMFA(email string) string {
	key, _ := totp.Generate(totp.GenerateOpts{Issuer: "vfpanel-sim", AccountName: email})
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[strings.ToLower(email)]
	if u == nil {
		return ""
	}
	u.otp = append(u.otp, &otpAuthenticator{ID: "totp|dev_" + randHex(8), Secret: key.Secret(), Active: true, Created: s.now()})
	s.persist.MarkDirty()
	return key.Secret()
}

// TOTPCode returns the code an authenticator app with secret shows at t.
func TOTPCode(secret string, t time.Time) string {
	code, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		panic("auth0sim: totp: " + err.Error())
	}
	return code
}

// hasActiveOTP reports whether u must pass MFA at sign-in.
func (u *user) hasActiveOTP() bool {
	return slices.ContainsFunc(u.otp, func(a *otpAuthenticator) bool { return a.Active })
}

// newMFAToken starts an MFA transaction for u; the caller holds s.mu.
func (s *Server) newMFAToken(u *user, clientID, audience, scope string) string {
	t := "Fe26.2*" + randHex(24) // Auth0's mfa_tokens are opaque iron-sealed strings
	s.mfa[t] = &mfaTxn{email: u.email, clientID: clientID, audience: audience, scope: scope, expires: s.now().Add(mfaTokenTTL)}
	return t
}

// checkOTP accepts a code from any of the authenticators that pass
// (active ones, or pending ones when confirming an enrolment), within one
// step of clock skew, once per step.
func (s *Server) checkOTP(auths []*otpAuthenticator, code string) *otpAuthenticator {
	now := s.now()
	if s.opts.OTPNow != nil {
		now = s.opts.OTPNow()
	}
	for _, a := range auths {
		for skew := int64(-1); skew <= 1; skew++ {
			step := now.Unix()/30 + skew
			if step <= a.LastStep {
				continue
			}
			want := TOTPCode(a.Secret, time.Unix(step*30, 0))
			if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
				a.LastStep = step
				return a
			}
		}
	}
	return nil
}

// mfaGrant is the mfa-otp and mfa-recovery-code grants.
func (s *Server) mfaGrant(w http.ResponseWriter, p map[string]string) {
	field := "otp"
	if p["grant_type"] == grantMFARecovery {
		field = "recovery_code"
	}
	for _, k := range []string{"mfa_token", field} {
		if p[k] == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: "+k)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	txn := s.mfa[p["mfa_token"]]
	switch {
	case txn == nil:
		oauthError(w, http.StatusForbidden, "invalid_grant", "Malformed mfa_token")
		return
	case !s.now().Before(txn.expires):
		delete(s.mfa, p["mfa_token"])
		oauthError(w, http.StatusForbidden, "expired_token", "mfa_token is expired")
		return
	case txn.clientID != p["client_id"] && txn.clientID != "":
		oauthError(w, http.StatusForbidden, "invalid_grant", "mfa_token not issued to this client")
		return
	}
	u := s.users[txn.email]
	if u == nil || u.blocked {
		oauthError(w, http.StatusUnauthorized, "unauthorized", "user is blocked")
		return
	}
	fail := func(desc string) {
		txn.failures++
		if txn.failures >= maxOTPFailures {
			delete(s.mfa, p["mfa_token"])
		}
		oauthError(w, http.StatusForbidden, "invalid_grant", desc)
	}
	var newRecovery string
	if field == "otp" {
		// Confirming an enrolment checks the pending authenticator; a
		// challenge checks the active ones.
		var pending []*otpAuthenticator
		for _, a := range u.otp {
			if !a.Active {
				pending = append(pending, a)
			}
		}
		candidates := pending
		if len(pending) == 0 {
			candidates = u.otp
		}
		a := s.checkOTP(candidates, p["otp"])
		if a == nil {
			fail("Invalid otp_code.")
			return
		}
		if !a.Active {
			a.Active = true
			u.otp = slices.DeleteFunc(u.otp, func(o *otpAuthenticator) bool { return !o.Active })
			if u.recoveryPending != "" {
				u.recovery, u.recoveryPending = u.recoveryPending, ""
			}
		}
	} else {
		code := strings.ToUpper(strings.TrimSpace(p["recovery_code"]))
		if u.recovery == "" || subtle.ConstantTimeCompare([]byte(code), []byte(u.recovery)) != 1 {
			fail("MFA Authorization rejected.")
			return
		}
		// A recovery code works once; Auth0 answers with its successor.
		newRecovery = recoveryCode()
		u.recovery = newRecovery
	}
	delete(s.mfa, p["mfa_token"])
	s.persist.MarkDirty()
	s.mu.Unlock()
	defer s.mu.Lock()
	s.issueExtra(w, u, s.scope(txn.scope), txn.audience, "", "mfa", map[string]any{"recovery_code": newRecovery})
}

// recoveryCode is 24 characters of base32, like Auth0's.
func recoveryCode() string {
	b := make([]byte, 15)
	randRead(b)
	return base32.StdEncoding.EncodeToString(b)
}

// mfaBearer authenticates a call to the MFA API: an access token for the
// MFA audience with scope, or (when mfaTokenOK) an mfa_token. It returns
// the user and the raw token, writing the refusal itself.
func (s *Server) mfaBearer(w http.ResponseWriter, r *http.Request, scope string, mfaTokenOK bool) (*user, string, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		oauthError(w, http.StatusUnauthorized, "unauthorized", "Authorization header is missing")
		return nil, "", false
	}
	s.mu.Lock()
	txn := s.mfa[raw]
	s.mu.Unlock()
	if txn != nil {
		s.mu.Lock()
		u := s.users[txn.email]
		s.mu.Unlock()
		switch {
		case !s.now().Before(txn.expires):
			oauthError(w, http.StatusUnauthorized, "expired_token", "mfa_token is expired")
		case !mfaTokenOK || u == nil:
			oauthError(w, http.StatusUnauthorized, "invalid_token", "The mfa_token cannot be used here.")
		case u.hasActiveOTP():
			oauthError(w, http.StatusForbidden, "access_denied", "User is already enrolled.")
		default:
			return u, raw, true
		}
		return nil, "", false
	}
	u, scopes, err := s.verifyMFAAccess(raw)
	if err != nil {
		oauthError(w, http.StatusUnauthorized, "invalid_token", "Invalid token")
		return nil, "", false
	}
	if !hasScope(scopes, scope) {
		oauthError(w, http.StatusForbidden, "access_denied", "Insufficient scope, expected any of: "+scope)
		return nil, "", false
	}
	return u, raw, true
}

// verifyMFAAccess checks a JWT for the MFA audience and returns its user
// and scope.
func (s *Server) verifyMFAAccess(raw string) (*user, string, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(tok.Headers) != 1 {
		return nil, "", fmt.Errorf("malformed")
	}
	k := s.keyByID(tok.Headers[0].KeyID)
	if k == nil {
		return nil, "", fmt.Errorf("unknown key")
	}
	var c jwt.Claims
	var extra struct {
		Scope string `json:"scope"`
	}
	if err := tok.Claims(&k.priv.PublicKey, &c, &extra); err != nil {
		return nil, "", err
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: s.Issuer(), AnyAudience: jwt.Audience{s.MFAAudience()}, Time: s.now()}, 0); err != nil || c.Expiry == nil {
		return nil, "", fmt.Errorf("invalid claims")
	}
	u, err := s.verify(raw)
	return u, extra.Scope, err
}

// associate is POST /mfa/associate for authenticator_types ["otp"].
func (s *Server) associate(w http.ResponseWriter, r *http.Request) {
	u, raw, ok := s.mfaBearer(w, r, "enroll", true)
	if !ok {
		return
	}
	var in struct {
		ClientID           string   `json:"client_id"`
		AuthenticatorTypes []string `json:"authenticator_types"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&in); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Malformed request body.")
		return
	}
	if in.ClientID != "" && in.ClientID != s.opts.ClientID {
		oauthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
		return
	}
	if len(in.AuthenticatorTypes) != 1 || in.AuthenticatorTypes[0] != "otp" {
		// Only OTP is enabled on the simulated tenant.
		oauthError(w, http.StatusBadRequest, "unsupported_challenge_type", "User is not enrolled with any of the requested challenge types.")
		return
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "vfpanel-sim", AccountName: u.email})
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", "internal error")
		return
	}
	s.mu.Lock()
	u.otp = slices.DeleteFunc(u.otp, func(o *otpAuthenticator) bool { return !o.Active })
	u.otp = append(u.otp, &otpAuthenticator{ID: "totp|dev_" + randHex(8), Secret: key.Secret(), Created: s.now()})
	out := map[string]any{"authenticator_type": "otp", "secret": key.Secret(), "barcode_uri": key.URL()}
	if u.recovery == "" {
		// Recovery codes come with the first authenticator only.
		u.recoveryPending = recoveryCode()
		out["recovery_codes"] = []string{u.recoveryPending}
	}
	if s.mfa[raw] == nil {
		// An access token confirms the enrolment as an mfa_token would.
		s.mfa[raw] = &mfaTxn{email: u.email, clientID: s.opts.ClientID, audience: s.MFAAudience(),
			scope: "enroll", expires: s.now().Add(mfaTokenTTL)}
	}
	s.persist.MarkDirty()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// listAuthenticators is GET /mfa/authenticators.
func (s *Server) listAuthenticators(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.mfaBearer(w, r, "read:authenticators", false)
	if !ok {
		return
	}
	type authenticator struct {
		ID                string `json:"id"`
		AuthenticatorType string `json:"authenticator_type"`
		Active            bool   `json:"active"`
	}
	out := []authenticator{}
	s.mu.Lock()
	if u.recovery != "" {
		out = append(out, authenticator{ID: "recovery-code|dev_" + u.id, AuthenticatorType: "recovery-code", Active: true})
	}
	for _, a := range u.otp {
		out = append(out, authenticator{ID: a.ID, AuthenticatorType: "otp", Active: a.Active})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// deleteAuthenticator is DELETE /mfa/authenticators/{id}: 204. Removing
// the last OTP authenticator also drops the recovery code, which exists
// only for it.
func (s *Server) deleteAuthenticator(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.mfaBearer(w, r, "remove:authenticators", false)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	n := len(u.otp)
	u.otp = slices.DeleteFunc(u.otp, func(a *otpAuthenticator) bool { return a.ID == id })
	found := len(u.otp) < n || (id == "recovery-code|dev_"+u.id && u.recovery != "")
	if id == "recovery-code|dev_"+u.id || !u.hasActiveOTP() {
		u.recovery = ""
	}
	s.persist.MarkDirty()
	s.mu.Unlock()
	if !found {
		oauthError(w, http.StatusNotFound, "not_found", "Authenticator not found")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
