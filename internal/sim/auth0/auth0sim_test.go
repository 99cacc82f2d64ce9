package auth0sim_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	auth0sim "github.com/vfpanel/vfpanel/internal/sim/auth0"
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
		"client_secret": {o.ClientSecret}, "scope": {"openid offline_access"}}

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
	t.Run("OKJSONPasswordGrant", func(t *testing.T) {
		st, m := post(t, s.URL+"/oauth/token", "application/json", `{"grant_type":"password","username":"ann@example.com","password":"Pass-word1","client_id":"`+
			o.ClientID+`","client_secret":"`+o.ClientSecret+`"}`)
		if st != 200 || m["access_token"] == nil {
			t.Fatalf("got %d %v", st, m)
		}
	})
	bad := func(k, v string) string {
		f := url.Values{}
		for kk, vv := range form {
			f[kk] = vv
		}
		f.Set(k, v)
		return f.Encode()
	}
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"ErrWrongPassword", bad("password", "x"), 403, "invalid_grant"},
		{"ErrUnknownUser", bad("username", "zed@example.com"), 403, "invalid_grant"},
		{"ErrBadClient", bad("client_secret", "x"), 401, "access_denied"},
		{"ErrBadAudience", bad("audience", "https://other"), 403, "access_denied"},
		{"ErrGrant", bad("grant_type", "client_credentials"), 403, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", tt.body)
			if st != tt.status || m["error"] != tt.code {
				t.Fatalf("got %d %v", st, m)
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

func TestSignup(t *testing.T) {
	s := start(t, auth0sim.Options{})
	o := s.Options()
	body := func(email, pw string) string {
		return `{"client_id":"` + o.ClientID + `","connection":"` + o.Connection + `","email":"` + email + `","password":"` + pw + `"}`
	}
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", body("a@example.com", "Pass-word1")); st != 200 || m["_id"] == nil {
		t.Fatalf("signup: got %d %v", st, m)
	}
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", body("a@example.com", "Pass-word1")); st != 409 || m["code"] != "user_exists" {
		t.Fatalf("duplicate: got %d %v", st, m)
	}
	if st, m := post(t, s.URL+"/dbconnections/signup", "application/json", body("b@example.com", "weak")); st != 400 || m["code"] != "invalid_password" {
		t.Fatalf("weak: got %d %v", st, m)
	}
}
