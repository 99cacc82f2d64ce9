package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzOpenMFA: a sealed MFA cookie from the browser is parsed before
// anything trusts it; any value must either open to what was sealed or be
// refused, never panic.
func FuzzOpenMFA(f *testing.F) {
	d := &Deps{StateKey: "fuzz-key", Now: time.Now}
	good := d.sealMFA(sealedMFA{Token: "Fe26.2*x", Email: "a@example.com", Expires: time.Now().Add(time.Hour).Unix()}, "login")
	f.Add(good)
	f.Add("")
	f.Add("not-base64!")
	f.Add(good[:len(good)-2])
	f.Add(d.sealMFA(sealedMFA{Token: "t", Expires: 1}, "login"))
	f.Fuzz(func(t *testing.T, v string) {
		r := httptest.NewRequest("POST", "/api/auth/login/mfa", nil)
		r.AddCookie(&http.Cookie{Name: "vfp_mfa", Value: v})
		got := d.openMFA(r, "vfp_mfa", "login")
		// Only the unexpired seed was sealed with this key (a fuzz worker
		// reseals it with a fresh nonce, so compare content, not bytes).
		if got != nil && (got.Token != "Fe26.2*x" || got.Email != "a@example.com") {
			t.Fatalf("opened a cookie that was not sealed here: %q → %+v", v, got)
		}
		if d.openMFA(r, "vfp_mfa", "api") != nil {
			t.Fatal("a login cookie opened as an api cookie")
		}
	})
}
