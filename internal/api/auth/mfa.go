package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Two-factor authentication through Auth0's MFA API. The provider's
// tokens (the mfa_token of a sign-in, the MFA API token of Account →
// Security) stay on the server side of the browser: they travel only
// sealed (AES-GCM under a key derived from StateKey) in short-lived
// HttpOnly cookies, like the OAuth state.

const mfaCookieTTL = 10 * time.Minute // Auth0's mfa_token and MFA API tokens live 10 minutes

func mfaLoginCookieName(secure bool) string {
	if secure {
		return "__Host-vfp_mfa"
	}
	return "vfp_mfa"
}

func mfaAPICookieName(secure bool) string {
	if secure {
		return "__Host-vfp_mfa_api"
	}
	return "vfp_mfa_api"
}

// sealedMFA is a sealed cookie's content. Email binds a sign-in challenge
// to its account (for the failure limit); UserID binds an MFA API token to
// the session's user.
type sealedMFA struct {
	Token   string `json:"t"`
	Email   string `json:"m,omitempty"`
	UserID  string `json:"u,omitempty"`
	Expires int64  `json:"e"`
}

func (d *Deps) mfaAEAD() cipher.AEAD {
	key := sha256.Sum256([]byte("vfpanel mfa v1\x00" + d.StateKey))
	block, _ := aes.NewCipher(key[:])
	g, _ := cipher.NewGCM(block)
	return g
}

func (d *Deps) sealMFA(v sealedMFA, purpose string) string {
	b, _ := json.Marshal(v)
	g := d.mfaAEAD()
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, b, []byte(purpose)))
}

// openMFA reads a sealed cookie; nil when missing, forged or expired.
func (d *Deps) openMFA(r *http.Request, name, purpose string) *sealedMFA {
	c, err := r.Cookie(name)
	if err != nil || len(c.Value) > 4096 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	g := d.mfaAEAD()
	if err != nil || len(b) < g.NonceSize() {
		return nil
	}
	plain, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte(purpose))
	if err != nil {
		return nil
	}
	var v sealedMFA
	if json.Unmarshal(plain, &v) != nil || d.Now().Unix() >= v.Expires {
		return nil
	}
	return &v
}

func (d *Deps) mfaCookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/api/", MaxAge: maxAge,
		HttpOnly: true, Secure: d.CookieSecure, SameSite: http.SameSiteStrictMode}
}

// challengeFrom returns the provider's MFA challenge in err, if any.
func challengeFrom(err error) *panel.MFAChallenge {
	var c *panel.MFAChallenge
	if errors.As(err, &c) && c.Token != "" {
		return c
	}
	return nil
}

// startMFALogin answers a right password on an account with MFA: the
// challenge goes into the sealed cookie and the client is told to ask for
// the code (403 mfa_required).
func (h *handlers) startMFALogin(w http.ResponseWriter, email string, c *panel.MFAChallenge) error {
	v := h.d.sealMFA(sealedMFA{Token: c.Token, Email: email, Expires: h.d.Now().Add(mfaCookieTTL).Unix()}, "login")
	http.SetCookie(w, h.d.mfaCookie(mfaLoginCookieName(h.d.CookieSecure), v, int(mfaCookieTTL/time.Second)))
	return &panel.Error{Code: panel.EMFAREQUIRED, Message: "Enter the 6-digit code from your authenticator app."}
}

// MFACode is the body of POST /api/auth/login/mfa and of the enrolment
// confirmation: a TOTP code, or a recovery code.
type MFACode struct {
	Code         string `json:"code"`
	RecoveryCode string `json:"recoveryCode"`
}

// Valid implements httpx.Validator; it also strips spaces.
func (m *MFACode) Valid() map[string]string {
	m.Code = strings.ReplaceAll(strings.TrimSpace(m.Code), " ", "")
	m.RecoveryCode = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(m.RecoveryCode), " ", ""))
	switch {
	case m.Code == "" && m.RecoveryCode == "":
		return map[string]string{"code": "Enter the code from your authenticator app."}
	case m.Code != "" && m.RecoveryCode != "":
		return map[string]string{"code": "Enter a code or a recovery code, not both."}
	case m.Code != "" && !sixDigits(m.Code):
		return map[string]string{"code": "Enter the 6 digits your app shows."}
	case len(m.RecoveryCode) > 64:
		return map[string]string{"recoveryCode": "That is not a recovery code."}
	}
	return nil
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// MFASignedIn is the answer to POST /api/auth/login/mfa. RecoveryCode is
// set after a recovery code was used: Auth0 replaced it, and this is the
// only time the new one is shown.
type MFASignedIn struct {
	SignedIn
	RecoveryCode string `json:"recoveryCode,omitempty"`
}

