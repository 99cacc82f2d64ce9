package health

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

type countingPinger struct {
	n   int
	err error
}

func (p *countingPinger) Ping(context.Context) error { p.n++; return p.err }

// TestCheapHealthCached: polling /api/health costs DynamoDB one ping per
// PingTTL, not one per request.
func TestCheapHealthCached(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	db := &countingPinger{}
	h := Handlers(Deps{Version: "v", DB: db, Now: func() time.Time { return now }})["GET /api/health"]
	get := func() int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
		return rec.Code
	}
	for range 3 {
		if got := get(); got != http.StatusOK {
			t.Fatalf("got %d, want 200", got)
		}
	}
	if db.n != 1 {
		t.Errorf("got %d pings within the TTL, want 1", db.n)
	}
	now = now.Add(6 * time.Second)
	db.err = errors.New("down")
	if got := get(); got != http.StatusInternalServerError || db.n != 2 {
		t.Errorf("after the TTL: got %d with %d pings, want 500 with 2", got, db.n)
	}
}

// TestCheckerCached: the deep report is reused until its TTL ends, then
// every check runs again.
func TestCheckerCached(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := &countingPinger{}, &countingPinger{err: errors.New("refused")}
	c := &Checker{Checks: []Check{{Name: "a", Ping: a.Ping}, {Name: "b", Ping: b.Ping}, {Name: "c"}},
		TTL: 30 * time.Second, Now: func() time.Time { return now }}
	rep := c.Run(context.Background())
	if rep.OK() || rep.State("a") != StateOK || rep.State("b") != StateDown || rep.State("c") != StateUnconfigured {
		t.Fatalf("got %+v", rep.Checks)
	}
	if rep.Checks[1].Message != "Not answering." {
		t.Errorf("got message %q, want the safe one", rep.Checks[1].Message)
	}
	c.Run(context.Background())
	if a.n != 1 || b.n != 1 {
		t.Errorf("got %d/%d pings within the TTL, want 1/1", a.n, b.n)
	}
	now = now.Add(31 * time.Second)
	b.err = nil
	if rep = c.Run(context.Background()); !rep.OK() || a.n != 2 {
		t.Errorf("after the TTL: got %+v with %d pings", rep.Checks, a.n)
	}
}
