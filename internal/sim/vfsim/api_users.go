package vfsim

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// userByExt resolves {ext}: with ?relStr=true among the users' relational
// strings, else among their integer relation ids (a string is no match).
func (s *Sim) userByExt(r *http.Request) *user {
	ext := r.PathValue("ext")
	byStr := queryBool(r, "relStr")
	if !byStr {
		if _, err := strconv.ParseUint(ext, 10, 64); err != nil {
			return nil
		}
	}
	for _, id := range sortedKeys(s.users) {
		if u := s.users[id]; u.ExtRel != "" && u.ExtRelIsStr == byStr && u.ExtRel == ext {
			return u
		}
	}
	return nil
}

func userNotFound(w http.ResponseWriter) { writeMsg(w, 404, "ext_relation_id not found") }

// userOr404 is userByExt that writes the 404 when there is no such user.
func (s *Sim) userOr404(w http.ResponseWriter, r *http.Request) *user {
	u := s.userByExt(r)
	if u == nil {
		userNotFound(w)
	}
	return u
}

func validEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	return at > 0 && at < len(e)-1 && !strings.ContainsAny(e, " \t\n") && strings.Contains(e[at:], ".")
}

func (s *Sim) createUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name          string          `json:"name"`
		Email         string          `json:"email"`
		ExtRelationID json.RawMessage `json:"extRelationId"`
		RelStr        json.RawMessage `json:"relStr"`
		SelfService   int             `json:"selfService"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	var errs []string
	if strings.TrimSpace(in.Name) == "" {
		errs = append(errs, "The name field is required.")
	}
	if in.Email == "" {
		errs = append(errs, "The email field is required.")
	} else if !validEmail(in.Email) {
		errs = append(errs, "The email must be a valid email address.")
	}
	// The spec types extRelationId as an integer (Laravel's rule also
	// takes a numeric string); a string relation goes in relStr.
	ext, extStr := "", false
	if raw := strings.TrimSpace(string(in.ExtRelationID)); raw != "" && raw != "null" {
		var str string
		if json.Unmarshal(in.ExtRelationID, &str) == nil {
			raw = str
		}
		if n, err := strconv.ParseUint(raw, 10, 64); err == nil && n > 0 {
			ext = raw
		} else {
			errs = append(errs, "The ext relation id must be an integer.")
		}
	}
	if raw := strings.TrimSpace(string(in.RelStr)); raw != "" && raw != "null" {
		var str string
		switch {
		case json.Unmarshal(in.RelStr, &str) != nil:
			errs = append(errs, "The rel str must be a string.")
		case ext != "":
			// A simulator limit, not VirtFusion's: it keeps one relation
			// per user, and the panel only ever sends relStr.
			errs = append(errs, "Send either an ext relation id or a rel str, not both.")
		default:
			ext, extStr = str, str != ""
		}
	}
	if in.SelfService < 0 || in.SelfService > 3 {
		errs = append(errs, "The selected self service is invalid.")
	}
	if len(errs) > 0 {
		writeErrors(w, 422, errs...)
		return
	}
	for _, u := range s.users {
		if strings.EqualFold(u.Email, in.Email) {
			writeErrors(w, 409, "A user with this email address already exists.")
			return
		}
		if ext != "" && u.ExtRel == ext && u.ExtRelIsStr == extStr {
			writeErrors(w, 409, "A user with this extRelationId already exists.")
			return
		}
	}
	u := s.addUserLocked(in.Name, in.Email, ext, extStr, s.now())
	u.SelfService = in.SelfService
	out := renderUser(u)
	out["password"] = u.Password
	writeData(w, 201, out)
}

func (s *Sim) getUser(w http.ResponseWriter, r *http.Request) {
	u := s.userOr404(w, r)
	if u == nil {
		return
	}
	writeData(w, 200, renderUser(u))
}

func (s *Sim) updateUser(w http.ResponseWriter, r *http.Request) {
	u := s.userOr404(w, r)
	if u == nil {
		return
	}
	var in struct {
		Name        *string `json:"name"`
		Email       *string `json:"email"`
		SelfService *int    `json:"selfService"`
		Enabled     *bool   `json:"enabled"`
	}
	if !decodeOr422(w, r, &in) {
		return
	}
	if in.Email != nil {
		if !validEmail(*in.Email) {
			writeErrors(w, 422, "The email must be a valid email address.")
			return
		}
		for _, o := range s.users {
			if o.ID != u.ID && strings.EqualFold(o.Email, *in.Email) {
				writeErrors(w, 422, "The email has already been taken.")
				return
			}
		}
	}
	out := M{}
	if in.Name != nil {
		u.Name, out["name"] = *in.Name, *in.Name
	}
	if in.Email != nil {
		u.Email, out["email"] = *in.Email, *in.Email
	}
	if in.SelfService != nil {
		u.SelfService, out["selfService"] = *in.SelfService, *in.SelfService
	}
	if in.Enabled != nil {
		u.Enabled, out["enabled"] = *in.Enabled, *in.Enabled
	}
	u.Updated = s.now()
	writeData(w, 201, out)
}

func (s *Sim) deleteUser(w http.ResponseWriter, r *http.Request) {
	u := s.userOr404(w, r)
	if u == nil {
		return
	}
	for _, sv := range s.servers {
		if sv.OwnerID == u.ID {
			writeErrors(w, 409, "User has active servers and cannot be deleted.")
			return
		}
	}
	for id, k := range s.keys {
		if k.UserID == u.ID {
			delete(s.keys, id)
		}
	}
	delete(s.users, u.ID)
	noContent(w, 204)
}

func (s *Sim) resetUserPassword(w http.ResponseWriter, r *http.Request) {
	u := s.userOr404(w, r)
	if u == nil {
		return
	}
	u.Password = randString(21)
	u.Updated = s.now()
	writeData(w, 201, M{"email": u.Email, "password": u.Password})
}

// authTokens serves both authenticationTokens and serverAuthenticationTokens.
func (s *Sim) authTokens(w http.ResponseWriter, r *http.Request) {
	u := s.userOr404(w, r)
	if u == nil {
		return
	}
	serverID := 0
	if r.PathValue("serverId") != "" {
		id, ok := pathInt(r, "serverId")
		sv := s.servers[id]
		if !ok || sv == nil || sv.OwnerID != u.ID {
			serverNotFound(w)
			return
		}
		serverID = id
	}
	t1, t2 := randHex(32), randHex(32)
	now := s.now()
	exp := now.Add(60 * time.Second)
	s.sso[t1+":"+t2] = ssoToken{UserID: u.ID, ServerID: serverID, Expires: exp}
	writeData(w, 200, M{"authentication": M{
		"tokens":            M{"1": t1, "2": t2},
		"endpoint":          "/token_authenticate",
		"endpoint_complete": "/token_authenticate/?1=" + t1 + "&2=" + t2,
		"expiry":            M{"ttl": 60, "expires": tsServer(exp)},
	}})
}

func randHex(n int) string {
	b := make([]byte, n/2)
	for i := range b {
		b[i] = byte(randInt(256))
	}
	return hex.EncodeToString(b)
}
