package auth0sim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/scrypt"
)

// stateVersion is the state-file format; bump it on incompatible changes.
const stateVersion = 1

// stateFile is the JSON in Options.StateFile.
type stateFile struct {
	Version int       `json:"version"`
	SavedAt time.Time `json:"savedAt"`
	// Keys are the signing keys, oldest first; the last one is current.
	Keys     []stateKey           `json:"keys"`
	Users    []stateUser          `json:"users"`
	Refresh  map[string]string    `json:"refreshTokens"`     // token → email
	Codes    map[string]stateCode `json:"codes"`             // pending authorization codes
	Failures map[string]int       `json:"failures"`          // email|ip → consecutive failures
	Tickets  map[string]string    `json:"tickets,omitempty"` // email verification ticket → email
}

type stateKey struct {
	KID        string     `json:"kid"`
	PrivateKey []byte     `json:"privateKey"` // PKCS #8 DER
	RetiredAt  *time.Time `json:"retiredAt,omitempty"`
}

type stateUser struct {
	ID           string   `json:"id"` // sub is "auth0|" + ID
	Email        string   `json:"email"`
	PasswordHash string   `json:"passwordHash"` // see hashPassword
	Name         string   `json:"name"`
	Roles        []string `json:"roles,omitempty"`
	Blocked      bool     `json:"blocked,omitempty"`
	Verified     bool     `json:"verified,omitempty"`
	MFA          bool     `json:"mfa,omitempty"`
	// OTP authenticators and recovery codes (MFA API).
	OTP             []*otpAuthenticator `json:"otp,omitempty"`
	Recovery        string              `json:"recovery,omitempty"`
	RecoveryPending string              `json:"recoveryPending,omitempty"`
}

type stateCode struct {
	Email       string    `json:"email"`
	ClientID    string    `json:"clientId"`
	RedirectURI string    `json:"redirectUri"`
	Challenge   string    `json:"challenge,omitempty"`
	Method      string    `json:"challengeMethod,omitempty"`
	Nonce       string    `json:"nonce,omitempty"`
	Scope       string    `json:"scope"`
	Audience    string    `json:"audience,omitempty"`
	Expires     time.Time `json:"expires"`
}

func (s *Server) snapshotState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := stateFile{Version: stateVersion, SavedAt: s.now().UTC(), Refresh: s.refresh,
		Codes: map[string]stateCode{}, Failures: s.failures, Tickets: s.tickets}
	for _, k := range s.keys {
		der, err := x509.MarshalPKCS8PrivateKey(k.priv)
		if err != nil {
			return nil, fmt.Errorf("auth0sim: encode key %s: %w", k.kid, err)
		}
		sk := stateKey{KID: k.kid, PrivateKey: der}
		if !k.retiredAt.IsZero() {
			t := k.retiredAt
			sk.RetiredAt = &t
		}
		st.Keys = append(st.Keys, sk)
	}
	for _, email := range slices.Sorted(maps.Keys(s.users)) {
		u := s.users[email]
		st.Users = append(st.Users, stateUser{ID: u.id, Email: u.email, PasswordHash: u.password, Name: u.name,
			Roles: u.roles, Blocked: u.blocked, Verified: u.verified, MFA: u.mfa,
			OTP: u.otp, Recovery: u.recovery, RecoveryPending: u.recoveryPending})
	}
	for code, c := range s.codes {
		st.Codes[code] = stateCode{Email: c.email, ClientID: c.clientID, RedirectURI: c.redirectURI,
			Challenge: c.challenge, Method: c.method, Nonce: c.nonce, Scope: c.scope, Audience: c.audience, Expires: c.expires}
	}
	return json.MarshalIndent(st, "", "  ")
}

