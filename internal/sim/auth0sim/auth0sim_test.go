package auth0sim_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

func start(t *testing.T, o auth0sim.Options) *auth0sim.Server {
	t.Helper()
	s := auth0sim.New(o)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(v)
	return resp.StatusCode
}

func post(t *testing.T, u, ctype, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(u, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestDiscoveryAndJWKS(t *testing.T) {
	now := time.Now()
	s := start(t, auth0sim.Options{KeyGrace: time.Hour, Now: func() time.Time { return now }})
	var d map[string]any
	if getJSON(t, s.URL+"/.well-known/openid-configuration", &d); d["issuer"] != s.URL+"/" || d["jwks_uri"] != s.URL+"/.well-known/jwks.json" {
		t.Fatalf("discovery: got %v", d)
	}
	keys := func() int {
		var set struct{ Keys []map[string]any }
		getJSON(t, s.URL+"/.well-known/jwks.json", &set)
		for _, k := range set.Keys {
			if k["alg"] != "RS256" || k["use"] != "sig" || k["kid"] == "" || k["kty"] != "RSA" {
				t.Fatalf("key: got %v", k)
			}
		}
		return len(set.Keys)
	}
	if n := keys(); n != 1 {
		t.Fatalf("keys: got %d, want 1", n)
	}
	s.RotateKey()
	if n := keys(); n != 2 {
		t.Fatalf("keys after rotation: got %d, want 2 (old kept)", n)
	}
	now = now.Add(2 * time.Hour)
	if n := keys(); n != 1 {
		t.Fatalf("keys after grace: got %d, want 1", n)
	}
}

func TestTokenEndpoint(t *testing.T) {
	s := start(t, auth0sim.Options{})
	s.AddUser("ann@example.com", "Pass-word1", "Ann")
	o := s.Options()
	form := url.Values{"grant_type": {"http://auth0.com/oauth/grant-type/password-realm"}, "realm": {o.Connection},
		"username": {"ann@example.com"}, "password": {"Pass-word1"}, "client_id": {o.ClientID},
		"client_secret": {o.ClientSecret}, "audience": {o.Audience}, "scope": {"openid offline_access"}}

	t.Run("OKForm", func(t *testing.T) {
		st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", form.Encode())
		if st != 200 || m["access_token"] == nil || m["id_token"] == nil || m["refresh_token"] == nil || m["token_type"] != "Bearer" {
			t.Fatalf("got %d %v", st, m)
		}
		st, m = post(t, s.URL+"/oauth/token", "application/json", `{"grant_type":"refresh_token","client_id":"`+o.ClientID+
			`","client_secret":"`+o.ClientSecret+`","refresh_token":"`+m["refresh_token"].(string)+`"}`)
		if st != 200 || m["access_token"] == nil {
			t.Fatalf("refresh: got %d %v", st, m)
		}
	})
	t.Run("OKClientSecretBasic", func(t *testing.T) {
		st, m := postAuth(t, s.URL+"/oauth/token", o.ClientID, o.ClientSecret, without(form, "client_secret"))
		if st != 200 || m["access_token"] == nil {
			t.Fatalf("got %d %v", st, m)
		}
	})
	t.Run("OKNoAudienceGivesOpaqueToken", func(t *testing.T) {
		st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", without(form, "audience").Encode())
		tok, _ := m["access_token"].(string)
		if st != 200 || tok == "" || strings.Count(tok, ".") == 2 {
			t.Fatalf("got %d %v, want an opaque (non-JWT) access token", st, m)
		}
		req, _ := http.NewRequest("GET", s.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("userinfo with the opaque token: got %d", resp.StatusCode)
		}
	})

	// Every refusal below is one Auth0 makes; the shapes are its
	// {"error","error_description"} bodies.
	tests := []struct {
		name   string
		body   url.Values
		basic  [2]string // client_secret_basic credentials, when set
		status int
		code   string
	}{
		{"ErrWrongPassword", with(form, "password", "x"), [2]string{}, 403, "invalid_grant"},
		{"ErrUnknownUser", with(form, "username", "zed@example.com"), [2]string{}, 403, "invalid_grant"},
		{"ErrWrongSecretPost", with(form, "client_secret", "x"), [2]string{}, 401, "access_denied"},
		{"ErrNoSecret", without(form, "client_secret"), [2]string{}, 401, "access_denied"},
		{"ErrUnknownClient", with(form, "client_id", "other"), [2]string{}, 401, "access_denied"},
		{"ErrWrongSecretBasic", without(form, "client_secret"), [2]string{o.ClientID, "x"}, 401, "access_denied"},
		{"ErrBasicAndPost", form, [2]string{o.ClientID, o.ClientSecret}, 400, "invalid_request"},
		{"ErrBasicOtherClientID", with(without(form, "client_secret"), "client_id", "other"), [2]string{o.ClientID, o.ClientSecret}, 401, "access_denied"},
		{"ErrBadAudience", with(form, "audience", "https://other"), [2]string{}, 403, "access_denied"},
		{"ErrGrantNotAllowed", with(form, "grant_type", "urn:ietf:params:oauth:grant-type:device_code"), [2]string{}, 403, "unauthorized_client"},
		{"ErrNoGrantType", without(form, "grant_type"), [2]string{}, 400, "invalid_request"},
		{"ErrNoRealm", without(form, "realm"), [2]string{}, 400, "invalid_request"},
		{"ErrUnknownRealm", with(form, "realm", "Other-Connection"), [2]string{}, 400, "invalid_request"},
		{"ErrNoUsername", without(form, "username"), [2]string{}, 400, "invalid_request"},
		{"ErrPasswordGrantWithoutDefaultDirectory", with(without(form, "realm"), "grant_type", "password"), [2]string{}, 500, "server_error"},
		{"ErrBadCode", with(form, "grant_type", "authorization_code"), [2]string{}, 403, "invalid_grant"},
		{"ErrBadRefreshToken", with(form, "grant_type", "refresh_token"), [2]string{}, 403, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st int
			var m map[string]any
			if tt.basic[0] != "" {
				st, m = postAuth(t, s.URL+"/oauth/token", tt.basic[0], tt.basic[1], tt.body)
			} else {
				st, m = post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", tt.body.Encode())
			}
			if st != tt.status || m["error"] != tt.code || m["error_description"] == "" {
				t.Fatalf("got %d %v, want %d %s", st, m, tt.status, tt.code)
			}
		})
	}
	t.Run("ErrBlocked", func(t *testing.T) {
		s.Block("ann@example.com")
		st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", form.Encode())
		if st != 401 || m["error_description"] != "user is blocked" {
			t.Fatalf("got %d %v", st, m)
		}
	})
	t.Run("Fault429", func(t *testing.T) {
		s.SetFault("/oauth/token", auth0sim.Fault{Status: 429, RetryAfter: 7, Times: 1})
		resp, _ := http.PostForm(s.URL+"/oauth/token", form)
		resp.Body.Close()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
			t.Fatalf("got %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	})
}

func TestApplicationSettings(t *testing.T) {
	t.Run("ErrPasswordGrantDisabled", func(t *testing.T) {
		s := start(t, auth0sim.Options{Grants: []string{"authorization_code", "refresh_token"}})
		s.AddUser("ann@example.com", "Pass-word1", "Ann")
		o := s.Options()
		st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", url.Values{
			"grant_type": {"http://auth0.com/oauth/grant-type/password-realm"}, "realm": {o.Connection},
			"username": {"ann@example.com"}, "password": {"Pass-word1"}, "client_id": {o.ClientID},
			"client_secret": {o.ClientSecret}, "audience": {o.Audience}}.Encode())
		if st != 403 || m["error"] != "unauthorized_client" ||
			m["error_description"] != "Grant type 'http://auth0.com/oauth/grant-type/password-realm' not allowed for the client." {
			t.Fatalf("got %d %v", st, m)
		}
	})
	t.Run("OKPasswordGrantWithDefaultDirectory", func(t *testing.T) {
		s := start(t, auth0sim.Options{DefaultDirectory: "Username-Password-Authentication"})
		s.AddUser("ann@example.com", "Pass-word1", "Ann")
		o := s.Options()
		st, m := post(t, s.URL+"/oauth/token", "application/json", `{"grant_type":"password","username":"ann@example.com","password":"Pass-word1","client_id":"`+
			o.ClientID+`","client_secret":"`+o.ClientSecret+`","audience":"`+o.Audience+`"}`)
		if st != 200 || m["access_token"] == nil {
			t.Fatalf("got %d %v", st, m)
		}
	})
}

func TestDiscoveryFields(t *testing.T) {
	s := start(t, auth0sim.Options{})
	var d map[string]any
	getJSON(t, s.URL+"/.well-known/openid-configuration", &d)
	// The keys of a real tenant's document (see discovery's source comment).
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint", "device_authorization_endpoint",
		"userinfo_endpoint", "mfa_challenge_endpoint", "jwks_uri", "registration_endpoint", "revocation_endpoint",
		"end_session_endpoint", "scopes_supported", "response_types_supported", "code_challenge_methods_supported",
		"response_modes_supported", "subject_types_supported", "id_token_signing_alg_values_supported",
		"token_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported", "claims_supported",
		"request_uri_parameter_supported", "request_parameter_supported"} {
		if _, ok := d[k]; !ok {
			t.Errorf("discovery lacks %s", k)
		}
	}
	if _, ok := d["grant_types_supported"]; ok {
		t.Error("discovery has grant_types_supported, which Auth0 tenants do not publish")
	}
	methods, _ := d["token_endpoint_auth_methods_supported"].([]any)
	if len(methods) != 3 || methods[0] != "client_secret_basic" || methods[1] != "client_secret_post" {
		t.Errorf("token_endpoint_auth_methods_supported: got %v", methods)
	}
	if d["revocation_endpoint"] != s.URL+"/oauth/revoke" || d["end_session_endpoint"] != s.URL+"/oidc/logout" {
		t.Errorf("got %v and %v", d["revocation_endpoint"], d["end_session_endpoint"])
	}
}

func TestRevokeAndLogout(t *testing.T) {
	s := start(t, auth0sim.Options{})
	s.AddUser("ann@example.com", "Pass-word1", "Ann")
	o := s.Options()
	_, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", url.Values{
		"grant_type": {"http://auth0.com/oauth/grant-type/password-realm"}, "realm": {o.Connection},
		"username": {"ann@example.com"}, "password": {"Pass-word1"}, "client_id": {o.ClientID},
		"client_secret": {o.ClientSecret}, "audience": {o.Audience}, "scope": {"openid offline_access"}}.Encode())
	rt, _ := m["refresh_token"].(string)
	if st, m := postAuth(t, s.URL+"/oauth/revoke", o.ClientID, "wrong", url.Values{"token": {rt}}); st != 401 || m["error"] != "access_denied" {
		t.Fatalf("revoke with a wrong secret: got %d %v", st, m)
	}
	if st, _ := postAuth(t, s.URL+"/oauth/revoke", o.ClientID, o.ClientSecret, url.Values{"token": {rt}}); st != 200 {
		t.Fatalf("revoke: got %d", st)
	}
	st, m := postAuth(t, s.URL+"/oauth/token", o.ClientID, o.ClientSecret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	if st != 403 || m["error"] != "invalid_grant" {
		t.Fatalf("revoked refresh token: got %d %v", st, m)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(s.URL + "/oidc/logout?client_id=" + o.ClientID + "&post_logout_redirect_uri=" + url.QueryEscape("https://panel.example/") + "&state=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://panel.example/?state=x" {
		t.Fatalf("logout: got %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestEmailVerification(t *testing.T) {
	s := start(t, auth0sim.Options{})
	o := s.Options()
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", `{"client_id":"`+o.ClientID+`","connection":"`+o.Connection+
		`","email":"new@example.com","password":"Pass-word1"}`); st != 200 || m["email_verified"] != false {
		t.Fatalf("signup: got %d %v", st, m)
	}
	verified := func() any {
		_, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", url.Values{
			"grant_type": {"http://auth0.com/oauth/grant-type/password-realm"}, "realm": {o.Connection},
			"username": {"new@example.com"}, "password": {"Pass-word1"}, "client_id": {o.ClientID},
			"client_secret": {o.ClientSecret}, "audience": {o.Audience}, "scope": {"openid email"}}.Encode())
		idt, _ := m["id_token"].(string)
		parts := strings.Split(idt, ".")
		if len(parts) != 3 {
			t.Fatalf("no id token: %v", m)
		}
		b, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var c map[string]any
		_ = json.Unmarshal(b, &c)
		return c["email_verified"]
	}
	if v := verified(); v != false {
		t.Fatalf("email_verified after signup: got %v, want false", v)
	}
	link := s.VerificationLink("new@example.com")
	if link == "" {
		t.Fatal("no verification email")
	}
	for i, want := range []int{200, 400} { // the ticket is single use
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("visit %d: got %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if v := verified(); v != true {
		t.Fatalf("email_verified after the link: got %v, want true", v)
	}
	s.SetEmailVerified("new@example.com", false)
	if v := verified(); v != false {
		t.Fatalf("email_verified after SetEmailVerified(false): got %v", v)
	}
}

func with(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for kk, vv := range v {
		out[kk] = append([]string(nil), vv...)
	}
	out.Set(k, val)
	return out
}

func without(v url.Values, k string) url.Values {
	out := with(v, k, "")
	out.Del(k)
	return out
}

func postAuth(t *testing.T, u, user, pass string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestSignup(t *testing.T) {
	s := start(t, auth0sim.Options{})
	o := s.Options()
	body := func(email, pw string) string {
		return `{"client_id":"` + o.ClientID + `","connection":"` + o.Connection + `","email":"` + email + `","password":"` + pw + `"}`
	}
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", body("a@example.com", "Pass-word1")); st != 200 || m["_id"] == nil {
		t.Fatalf("signup: got %d %v", st, m)
	}
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", body("a@example.com", "Pass-word1")); st != 400 || m["code"] != "user_exists" || m["statusCode"] != float64(400) {
		t.Fatalf("duplicate: got %d %v", st, m)
	}
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", body("b@example.com", "weak")); st != 400 || m["code"] != "invalid_password" {
		t.Fatalf("weak: got %d %v", st, m)
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	s := start(t, auth0sim.Options{CallbackURLs: []string{"https://panel.example/api/auth/callback"}})
	o := s.Options()
	ok := url.Values{"response_type": {"code"}, "client_id": {o.ClientID}, "redirect_uri": {"https://panel.example/api/auth/callback"},
		"scope": {"openid"}, "audience": {o.Audience}, "state": {"s"}, "code_challenge": {"abc"}, "code_challenge_method": {"S256"}}
	tests := []struct {
		name   string
		q      url.Values
		status int
	}{
		{"OK", ok, 200},
		{"OKPlainChallenge", with(ok, "code_challenge_method", "plain"), 200},
		{"ErrCallbackMismatch", with(ok, "redirect_uri", "https://evil.example/cb"), 400},
		{"ErrUnknownClient", with(ok, "client_id", "other"), 400},
		{"ErrResponseType", with(ok, "response_type", "token"), 400},
		{"ErrChallengeMethod", with(ok, "code_challenge_method", "S512"), 400},
		{"ErrAudience", with(ok, "audience", "https://other"), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(s.URL + "/authorize?" + tt.q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("got %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestSignupRefusals(t *testing.T) {
	s := start(t, auth0sim.Options{})
	o := s.Options()
	tests := []struct{ name, body, code string }{
		{"ErrConnection", `{"client_id":"` + o.ClientID + `","connection":"Other","email":"a@example.com","password":"Pass-word1"}`, "invalid_connection"},
		{"ErrClient", `{"client_id":"other","connection":"` + o.Connection + `","email":"a@example.com","password":"Pass-word1"}`, "invalid_signup"},
		{"ErrEmail", `{"client_id":"` + o.ClientID + `","connection":"` + o.Connection + `","email":"nope","password":"Pass-word1"}`, "invalid_signup"},
		{"ErrWeakPassword", `{"client_id":"` + o.ClientID + `","connection":"` + o.Connection + `","email":"a@example.com","password":"weak"}`, "invalid_password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", tt.body); st != 400 || m["code"] != tt.code {
				t.Fatalf("got %d %v, want 400 %s", st, m, tt.code)
			}
		})
	}
}
