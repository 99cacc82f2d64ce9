package auth0sim

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// A slice of the Management API (auth0.com/docs/api/management/v2): the
// client-credentials grant for https://{domain}/api/v2/, GET
// /api/v2/users-by-email and POST /api/v2/jobs/verification-email. Answers
// follow the docs ("Resend Verification Emails": 201 and a job
// {type:"verification_email", status:"pending", created_at, id:"job_…"});
// errors use the Management API's {statusCode, error, message, errorCode}.

// ManagementAudience is the Management API's audience.
func (s *Server) ManagementAudience() string { return s.Issuer() + "api/v2/" }

// managementScopes are the scopes the application is granted on the
// Management API (its client grant).
const managementScopes = "read:users update:users delete:users"

// clientCredentialsGrant issues a Management API token to the application.
func (s *Server) clientCredentialsGrant(w http.ResponseWriter, p map[string]string) {
	if p["audience"] != s.ManagementAudience() {
		// Only the Management API is authorised for this application.
		oauthError(w, http.StatusForbidden, "access_denied", "Client has not been granted scopes: "+p["audience"])
		return
	}
	s.mu.Lock()
	key := s.keys[len(s.keys)-1]
	s.mu.Unlock()
	claims := s.claims(TokenOptions{Subject: s.opts.ClientID + "@clients", Scope: managementScopes,
		Audience: []string{s.ManagementAudience()}})
	claims["gty"] = "client-credentials"
	claims["azp"] = s.opts.ClientID
	writeJSON(w, http.StatusOK, map[string]any{"access_token": sign(key, claims), "token_type": "Bearer",
		"expires_in": int(s.opts.TokenTTL.Seconds()), "scope": managementScopes})
}

func managementError(w http.ResponseWriter, status int, errName, message, errorCode string) {
	body := map[string]any{"statusCode": status, "error": errName, "message": message}
	if errorCode != "" {
		body["errorCode"] = errorCode
	}
	writeJSON(w, status, body)
}

// managementAuth checks a Management API token for scope.
func (s *Server) managementAuth(w http.ResponseWriter, r *http.Request, scope string) bool {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		managementError(w, http.StatusUnauthorized, "Unauthorized", "Missing authentication", "")
		return false
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	var k *signingKey
	if err == nil && len(tok.Headers) == 1 {
		k = s.keyByID(tok.Headers[0].KeyID)
	}
	var c jwt.Claims
	var extra struct {
		Scope string `json:"scope"`
	}
	if k == nil || tok.Claims(&k.priv.PublicKey, &c, &extra) != nil || c.Expiry == nil ||
		c.ValidateWithLeeway(jwt.Expected{Issuer: s.Issuer(), AnyAudience: jwt.Audience{s.ManagementAudience()}, Time: s.now()}, 0) != nil {
		managementError(w, http.StatusUnauthorized, "Unauthorized", "Invalid token", "")
		return false
	}
	if !hasScope(extra.Scope, scope) {
		managementError(w, http.StatusForbidden, "Forbidden", "Insufficient scope, expected any of: "+scope, "insufficient_scope")
		return false
	}
	return true
}

// managedUser is the Management API's user object, in part.
func (s *Server) managedUser(u *user) map[string]any {
	return map[string]any{"user_id": "auth0|" + u.id, "email": u.email, "email_verified": u.verified,
		"name": u.name, "nickname": strings.Split(u.email, "@")[0],
		"identities": []map[string]any{{"connection": s.opts.Connection, "provider": "auth0", "user_id": u.id, "isSocial": false}}}
}