// loginMFA is POST /api/auth/login/mfa. Wrong codes count against the
// same failure limits as wrong passwords for that email.
func (h *handlers) loginMFA(w http.ResponseWriter, r *http.Request) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	in, err := httpx.Decode[MFACode](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	name := mfaLoginCookieName(h.d.CookieSecure)
	st := h.d.openMFA(r, name, "login")
	if st == nil {
		return &panel.Error{Code: panel.EUNAUTHORIZED, Message: "The sign-in took too long. Start again with your password."}
	}
	release, err := h.d.reserve(ctx, h.d.signInLimits(r, st.Email))
	if err != nil {
		return err
	}
	code, recovery := in.Code, in.RecoveryCode != ""
	if recovery {
		code = in.RecoveryCode
	}
	id, newRecovery, err := h.d.MFA.VerifyMFA(ctx, st.Token, code, recovery, httpx.ClientIP(r))
	if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
		release()
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, h.d.mfaCookie(name, "", -1))
	out, err := h.startSession(w, r, id)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, MFASignedIn{SignedIn: *out, RecoveryCode: newRecovery})
}

// MFAAccessRequest is the body of POST /api/account/mfa/access: the
// password again (the MFA API needs a fresh password grant) and, once the
// account has a factor, a current code.
type MFAAccessRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// Valid implements httpx.Validator.
func (m *MFAAccessRequest) Valid() map[string]string {
	m.Code = strings.ReplaceAll(strings.TrimSpace(m.Code), " ", "")
	p := map[string]string{}
	if m.Password == "" {
		p["password"] = "Enter your password."
	} else if len(m.Password) > 128 {
		p["password"] = "Use at most 128 characters."
	}
	if m.Code != "" && !sixDigits(m.Code) {
		p["code"] = "Enter the 6 digits your app shows."
	}
	return p
}

// MFAAccess is the answer to POST /api/account/mfa/access.
type MFAAccess struct {
	ExpiresAt time.Time `json:"expiresAt"`
}

// mfaAccessGrant is POST /api/account/mfa/access: it gets a token for the
// MFA API and keeps it, sealed, for ten minutes.
func (h *handlers) mfaAccessGrant(w http.ResponseWriter, r *http.Request) error {
	in, err := httpx.Decode[MFAAccessRequest](r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	release, err := h.d.reserve(ctx, h.d.signInLimits(r, p.Email))
	if err != nil {
		return err
	}
	token, err := h.d.MFA.MFAAccess(ctx, p.Email, in.Password, httpx.ClientIP(r))
	if c := challengeFrom(err); c != nil {
		if in.Code == "" {
			release()
			return &panel.Error{Code: panel.EMFAREQUIRED, Message: "Enter the code from your authenticator app too."}
		}
		token, err = h.d.MFA.MFAAccessWithCode(ctx, c.Token, in.Code)
	}
	if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
		release()
	}
	if err != nil {
		return err
	}
	exp := h.d.Now().Add(mfaCookieTTL)
	v := h.d.sealMFA(sealedMFA{Token: token, UserID: p.UserID, Expires: exp.Unix()}, "api")
	http.SetCookie(w, h.d.mfaCookie(mfaAPICookieName(h.d.CookieSecure), v, int(mfaCookieTTL/time.Second)))
	return httpx.Encode(w, http.StatusOK, MFAAccess{ExpiresAt: exp.UTC()})
}

