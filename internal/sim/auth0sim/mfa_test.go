package auth0sim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

func call(t *testing.T, method, u, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&raw)
	return resp.StatusCode, string(raw)
}

// TestMFARefusals: the MFA API and grants refuse what Auth0 refuses
// (auth0.com/docs/api/authentication, "Multi-factor authentication":
// /mfa/associate takes the mfa_token only while nothing is enrolled,
// otherwise a token with scope enroll for https://{domain}/mfa/; listing
// needs read:authenticators).
func TestMFARefusals(t *testing.T) {
	otpNow := time.Now()
	s := start(t, auth0sim.Options{OTPNow: func() time.Time { return otpNow }})
	o := s.Options()
	s.AddUser("ann@example.com", "Passw0rd!x", "Ann")
	secret := s.RequireMFA("ann@example.com")
	form := url.Values{"grant_type": {"http://auth0.com/oauth/grant-type/password-realm"}, "realm": {o.Connection},
		"username": {"ann@example.com"}, "password": {"Passw0rd!x"}, "client_id": {o.ClientID},
		"client_secret": {o.ClientSecret}, "audience": {o.Audience}, "scope": {"openid"}}
	st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", form.Encode())
	mfaToken, _ := m["mfa_token"].(string)
	if st != 403 || m["error"] != "mfa_required" || mfaToken == "" {
		t.Fatalf("password: got %d %v", st, m)
	}
	if st, body := call(t, "POST", s.URL+"/mfa/associate", mfaToken, `{"authenticator_types":["otp"]}`); st != 403 || !strings.Contains(body, "already enrolled") {
		t.Fatalf("associate with mfa_token when enrolled: got %d %s", st, body)
	}
	if st, body := call(t, "GET", s.URL+"/mfa/authenticators", mfaToken, ""); st != 401 {
		t.Fatalf("list with an mfa_token: got %d %s", st, body)
	}
	otp := func(code string) url.Values {
		return url.Values{"grant_type": {"http://auth0.com/oauth/grant-type/mfa-otp"}, "mfa_token": {mfaToken}, "otp": {code},
			"client_id": {o.ClientID}, "client_secret": {o.ClientSecret}}
	}
	if st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", otp("000000").Encode()); st != 403 || m["error"] != "invalid_grant" {
		t.Fatalf("wrong otp: got %d %v", st, m)
	}
	code := auth0sim.TOTPCode(secret, otpNow)
	if st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", otp(code).Encode()); st != 200 || m["access_token"] == nil {
		t.Fatalf("right otp: got %d %v", st, m)
	}
	if st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", otp(code).Encode()); st != 403 || m["error"] != "invalid_grant" {
		t.Fatalf("mfa_token reused: got %d %v", st, m)
	}
	s2 := url.Values{"grant_type": {"client_credentials"}, "client_id": {o.ClientID}, "client_secret": {o.ClientSecret},
		"audience": {s.ManagementAudience()}}
	st, m = post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", s2.Encode())
	mgmt, _ := m["access_token"].(string)
	if st != 200 || mgmt == "" {
		t.Fatalf("client credentials: got %d %v", st, m)
	}
	if st, body := call(t, "GET", s.URL+"/mfa/authenticators", mgmt, ""); st != 401 {
		t.Fatalf("list with a Management API token: got %d %s", st, body)
	}
	if st, body := call(t, "GET", s.URL+"/api/v2/users-by-email?email=ann@example.com", mgmt, ""); st != 200 || !strings.Contains(body, `"email_verified":true`) {
		t.Fatalf("users-by-email: got %d %s", st, body)
	}
	if st, body := call(t, "POST", s.URL+"/api/v2/jobs/verification-email", "", `{"user_id":"auth0|x"}`); st != 401 {
		t.Fatalf("job without a token: got %d %s", st, body)
	}
	if st, body := call(t, "POST", s.URL+"/api/v2/jobs/verification-email", mgmt, `{"user_id":"auth0|nobody"}`); st != 404 || !strings.Contains(body, "inexistent_user") {
		t.Fatalf("job for nobody: got %d %s", st, body)
	}
	if st, body := call(t, "POST", s.URL+"/api/v2/jobs/verification-email", mgmt, `{"user_id":"`+s.Subject("ann@example.com")+`"}`); st != 201 || !strings.Contains(body, `"type":"verification_email"`) {
		t.Fatalf("job: got %d %s", st, body)
	}
}
