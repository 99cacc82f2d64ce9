package auth_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// servers mounts the "servers" function's routes with handlers that only
// answer 204, behind the real authenticator: what a token may reach.
func (e *env) servers() http.Handler {
	e.t.Helper()
	hs := httpx.Handlers{}
	for _, rt := range routes.ForFunction("servers") {
		hs[rt.Pattern()] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	}
	h, err := httpx.Mount("servers", hs, auth.NewAuthenticator(e.deps))
	if err != nil {
		e.t.Fatal(err)
	}
	return h
}

func callWith(h http.Handler, token, method, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func (b *browser) newToken(name, scope string, days int) string {
	b.e.t.Helper()
	r := b.mutate("POST", "/api/account/tokens", map[string]any{"name": name, "scope": scope, "expiresInDays": days})
	tok, _ := r.body["token"].(string)
	if r.status != 201 || !strings.HasPrefix(tok, "vfp_") {
		b.e.t.Fatalf("create token: got %d %s", r.status, r.raw)
	}
	return tok
}

// TestAPITokens: scopes enforced per route (routes.Route.TokenScope),
// revoked and expired tokens refused, per-token rate limit, last-used
// time, and the token itself never logged or listed.
func TestAPITokens(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	e := newEnv(t, envOptions{})
	e.auth0.AddUser("ann@example.com", pw, "Ann")
	b := e.browser()
	b.mustLogin("ann@example.com", pw)
	read, power, full := b.newToken("ro", "read", 30), b.newToken("pw", "power", 30), b.newToken("ci", "full", 30)
	srv, authFn := e.servers(), e.handler

	tests := []struct {
		name, token, method, path string
		h                         http.Handler
		status                    int
	}{
		{"ReadGET", read, "GET", "/api/servers", srv, 204},
		{"ErrReadPower", read, "POST", "/api/servers/7/power", srv, 403},
		{"PowerPower", power, "POST", "/api/servers/7/power", srv, 204},
		{"ErrPowerRename", power, "PATCH", "/api/servers/7", srv, 403},
		{"FullRename", full, "PATCH", "/api/servers/7", srv, 204},
		{"FullDelete", full, "DELETE", "/api/servers/7", srv, 204},
		{"ErrFullTokenManagement", full, "GET", "/api/account/tokens", authFn, 403},
		{"ErrFullCreateToken", full, "POST", "/api/account/tokens", authFn, 403},
		{"ErrFullMFA", full, "GET", "/api/account/mfa", authFn, 403},
		{"ErrFullSessions", full, "GET", "/api/account/sessions", authFn, 403},
		{"ErrFullExport", full, "GET", "/api/account/export", authFn, 403},
		{"ErrFullErase", full, "DELETE", "/api/account", authFn, 403},
		{"ErrUnknownToken", "vfp_" + strings.Repeat("A", 43), "GET", "/api/servers", srv, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := callWith(tt.h, tt.token, tt.method, tt.path); w.Code != tt.status {
				t.Fatalf("got %d %s, want %d", w.Code, w.Body, tt.status)
			}
		})
	}

	r := b.do("GET", "/api/account/tokens", nil)
	list, _ := r.body["tokens"].([]any)
	if r.status != 200 || len(list) != 3 || strings.Contains(r.raw, "vfp_") {
		t.Fatalf("list: got %d %s", r.status, r.raw)
	}
	used := 0
	for _, x := range list {
		if x.(map[string]any)["lastUsedAt"] != nil {
			used++
		}
	}
	if used != 3 {
		t.Fatalf("want lastUsedAt on the 3 used tokens: %s", r.raw)
	}

	t.Run("ErrRevoked", func(t *testing.T) {
		var id string
		for _, x := range list {
			if m := x.(map[string]any); m["name"] == "ro" {
				id = m["id"].(string)
			}
		}
		if r := b.mutate("DELETE", "/api/account/tokens/"+id, nil); r.status != 204 {
			t.Fatalf("revoke: got %d %s", r.status, r.raw)
		}
		if w := callWith(srv, read, "GET", "/api/servers"); w.Code != 401 {
			t.Fatalf("revoked token: got %d", w.Code)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		var last int
		for range 121 {
			if last = callWith(srv, power, "GET", "/api/servers").Code; last != 204 {
				break
			}
		}
		if last != 429 {
			t.Fatalf("after the per-token limit: got %d", last)
		}
		if w := callWith(srv, full, "GET", "/api/servers"); w.Code != 204 {
			t.Fatalf("another token is not limited: got %d", w.Code)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		short := b.newToken("short", "read", 1)
		e.clock.Advance(25 * time.Hour)
		if w := callWith(srv, short, "GET", "/api/servers"); w.Code != 401 {
			t.Fatalf("expired token: got %d", w.Code)
		}
	})
	t.Run("ErrInvalidRequest", func(t *testing.T) {
		b := e.browser()
		b.mustLogin("ann@example.com", pw)
		r := b.mutate("POST", "/api/account/tokens", map[string]any{"name": "", "scope": "admin", "expiresInDays": 0})
		if r.status != 400 || !strings.Contains(r.raw, `"scope"`) || !strings.Contains(r.raw, `"expiresInDays"`) {
			t.Fatalf("got %d %s", r.status, r.raw)
		}
	})
	acts, _, err := e.deps.Audit.Activity(t.Context(), auth.UserID(e.auth0.Subject("ann@example.com")), "", 50)
	var created, revoked int
	for _, a := range acts {
		switch a.Action {
		case "api_token.create":
			created++
		case "api_token.revoke":
			revoked++
		}
	}
	if err != nil || created != 4 || revoked != 1 {
		t.Fatalf("audit: %d created, %d revoked (%v), want 4 and 1", created, revoked, err)
	}
	for _, tok := range []string{read, power, full} {
		if strings.Contains(logs.String(), tok) || strings.Contains(logs.String(), tok[4:20]) {
			t.Fatalf("a token reached the logs")
		}
	}
	if !strings.Contains(logs.String(), "api") {
		t.Fatalf("nothing was logged, so the check above proves nothing: %q", logs.String())
	}
}
