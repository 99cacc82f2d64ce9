package auth_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

// code is what an authenticator app with secret shows now (the app shares
// the simulator's OTP clock); each call moves that clock one 30 s step
// on, because a code is accepted once (RFC 6238 §5.2).
func (e *env) code(secret string) string {
	e.otpClock.Advance(30 * time.Second)
	return auth0sim.TOTPCode(secret, e.otpClock.Now())
}

// enrol sets up TOTP for a signed-in browser through Account → Security
// and returns the secret and the recovery code shown once.
func (b *browser) enrol(password string) (secret, recovery string) {
	t := b.e.t
	t.Helper()
	if r := b.mutate("POST", "/api/account/mfa/access", map[string]string{"password": password}); r.status != 200 {
		t.Fatalf("mfa access: got %d %s", r.status, r.raw)
	}
	r := b.mutate("POST", "/api/account/mfa/enroll", struct{}{})
	if r.status != 200 {
		t.Fatalf("enroll: got %d %s", r.status, r.raw)
	}
	secret, _ = r.body["secret"].(string)
	uri, _ := r.body["barcodeUri"].(string)
	qr, _ := r.body["qrCode"].(string)
	codes, _ := r.body["recoveryCodes"].([]any)
	if secret == "" || !strings.HasPrefix(qr, "data:image/png;base64,") || len(codes) != 1 {
		t.Fatalf("enroll: got %s", r.raw)
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil || key.Secret() != secret {
		t.Fatalf("barcode uri %q: %v", uri, err)
	}
	if r := b.mutate("POST", "/api/account/mfa/enroll/confirm", map[string]string{"code": "000000"}); r.status != 401 {
		t.Fatalf("confirm with a wrong code: got %d %s", r.status, r.raw)
	}
	if r := b.mutate("POST", "/api/account/mfa/enroll/confirm", map[string]string{"code": b.e.code(secret)}); r.status != 204 {
		t.Fatalf("confirm: got %d %s", r.status, r.raw)
	}
	return secret, codes[0].(string)
}

// TestMFA follows the acceptance path of issue 17: enrol → sign out →
// sign in with password + TOTP; wrong codes refused and rate limited; a
// recovery code works once; factors listed and removed.
func TestMFA(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.auth0.AddUser("ann@example.com", pw, "Ann")
	b := e.browser()
	b.mustLogin("ann@example.com", pw)
	if r := b.do("GET", "/api/account/mfa", nil); r.status != 403 || r.errCode() != "mfa_reauth" {
		t.Fatalf("list without password: got %d %s", r.status, r.raw)
	}
	if r := b.mutate("POST", "/api/account/mfa/access", map[string]string{"password": "wrong"}); r.status != 401 {
		t.Fatalf("access with a wrong password: got %d %s", r.status, r.raw)
	}
	secret, recovery := b.enrol(pw)
	r := b.do("GET", "/api/account/mfa", nil)
	if r.status != 200 || r.body["enrolled"] != true || !strings.Contains(r.raw, `"type":"recovery-code"`) {
		t.Fatalf("list: got %d %s", r.status, r.raw)
	}
	if r := b.mutate("POST", "/api/auth/logout", nil); r.status != 204 {
		t.Fatalf("logout: %d", r.status)
	}

	t.Run("OK", func(t *testing.T) {
		b := e.browser()
		r := b.login("ann@example.com", pw)
		if r.status != 403 || r.errCode() != "mfa_required" || b.sessionCookie() != "" {
			t.Fatalf("password: got %d %s", r.status, r.raw)
		}
		if strings.Contains(r.raw, "Fe26") {
			t.Fatalf("the mfa_token reached the browser: %s", r.raw)
		}
		r = b.do("POST", "/api/auth/login/mfa", map[string]string{"code": e.code(secret)})
		if r.status != 200 || r.body["mfa"] != true || b.sessionCookie() == "" {
			t.Fatalf("code: got %d %s", r.status, r.raw)
		}
	})
	t.Run("ErrNoChallenge", func(t *testing.T) {
		r := e.browser().do("POST", "/api/auth/login/mfa", map[string]string{"code": e.code(secret)})
		if r.status != 401 {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	})
	t.Run("ErrWrongCodeRateLimited", func(t *testing.T) {
		b := e.browser()
		wrong := 0
		var r *response
		for range 12 {
			if r = b.login("ann@example.com", pw); r.status != 403 {
				break
			}
			r = b.do("POST", "/api/auth/login/mfa", map[string]string{"code": "123456"})
			if r.status != 401 {
				break
			}
			wrong++
		}
		// 10 failures per email per window (Limits.PerEmail), shared
		// with wrong passwords; the 11th attempt is refused.
		if wrong != 10 || r.status != 429 {
			t.Fatalf("after %d wrong codes: got %d %s", wrong, r.status, r.raw)
		}
		e.clock.Advance(16 * time.Minute)
	})
	t.Run("RecoveryCodeOnce", func(t *testing.T) {
		b := e.browser()
		b.login("ann@example.com", pw)
		r := b.do("POST", "/api/auth/login/mfa", map[string]string{"recoveryCode": recovery})
		next, _ := r.body["recoveryCode"].(string)
		if r.status != 200 || next == "" || next == recovery {
			t.Fatalf("recovery: got %d %s", r.status, r.raw)
		}
		b2 := e.browser()
		b2.login("ann@example.com", pw)
		if r := b2.do("POST", "/api/auth/login/mfa", map[string]string{"recoveryCode": recovery}); r.status != 401 {
			t.Fatalf("reused recovery code: got %d %s", r.status, r.raw)
		}
		if r := b2.do("POST", "/api/auth/login/mfa", map[string]string{"recoveryCode": next}); r.status != 200 {
			t.Fatalf("new recovery code: got %d %s", r.status, r.raw)
		}
	})
	t.Run("Remove", func(t *testing.T) {
		b := e.browser()
		b.login("ann@example.com", pw)
		b.do("POST", "/api/auth/login/mfa", map[string]string{"code": e.code(secret)})
		if r := b.mutate("POST", "/api/account/mfa/access", map[string]string{"password": pw}); r.status != 403 || r.errCode() != "mfa_required" {
			t.Fatalf("access without a code: got %d %s", r.status, r.raw)
		}
		if r := b.mutate("POST", "/api/account/mfa/access", map[string]string{"password": pw, "code": e.code(secret)}); r.status != 200 {
			t.Fatalf("access: got %d %s", r.status, r.raw)
		}
		r := b.do("GET", "/api/account/mfa", nil)
		var otpID string
		for _, a := range r.body["authenticators"].([]any) {
			if m := a.(map[string]any); m["type"] == "otp" {
				otpID = m["id"].(string)
			}
		}
		if otpID == "" || strings.Contains(otpID, "|") {
			t.Fatalf("list: %s", r.raw)
		}
		if r := b.mutate("DELETE", "/api/account/mfa/authenticators/"+url.PathEscape(otpID), nil); r.status != 204 {
			t.Fatalf("delete: got %d %s", r.status, r.raw)
		}
		if r := e.browser().login("ann@example.com", pw); r.status != 200 {
			t.Fatalf("password only after removal: got %d %s", r.status, r.raw)
		}
	})
}

// TestStaffRequireMFA: with the setting on, an admin whose session did
// not pass MFA is refused on admin routes; after MFA they get in.
func TestStaffRequireMFA(t *testing.T) {
	for _, required := range []bool{false, true} {
		e := newEnv(t, envOptions{staffMFA: required})
		e.auth0.AddUser("boss@example.com", pw, "Boss")
		admin := httpx.RequireAuth(auth.NewAuthenticator(e.deps), true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}))
		call := func(b *browser) *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", "/api/admin/users", nil)
			req.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: b.sessionCookie()})
			w := httptest.NewRecorder()
			admin.ServeHTTP(w, req)
			return w
		}
		b := e.browser()
		b.mustLogin("boss@example.com", pw)
		w := call(b)
		if want := map[bool]int{false: 204, true: 403}[required]; w.Code != want ||
			(required && !strings.Contains(w.Body.String(), "mfa_required_for_staff")) {
			t.Fatalf("required=%v, password only: got %d %s, want %d", required, w.Code, w.Body, want)
		}
		if !required {
			continue
		}
		secret, _ := b.enrol(pw)
		b2 := e.browser()
		b2.login("boss@example.com", pw)
		if r := b2.do("POST", "/api/auth/login/mfa", map[string]string{"code": e.code(secret)}); r.status != 200 {
			t.Fatalf("mfa login: got %d %s", r.status, r.raw)
		}
		if w := call(b2); w.Code != 204 {
			t.Fatalf("after MFA: got %d %s", w.Code, w.Body)
		}
	}
}
