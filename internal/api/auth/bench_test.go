package auth_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

// BenchmarkAuthenticatedRequest measures what signing in adds to a request:
// the same trivial handler behind httpx.Wrap, with no auth, behind a session
// cookie (one consistent GetItem against DynamoDB Local plus the expiry,
// idle and CSRF checks) and behind a Bearer token (RS256 verification with
// a cached JWKS plus one GetItem). Compare the medians of -count runs.
func BenchmarkAuthenticatedRequest(b *testing.B) {
	// One log line per request would swamp the numbers (and the output).
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
	e := newBenchEnv(b)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	authn := auth.NewAuthenticator(e.deps)
	cases := []struct {
		name string
		h    http.Handler
		req  func() *http.Request
	}{
		{"Unauthenticated", httpx.Wrap(ok), func() *http.Request { return httptest.NewRequest("GET", "/api/x", nil) }},
		{"Session", httpx.Wrap(httpx.RequireAuth(authn, false, ok)), func() *http.Request {
			r := httptest.NewRequest("GET", "/api/x", nil)
			r.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: e.cookie})
			return r
		}},
		{"SessionPOSTWithCSRF", httpx.Wrap(httpx.RequireAuth(authn, false, ok)), func() *http.Request {
			r := httptest.NewRequest("POST", "/api/x", nil)
			r.AddCookie(&http.Cookie{Name: auth.SessionCookieName(false), Value: e.cookie})
			r.Header.Set(auth.CSRFHeader, e.csrf)
			return r
		}},
		{"Bearer", httpx.Wrap(httpx.RequireAuth(authn, false, ok)), func() *http.Request {
			r := httptest.NewRequest("GET", "/api/x", nil)
			r.Header.Set("Authorization", "Bearer "+e.token)
			return r
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				c.h.ServeHTTP(w, c.req())
				if w.Code != http.StatusNoContent {
					b.Fatalf("got %d %s", w.Code, w.Body)
				}
			}
		})
	}
}

type benchEnv struct {
	*env
	cookie, csrf, token string
}

// newBenchEnv signs a user in once through the real handlers.
func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	e := newEnv(b, envOptions{})
	sub := e.auth0.AddUser("bench@example.com", pw, "Bench")
	br := e.browser()
	r := br.login("bench@example.com", pw)
	if r.status != 200 {
		b.Fatalf("login: %d %s", r.status, r.raw)
	}
	tok := e.auth0.MintToken(auth0sim.TokenOptions{Subject: sub})
	if r := br.do("GET", "/api/auth/me", nil, "Authorization", "Bearer "+tok); r.status != 200 {
		b.Fatalf("bearer: %d %s", r.status, r.raw)
	}
	return &benchEnv{env: e, cookie: br.sessionCookie(), csrf: br.csrf, token: tok}
}