func (s *Server) loadState(b []byte) error {
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("unreadable: %w", err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("incompatible version %d (this simulator reads version %d)", st.Version, stateVersion)
	}
	if len(st.Keys) == 0 {
		return fmt.Errorf("no signing keys")
	}
	for _, sk := range st.Keys {
		priv, err := x509.ParsePKCS8PrivateKey(sk.PrivateKey)
		rk, ok := priv.(*rsa.PrivateKey)
		if err != nil || !ok {
			return fmt.Errorf("signing key %s is not an RSA PKCS #8 key (%v)", sk.KID, err)
		}
		k := &signingKey{kid: sk.KID, priv: rk}
		if sk.RetiredAt != nil {
			k.retiredAt = *sk.RetiredAt
		}
		s.keys = append(s.keys, k)
	}
	for _, su := range st.Users {
		if _, _, err := parseHash(su.PasswordHash); err != nil {
			return fmt.Errorf("user %s: %w", su.Email, err)
		}
		s.users[su.Email] = &user{id: su.ID, email: su.Email, password: su.PasswordHash, name: su.Name,
			roles: su.Roles, blocked: su.Blocked, verified: su.Verified, mfa: su.MFA,
			otp: su.OTP, recovery: su.Recovery, recoveryPending: su.RecoveryPending}
	}
	for t, email := range st.Refresh {
		s.refresh[t] = email
	}
	for code, c := range st.Codes {
		s.codes[code] = &authCode{email: c.Email, clientID: c.ClientID, redirectURI: c.RedirectURI,
			challenge: c.Challenge, method: c.Method, nonce: c.Nonce, scope: c.Scope, audience: c.Audience, expires: c.Expires}
	}
	for t, email := range st.Tickets {
		s.tickets[t] = email
	}
	for k, n := range st.Failures {
		s.failures[k] = n
	}
	return nil
}

// scrypt cost for stored passwords: N=2^logN, r=8, p=1. Low for a
// simulator (a few ms per hash) since tests sign in often; the format
// carries the parameters, so raising it later keeps old hashes working.
const scryptLogN = 12

// hashPassword returns "scrypt$<logN>$<r>$<p>$<salt>$<key>" (base64url).
func hashPassword(pw string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key, err := scrypt.Key([]byte(pw), salt, 1<<scryptLogN, 8, 1, 32)
	if err != nil {
		panic("auth0sim: scrypt: " + err.Error()) // only for invalid parameters
	}
	enc := base64.RawURLEncoding.EncodeToString
	return fmt.Sprintf("scrypt$%d$8$1$%s$%s", scryptLogN, enc(salt), enc(key))
}

type scryptParams struct{ logN, r, p int }

func parseHash(h string) (scryptParams, [2][]byte, error) {
	f := strings.Split(h, "$")
	bad := fmt.Errorf("password hash is not in the scrypt$logN$r$p$salt$key format")
	if len(f) != 6 || f[0] != "scrypt" {
		return scryptParams{}, [2][]byte{}, bad
	}
	var ps scryptParams
	var err error
	for i, dst := range []*int{&ps.logN, &ps.r, &ps.p} {
		if *dst, err = strconv.Atoi(f[1+i]); err != nil || *dst <= 0 {
			return scryptParams{}, [2][]byte{}, bad
		}
	}
	if ps.logN > 20 {
		return scryptParams{}, [2][]byte{}, bad
	}
	salt, err1 := base64.RawURLEncoding.DecodeString(f[4])
	key, err2 := base64.RawURLEncoding.DecodeString(f[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return scryptParams{}, [2][]byte{}, bad
	}
	return ps, [2][]byte{salt, key}, nil
}

// checkPasswordHash reports whether pw matches a hashPassword result.
func checkPasswordHash(hash, pw string) bool {
	ps, sk, err := parseHash(hash)
	if err != nil {
		return false
	}
	key, err := scrypt.Key([]byte(pw), sk[0], 1<<ps.logN, ps.r, ps.p, len(sk[1]))
	return err == nil && subtle.ConstantTimeCompare(key, sk[1]) == 1
}