func (s *Server) usersByEmail(w http.ResponseWriter, r *http.Request) {
	if !s.managementAuth(w, r, "read:users") {
		return
	}
	email := strings.ToLower(r.URL.Query().Get("email"))
	if email == "" {
		managementError(w, http.StatusBadRequest, "Bad Request", "Query validation error: 'Missing required property: email' on property email.", "invalid_query_string")
		return
	}
	out := []map[string]any{}
	s.mu.Lock()
	if u := s.users[email]; u != nil {
		out = append(out, s.managedUser(u))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// verificationEmailJob sends a new verification email: a new ticket, whose
// link (logged, and from VerificationLink) verifies the address.
func (s *Server) verificationEmailJob(w http.ResponseWriter, r *http.Request) {
	if !s.managementAuth(w, r, "update:users") {
		return
	}
	var in struct {
		UserID   string `json:"user_id"`
		ClientID string `json:"client_id"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&in); err != nil || in.UserID == "" {
		managementError(w, http.StatusBadRequest, "Bad Request", "Payload validation error: 'Missing required property: user_id'.", "invalid_body")
		return
	}
	id, _ := strings.CutPrefix(in.UserID, "auth0|")
	s.mu.Lock()
	var u *user
	for _, cand := range s.users {
		if cand.id == id {
			u = cand
		}
	}
	if u == nil {
		s.mu.Unlock()
		managementError(w, http.StatusNotFound, "Not Found", "The user does not exist.", "inexistent_user")
		return
	}
	ticket := randHex(16)
	s.tickets[ticket] = u.email
	s.persist.MarkDirty()
	s.mu.Unlock()
	slog.Info("auth0sim: verification email sent", "email", u.email, "link", s.URL+"/u/email-verification?ticket="+ticket)
	writeJSON(w, http.StatusCreated, map[string]any{"type": "verification_email", "status": "pending",
		"created_at": s.now().UTC().Format("2006-01-02T15:04:05.000Z"), "id": "job_" + randHex(8)})
}

// deleteUser is DELETE /api/v2/users/{id}: 204 with no body. Auth0's
// reference lists no 404 for it (deleting a missing user answers 204),
// so a repeated delete succeeds; it needs the delete:users scope.
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	if !s.managementAuth(w, r, "delete:users") {
		return
	}
	id := r.PathValue("id") // any provider's user id; only auth0| users live here
	s.mu.Lock()
	for email, u := range s.users {
		if "auth0|"+u.id == id {
			delete(s.users, email)
		}
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// HasUser reports whether the simulator still has a user with email.
func (s *Server) HasUser(email string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[strings.ToLower(email)] != nil
}

// patchableRoot are the root attributes "Update a User" accepts
// (auth0.com/docs/api/management/v2/users/patch-users-by-id); anything else
// is refused as Auth0's payload validation does.
var patchableRoot = map[string]bool{"app_metadata": true, "blocked": true, "email": true, "email_verified": true,
	"family_name": true, "given_name": true, "name": true, "nickname": true, "password": true, "phone_number": true,
	"phone_verified": true, "picture": true, "username": true, "user_metadata": true, "verify_email": true,
	"connection": true, "client_id": true}

// patchUser is PATCH /api/v2/users/{id} (scope update:users): 200 and the
// user. The simulator applies blocked, name and email_verified; 404
// inexistent_user for an unknown id.
func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	if !s.managementAuth(w, r, "update:users") {
		return
	}
	var in map[string]json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&in); err != nil || len(in) == 0 {
		managementError(w, http.StatusBadRequest, "Bad Request", "Payload validation error: 'Expected type object but found type null'.", "invalid_body")
		return
	}
	for k := range in {
		if !patchableRoot[k] {
			managementError(w, http.StatusBadRequest, "Bad Request", "Payload validation error: 'Additional properties not allowed: "+k+"'.", "invalid_body")
			return
		}
	}
	var blocked, verified *bool
	var name *string
	for _, f := range []struct {
		key, typ string
		dst      any
	}{{"blocked", "boolean", &blocked}, {"email_verified", "boolean", &verified}, {"name", "string", &name}} {
		if raw, ok := in[f.key]; ok && json.Unmarshal(raw, f.dst) != nil {
			managementError(w, http.StatusBadRequest, "Bad Request", "Payload validation error: 'Expected type "+f.typ+"' on property "+f.key+".", "invalid_body")
			return
		}
	}
	id, _ := strings.CutPrefix(r.PathValue("id"), "auth0|")
	s.mu.Lock()
	var u *user
	for _, cand := range s.users {
		if cand.id == id {
			u = cand
		}
	}
	if u == nil {
		s.mu.Unlock()
		managementError(w, http.StatusNotFound, "Not Found", "The user does not exist.", "inexistent_user")
		return
	}
	if blocked != nil {
		u.blocked = *blocked
	}
	if verified != nil {
		u.verified = *verified
	}
	if name != nil {
		u.name = *name
	}
	out := s.managedUser(u)
	out["blocked"] = u.blocked
	s.persist.MarkDirty()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// Blocked reports whether the user with email is blocked.
func (s *Server) Blocked(email string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[strings.ToLower(email)]
	return u != nil && u.blocked
}
