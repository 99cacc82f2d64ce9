package auth0sim_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth0.json")
	s1, err := auth0sim.NewWithState(auth0sim.Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	o := s1.Options()
	signup := `{"client_id":"` + o.ClientID + `","connection":"` + o.Connection + `","email":"Zoe@example.com","password":"Pass-word1","name":"Zoe"}`
	if st, m := post(t, s1.URL+"/dbconnections/signup", "application/json", signup); st != 200 {
		t.Fatalf("signup: got %d %v", st, m)
	}
	login := func(s *auth0sim.Server, pw string) (int, map[string]any) {
		return post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", url.Values{
			"grant_type": {"http://auth0.com/oauth/grant-type/password-realm"}, "realm": {o.Connection},
			"username": {"zoe@example.com"}, "password": {pw}, "client_id": {o.ClientID},
			"client_secret": {o.ClientSecret}, "audience": {o.Audience}, "scope": {"openid email offline_access"}}.Encode())
	}
	st, m := login(s1, "Pass-word1")
	if st != 200 {
		t.Fatalf("login: got %d %v", st, m)
	}
	oldAccess, _ := m["access_token"].(string)
	oldRefresh, _ := m["refresh_token"].(string)
	sub := s1.Subject("zoe@example.com")
	s1.RotateKey() // the old token's key is now retired but still published
	addr := strings.TrimPrefix(s1.URL, "http://")
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); strings.Contains(string(b), "Pass-word1") {
		t.Fatal("state file holds the plain password")
	}

	s2, err := auth0sim.NewWithState(auth0sim.Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Start(addr); err != nil { // same address, so the same issuer
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s2.Close() })

	t.Run("OKSignIn", func(t *testing.T) {
		if st, m := login(s2, "Pass-word1"); st != 200 || m["access_token"] == nil {
			t.Fatalf("got %d %v", st, m)
		}
		if got := s2.Subject("zoe@example.com"); got != sub {
			t.Errorf("got sub %q, want %q", got, sub)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		if st, m := login(s2, "Pass-word2"); st != 403 || m["error"] != "invalid_grant" {
			t.Fatalf("got %d %v", st, m)
		}
	})
	t.Run("OKOldTokenVerifies", func(t *testing.T) {
		var set jose.JSONWebKeySet
		if st := getJSON(t, s2.URL+"/.well-known/jwks.json", &set); st != 200 || len(set.Keys) != 2 {
			t.Fatalf("jwks: got %d with %d keys, want 2", st, len(set.Keys))
		}
		tok, err := jwt.ParseSigned(oldAccess, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		keys := set.Key(tok.Headers[0].KeyID)
		if len(keys) != 1 {
			t.Fatalf("kid %s not in the JWKS", tok.Headers[0].KeyID)
		}
		var c jwt.Claims
		if err := tok.Claims(keys[0].Key, &c); err != nil {
			t.Fatalf("verify: %v", err)
		}
		if err := c.Validate(jwt.Expected{Issuer: s2.Issuer(), Subject: sub}); err != nil {
			t.Fatalf("claims: %v", err)
		}
		req, _ := http.NewRequest("GET", s2.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+oldAccess)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("userinfo: got %d", resp.StatusCode)
		}
	})
	t.Run("OKRefreshToken", func(t *testing.T) {
		st, m := post(t, s2.URL+"/oauth/token", "application/x-www-form-urlencoded", url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {oldRefresh}, "client_id": {o.ClientID},
			"client_secret": {o.ClientSecret}}.Encode())
		if st != 200 || m["access_token"] == nil {
			t.Fatalf("got %d %v", st, m)
		}
	})
	t.Run("ErrSignupExists", func(t *testing.T) {
		if st, m := post(t, s2.URL+"/dbconnections/signup", "application/json", signup); st != 400 || m["code"] != "user_exists" {
			t.Fatalf("got %d %v", st, m)
		}
	})
}

func TestStateFileErrors(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"ErrUnreadable", `{"version":1,"keys":[`},
		{"ErrVersion", `{"version":2}`},
		{"ErrNoKeys", `{"version":1,"keys":[]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "auth0.json")
			if err := os.WriteFile(path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := auth0sim.NewWithState(auth0sim.Options{StateFile: path})
			if err == nil || !strings.Contains(err.Error(), "ResetState") {
				t.Fatalf("got %v, want an error with a ResetState note", err)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.body {
				t.Errorf("file changed to %q; want it left alone", b)
			}
		})
	}
}