// mfaAPIToken is the caller's MFA API token, or the error that sends the
// UI back to the password prompt.
func (h *handlers) mfaAPIToken(r *http.Request) (string, error) {
	st := h.d.openMFA(r, mfaAPICookieName(h.d.CookieSecure), "api")
	if st == nil || st.UserID != panel.PrincipalFrom(r.Context()).UserID {
		return "", &panel.Error{Code: panel.EMFAREAUTH, Message: "Confirm your password to manage two-factor authentication."}
	}
	return st.Token, nil
}

// AuthenticatorView is one factor in GET /api/account/mfa. Auth0's ids
// contain "|", which path ids may not, so they travel with ":" instead.
type AuthenticatorView struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Active bool   `json:"active"`
}

// MFAStatus is the answer to GET /api/account/mfa.
type MFAStatus struct {
	Enrolled       bool                `json:"enrolled"`
	Authenticators []AuthenticatorView `json:"authenticators"`
}

func (h *handlers) mfaList(w http.ResponseWriter, r *http.Request) error {
	token, err := h.mfaAPIToken(r)
	if err != nil {
		return err
	}
	list, err := h.d.MFA.Authenticators(r.Context(), token)
	if err != nil {
		return err
	}
	out := MFAStatus{Authenticators: []AuthenticatorView{}}
	for _, a := range list {
		out.Authenticators = append(out.Authenticators, AuthenticatorView{ID: strings.ReplaceAll(a.ID, "|", ":"), Type: a.Type, Active: a.Active})
		if a.Type == "otp" && a.Active {
			out.Enrolled = true
		}
	}
	return httpx.Encode(w, http.StatusOK, out)
}

// MFAEnrolment is the answer to POST /api/account/mfa/enroll. QRCode is a
// PNG data URL rendered here, so the secret goes to no third party.
type MFAEnrolment struct {
	Secret        string   `json:"secret"`
	BarcodeURI    string   `json:"barcodeUri"`
	QRCode        string   `json:"qrCode"`
	RecoveryCodes []string `json:"recoveryCodes"`
}

func (h *handlers) mfaEnroll(w http.ResponseWriter, r *http.Request) error {
	token, err := h.mfaAPIToken(r)
	if err != nil {
		return err
	}
	en, err := h.d.MFA.Associate(r.Context(), token)
	if err != nil {
		return err
	}
	img, err := qrDataURL(en.BarcodeURI)
	if err != nil {
		return err
	}
	if en.RecoveryCodes == nil {
		en.RecoveryCodes = []string{}
	}
	return httpx.Encode(w, http.StatusOK, MFAEnrolment{Secret: en.Secret, BarcodeURI: en.BarcodeURI, QRCode: img, RecoveryCodes: en.RecoveryCodes})
}

// qrDataURL renders s as a QR code PNG (data: URL).
func qrDataURL(s string) (string, error) {
	code, err := qr.Encode(s, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	if code, err = barcode.Scale(code, 240, 240); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

func (h *handlers) mfaConfirm(w http.ResponseWriter, r *http.Request) error {
	in, err := httpx.Decode[MFACode](r)
	if err != nil {
		return err
	}
	if in.Code == "" {
		return panel.Invalid(map[string]string{"code": "Enter the code from your authenticator app."})
	}
	token, err := h.mfaAPIToken(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := panel.PrincipalFrom(ctx)
	if err := h.d.Limiter.Allow(ctx, "mfa:confirm:"+p.UserID, h.d.Limits.PerEmail, h.d.Limits.Window); err != nil {
		return err
	}
	if err := h.d.MFA.ConfirmMFA(ctx, token, in.Code); err != nil {
		return err
	}
	httpx.Logger(ctx).Info("mfa enrolled", "event", "auth.mfa_enrolled", "userId", p.UserID)
	return httpx.NoContent(w)
}

func (h *handlers) mfaDelete(w http.ResponseWriter, r *http.Request) error {
	token, err := h.mfaAPIToken(r)
	if err != nil {
		return err
	}
	id := strings.ReplaceAll(r.PathValue("id"), ":", "|")
	if err := h.d.MFA.DeleteAuthenticator(r.Context(), token, id); err != nil {
		return err
	}
	httpx.Logger(r.Context()).Info("mfa factor removed", "event", "auth.mfa_removed", "userId", panel.PrincipalFrom(r.Context()).UserID)
	return httpx.NoContent(w)
}
