package auth0_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/auth0"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

func newSim(t *testing.T) (*auth0sim.Server, *auth0.Client) {
	t.Helper()
	sim := auth0sim.New(auth0sim.Options{})
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	o := sim.Options()
	c, err := auth0.New(auth0.Config{Issuer: sim.Issuer(), ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		Audience: o.Audience, Connection: o.Connection, RolesClaim: o.RolesClaim})
	if err != nil {
		t.Fatal(err)
	}
	return sim, c
}

func TestVerifyAccessToken(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	now := time.Now()
	o := sim.Options()
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"OK", sim.MintToken(auth0sim.TokenOptions{Subject: "auth0|a", Roles: []string{"admin"}}), true},
		{"OKAudienceOnly", sim.MintToken(auth0sim.TokenOptions{Audience: []string{o.Audience}}), true},
		{"ErrExpired", sim.MintToken(auth0sim.TokenOptions{IssuedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}), false},
		{"ErrNotYetValid", sim.MintToken(auth0sim.TokenOptions{NotBefore: now.Add(time.Hour)}), false},
		{"ErrIssuedInFuture", sim.MintToken(auth0sim.TokenOptions{IssuedAt: now.Add(time.Hour)}), false},
		{"ErrWrongIssuer", sim.MintToken(auth0sim.TokenOptions{Issuer: "https://evil.example.com/"}), false},
		{"ErrIssuerWithoutSlash", sim.MintToken(auth0sim.TokenOptions{Issuer: sim.URL}), false},
		{"ErrWrongAudience", sim.MintToken(auth0sim.TokenOptions{Audience: []string{"https://other.api"}}), false},
		{"ErrAlgNone", sim.MintNone(auth0sim.TokenOptions{}), false},
		{"ErrHS256WithPublicKey", sim.MintHS256WithPublicKey(auth0sim.TokenOptions{}), false},
		{"ErrUnknownKid", sim.MintToken(auth0sim.TokenOptions{KeyID: "not-published"}), false},
		{"ErrNoExp", sim.MintToken(auth0sim.TokenOptions{NoExpiry: true}), false},
		{"ErrGarbage", "a.b.c", false},
		{"ErrEmpty", "", false},
		{"ErrTamperedPayload", tamper(sim.MintToken(auth0sim.TokenOptions{})), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := c.VerifyAccessToken(ctx, tt.token)
			if tt.ok {
				if err != nil {
					t.Fatalf("got %v, want ok", err)
				}
				if id.Subject == "" {
					t.Fatalf("no subject")
				}
				return
			}
			if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
				t.Fatalf("got %v, want unauthorized", err)
			}
			t.Log(err)
		})
	}
	t.Run("OKRoles", func(t *testing.T) {
		id, err := c.VerifyAccessToken(ctx, sim.MintToken(auth0sim.TokenOptions{Subject: "auth0|r", Roles: []string{"admin"}}))
		if err != nil || !id.HasRole("admin") || id.Subject != "auth0|r" {
			t.Fatalf("got %+v, %v", id, err)
		}
	})
	t.Run("RepeatIsACopy", func(t *testing.T) { // the second check comes from the verified cache
		tok := sim.MintToken(auth0sim.TokenOptions{Subject: "auth0|c", Roles: []string{"admin"}})
		for i := range 3 {
			id, err := c.VerifyAccessToken(ctx, tok)
			if err != nil || !id.HasRole("admin") || id.Subject != "auth0|c" {
				t.Fatalf("check %d: got %+v, %v", i, id, err)
			}
			id.Roles[0] = "customer"
		}
		plain := sim.MintToken(auth0sim.TokenOptions{}) // subject auth0|test, which tamper changes
		if _, err := c.VerifyAccessToken(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if _, err := c.VerifyAccessToken(ctx, tamper(plain)); panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Fatalf("a tampered copy of a cached token: got %v, want unauthorized", err)
		}
	})
}

