package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// acctClock is a settable test clock.
type acctClock struct{ t time.Time }

func (c *acctClock) Now() time.Time { return c.t }

func newAcctStore(t *testing.T) (dynamo.Store, *acctClock) {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	c := &acctClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	s := dynamo.NewStore(db, table)
	s.Now = c.Now
	return s, c
}

func acctSession(id, user string, created time.Time) *panel.Session {
	return &panel.Session{ID: id, UserID: user, VFUserID: 7, Email: user + "@example.com", Name: "N", Role: panel.RoleCustomer,
		CSRFToken: "csrf-" + id, IP: "192.0.2.1", UserAgent: "test", CreatedAt: created, LastSeenAt: created,
		ExpiresAt: created.Add(7 * 24 * time.Hour)}
}

func TestSessions(t *testing.T) {
	st, clk := newAcctStore(t)
	s := dynamo.NewSessions(st)
	ctx := context.Background()
	now := clk.t
	for i := range 3 {
		if err := s.CreateSession(ctx, acctSession(fmt.Sprintf("s%d", i), "u1", now.Add(time.Duration(i)*time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateSession(ctx, acctSession("other", "u2", now)); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		got, err := s.Session(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if got.UserID != "u1" || got.CSRFToken != "csrf-s1" || got.VFUserID != 7 || !got.ExpiresAt.Equal(now.Add(time.Second+7*24*time.Hour)) {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		if err := s.CreateSession(ctx, acctSession("s1", "u1", now)); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.Session(ctx, "nope"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want not_found", err)
		}
	})
	t.Run("Touch", func(t *testing.T) {
		at := now.Add(time.Hour)
		if err := s.TouchSession(ctx, "s0", at); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Session(ctx, "s0")
		if !got.LastSeenAt.Equal(at) {
			t.Fatalf("got %v, want %v", got.LastSeenAt, at)
		}
		if err := s.TouchSession(ctx, "gone", at); err != nil {
			t.Fatalf("touching a missing session: got %v", err)
		}
	})
	t.Run("List", func(t *testing.T) {
		got, err := s.UserSessions(ctx, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].ID != "s2" || got[2].ID != "s0" {
			t.Fatalf("got %d sessions, first %v", len(got), got)
		}
	})
	t.Run("DeleteUserSessionErrNotFound", func(t *testing.T) {
		if err := s.DeleteUserSession(ctx, "u1", "other"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("deleting another user's session: got %v, want not_found", err)
		}
	})
	t.Run("DeleteUserSession", func(t *testing.T) {
		if err := s.DeleteUserSession(ctx, "u1", "s2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "s2"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Rename", func(t *testing.T) {
		if err := s.RenameSessions(ctx, "u1", "Renamed"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Session(ctx, "s0")
		if got.Name != "Renamed" {
			t.Fatalf("got %q", got.Name)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		clk.t = now.Add(7*24*time.Hour + 500*time.Millisecond) // s0 expired, s1 not
		defer func() { clk.t = now }()
		if _, err := s.Session(ctx, "s0"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("expired session: got %v, want not_found", err)
		}
		got, _ := s.UserSessions(ctx, "u1")
		if len(got) != 1 || got[0].ID != "s1" {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("DeleteAll", func(t *testing.T) {
		for i := range 30 { // more than one batch
			_ = s.CreateSession(ctx, acctSession(fmt.Sprintf("bulk%d", i), "u1", now))
		}
		if err := s.DeleteUserSessions(ctx, "u1"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.UserSessions(ctx, "u1")
		if len(got) != 0 {
			t.Fatalf("got %d sessions left", len(got))
		}
		if _, err := s.Session(ctx, "other"); err != nil {
			t.Fatalf("another user's session: got %v", err)
		}
	})
}

// TestDeleteUserSessionsManyBatches deletes more sessions than one
// BatchWriteItem takes, and keeps the user's CreatedAt copied in each.
func TestDeleteUserSessionsManyBatches(t *testing.T) {
	st, clk := newAcctStore(t)
	s := dynamo.NewSessions(st)
	ctx := context.Background()
	joined := clk.t.Add(-48 * time.Hour)
	for i := range 30 {
		sess := acctSession(fmt.Sprintf("m%02d", i), "u1", clk.t.Add(time.Duration(i)*time.Second))
		sess.UserCreatedAt = joined
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("OKUserCreatedAt", func(t *testing.T) {
		got, err := s.Session(ctx, "m07")
		if err != nil || !got.UserCreatedAt.Equal(joined) || !got.Principal().UserCreatedAt.Equal(joined) {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("OKDeleteAll", func(t *testing.T) {
		if err := s.DeleteUserSessions(ctx, "u1"); err != nil {
			t.Fatal(err)
		}
		if left, err := s.UserSessions(ctx, "u1"); err != nil || len(left) != 0 {
			t.Fatalf("left: %d, %v", len(left), err)
		}
	})
}
