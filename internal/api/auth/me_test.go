package auth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

// countingUsers counts reads of the user item.
type countingUsers struct {
	panel.UserStore
	reads atomic.Int32
}

func (c *countingUsers) User(ctx context.Context, id string) (*panel.User, error) {
	c.reads.Add(1)
	return c.UserStore.User(ctx, id)
}

// countingSessions counts reads of the session item.
type countingSessions struct {
	panel.SessionStore
	reads atomic.Int32
}

func (c *countingSessions) Session(ctx context.Context, id string) (*panel.Session, error) {
	c.reads.Add(1)
	return c.SessionStore.Session(ctx, id)
}

// TestMeReads checks what GET /api/auth/me costs: one read (the session)
// for a cookie, and the one read Bearer authentication makes anyway.
func TestMeReads(t *testing.T) {
	e := newEnv(t, envOptions{})
	sub := e.auth0.AddUser("me@example.com", pw, "Me Myself")
	b := e.browser()
	b.mustLogin("me@example.com", pw)
	stored := e.storedUser("me@example.com")

	users, sessions := &countingUsers{UserStore: e.users}, &countingSessions{SessionStore: e.sessions}
	d := e.deps
	d.Users, d.Sessions = users, sessions
	h, err := httpx.Mount("auth", authHandlers(d), auth.NewAuthenticator(d))
	if err != nil {
		t.Fatal(err)
	}
	me := func(t *testing.T, hdr ...string) *panel.User {
		t.Helper()
		users.reads.Store(0)
		sessions.reads.Store(0)
		r := httptest.NewRequest("GET", "/api/auth/me", nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var out struct {
			User *panel.User `json:"user"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &out); w.Code != http.StatusOK || err != nil || out.User == nil {
			t.Fatalf("got %d %s", w.Code, w.Body)
		}
		return out.User
	}
	same := func(t *testing.T, got *panel.User) {
		t.Helper()
		if got.ID != stored.ID || got.Email != stored.Email || got.Name != stored.Name || got.VFUserID != stored.VFUserID ||
			got.Role != panel.RoleCustomer || !got.CreatedAt.Equal(stored.CreatedAt) {
			t.Errorf("got %+v, want %+v", got, stored)
		}
	}

	t.Run("OKSessionOneRead", func(t *testing.T) {
		same(t, me(t, "Cookie", auth.SessionCookieName(false)+"="+b.sessionCookie()))
		if s, u := sessions.reads.Load(), users.reads.Load(); s != 1 || u != 0 {
			t.Errorf("reads: %d session, %d user; want 1 and 0", s, u)
		}
	})
	t.Run("OKOlderSessionReadsUser", func(t *testing.T) {
		// A session stored before the user's CreatedAt was copied into it.
		now := e.clock.Now()
		raw := "older-session-raw-id"
		err := e.sessions.CreateSession(context.Background(), &panel.Session{ID: auth.HashSessionID(raw), UserID: stored.ID,
			VFUserID: stored.VFUserID, Email: stored.Email, Name: stored.Name, Role: stored.Role, CSRFToken: "x",
			CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		same(t, me(t, "Cookie", auth.SessionCookieName(false)+"="+raw))
		if u := users.reads.Load(); u != 1 {
			t.Errorf("user reads: got %d, want 1", u)
		}
	})
	t.Run("OKBearerOneRead", func(t *testing.T) {
		same(t, me(t, "Authorization", "Bearer "+e.auth0.MintToken(auth0sim.TokenOptions{Subject: sub})))
		if u := users.reads.Load(); u != 1 {
			t.Errorf("user reads: got %d, want 1 (authentication's)", u)
		}
	})
}