// tamper flips the subject in the payload, keeping the signature.
func tamper(tok string) string {
	p := strings.Split(tok, ".")
	b, _ := base64.RawURLEncoding.DecodeString(p[1])
	b = []byte(strings.Replace(string(b), "auth0|test", "auth0|evil", 1))
	p[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(p, ".")
}

func TestKeyRotation(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	old := sim.MintToken(auth0sim.TokenOptions{})
	if _, err := c.VerifyAccessToken(ctx, old); err != nil { // caches the JWKS
		t.Fatal(err)
	}
	sim.RotateKey()
	fresh := sim.MintToken(auth0sim.TokenOptions{})
	if _, err := c.VerifyAccessToken(ctx, fresh); err != nil {
		t.Fatalf("token from the rotated-in key: got %v, want ok", err)
	}
	if _, err := c.VerifyAccessToken(ctx, old); err != nil {
		t.Fatalf("token from the retired key within grace: got %v, want ok", err)
	}
}

func TestSignIn(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	sim.AddUser("ann@example.com", "Correct-horse1", "Ann", "admin")
	sim.AddUser("bob@example.com", "Correct-horse1", "Bob")
	sim.Block("bob@example.com")

	t.Run("OK", func(t *testing.T) {
		id, err := c.SignIn(ctx, "ann@example.com", "Correct-horse1", "198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		if id.Email != "ann@example.com" || id.Name != "Ann" || !id.HasRole("admin") || !strings.HasPrefix(id.Subject, "auth0|") {
			t.Fatalf("got %+v", id)
		}
		ff := sim.ForwardedFor()
		if len(ff) == 0 || ff[len(ff)-1] != "198.51.100.7" {
			t.Fatalf("auth0-forwarded-for: got %v", ff)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		_, err := c.SignIn(ctx, "ann@example.com", "nope", "198.51.100.8")
		if panel.ErrorCode(err) != panel.EUNAUTHORIZED || panel.ErrorMessage(err) != "Wrong email or password." {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrUnknownEmailSameMessage", func(t *testing.T) {
		_, err := c.SignIn(ctx, "nobody@example.com", "nope", "198.51.100.8")
		if panel.ErrorCode(err) != panel.EUNAUTHORIZED || panel.ErrorMessage(err) != "Wrong email or password." {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrBlocked", func(t *testing.T) {
		_, err := c.SignIn(ctx, "bob@example.com", "Correct-horse1", "198.51.100.8")
		if panel.ErrorCode(err) != panel.EFORBIDDEN {
			t.Fatalf("got %v, want forbidden", err)
		}
	})
	t.Run("ErrTooManyAttempts", func(t *testing.T) {
		for range 10 {
			_, _ = c.SignIn(ctx, "ann@example.com", "bad", "203.0.113.9")
		}
		_, err := c.SignIn(ctx, "ann@example.com", "Correct-horse1", "203.0.113.9")
		if panel.ErrorCode(err) != panel.ERATELIMITED {
			t.Fatalf("got %v, want rate_limited", err)
		}
	})
	t.Run("ErrUpstream5xx", func(t *testing.T) {
		sim.SetFault("/oauth/token", auth0sim.Fault{Status: 503, Times: 1})
		_, err := c.SignIn(ctx, "ann@example.com", "Correct-horse1", "")
		if panel.ErrorCode(err) != panel.EUPSTREAM {
			t.Fatalf("got %v, want upstream", err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		sim.SetFault("/oauth/token", auth0sim.Fault{Malformed: true, Times: 1})
		_, err := c.SignIn(ctx, "ann@example.com", "Correct-horse1", "")
		if panel.ErrorCode(err) != panel.EUPSTREAM {
			t.Fatalf("got %v, want upstream", err)
		}
	})
}

func TestTimeout(t *testing.T) {
	sim := auth0sim.New(auth0sim.Options{})
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	o := sim.Options()
	c, err := auth0.New(auth0.Config{Issuer: sim.Issuer(), ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		Audience: o.Audience, Connection: o.Connection, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	sim.SetFault("/oauth/token", auth0sim.Fault{Delay: time.Second, Times: 1})
	_, err = c.SignIn(context.Background(), "a@example.com", "x", "")
	if panel.ErrorCode(err) != panel.ETIMEOUT {
		t.Fatalf("got %v, want timeout", err)
	}
}

func TestSignUp(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		if err := c.SignUp(ctx, "new@example.com", "Str0ng-pass", "New", ""); err != nil {
			t.Fatal(err)
		}
		if sim.Subject("new@example.com") == "" {
			t.Fatal("user not created")
		}
	})
	t.Run("ErrExists", func(t *testing.T) {
		err := c.SignUp(ctx, "new@example.com", "Str0ng-pass", "New", "")
		if panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("ErrWeakPassword", func(t *testing.T) {
		err := c.SignUp(ctx, "weak@example.com", "short", "Weak", "")
		var pe *panel.Error
		if panel.ErrorCode(err) != panel.EINVALID || !asPanel(err, &pe) || pe.Fields["password"] == "" {
			t.Fatalf("got %v, want invalid password", err)
		}
	})
	t.Run("ResetPassword", func(t *testing.T) {
		if err := c.ResetPassword(ctx, "new@example.com"); err != nil {
			t.Fatal(err)
		}
		if got := sim.PasswordResets(); len(got) != 1 || got[0] != "new@example.com" {
			t.Fatalf("got %v", got)
		}
		if err := c.ResetPassword(ctx, "unknown@example.com"); err != nil {
			t.Fatalf("unknown email: got %v, want nil", err)
		}
	})
}

func asPanel(err error, pe **panel.Error) bool {
	e, ok := err.(*panel.Error)
	*pe = e
	return ok
}

func TestCodeFlow(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	sim.AddUser("cat@example.com", "Correct-horse1", "Cat")
	verifier := randString()
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	redirect := "http://localhost:8080/api/auth/callback"
	code := loginViaPage(t, c.AuthorizeURL(panel.AuthorizeRequest{RedirectURI: redirect, State: "st1", Nonce: "n1", CodeChallenge: challenge}),
		"cat@example.com", "Correct-horse1")

	t.Run("ErrWrongVerifier", func(t *testing.T) {
		c2 := loginViaPage(t, c.AuthorizeURL(panel.AuthorizeRequest{RedirectURI: redirect, State: "s", Nonce: "n1", CodeChallenge: challenge}),
			"cat@example.com", "Correct-horse1")
		_, err := c.Exchange(ctx, c2, "wrong-verifier", redirect, "n1")
		if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrWrongNonce", func(t *testing.T) {
		c3 := loginViaPage(t, c.AuthorizeURL(panel.AuthorizeRequest{RedirectURI: redirect, State: "s", Nonce: "n1", CodeChallenge: challenge}),
			"cat@example.com", "Correct-horse1")
		_, err := c.Exchange(ctx, c3, verifier, redirect, "other")
		if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		id, err := c.Exchange(ctx, code, verifier, redirect, "n1")
		if err != nil {
			t.Fatal(err)
		}
		if id.Email != "cat@example.com" {
			t.Fatalf("got %+v", id)
		}
	})
	t.Run("ErrCodeReused", func(t *testing.T) {
		_, err := c.Exchange(ctx, code, verifier, redirect, "n1")
		if panel.ErrorCode(err) != panel.EUNAUTHORIZED {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("UserInfo", func(t *testing.T) {
		sub := sim.Subject("cat@example.com")
		id, err := c.UserInfo(ctx, sim.MintToken(auth0sim.TokenOptions{Subject: sub}))
		if err != nil || id.Email != "cat@example.com" || id.Subject != sub {
			t.Fatalf("got %+v, %v", id, err)
		}
	})
}

func randString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// loginViaPage posts the simulator's login form and returns the code.
func loginViaPage(t *testing.T, authorizeURL, email, password string) string {
	t.Helper()
	u, _ := url.Parse(authorizeURL)
	resp, err := http.Get(authorizeURL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login page: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	form := u.Query()
	form.Set("username", email)
	form.Set("password", password)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.PostForm(u.Scheme+"://"+u.Host+"/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("login post: got %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query().Get("code")
}
