package health

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type countingPinger struct {
	n    atomic.Int32
	err  atomic.Value  // error wrapper; nil means ok
	gate chan struct{} // when set, each ping waits for it to be closed
	in   chan struct{} // when set, each ping signals that it started
}

type pingErr struct{ err error }

func (p *countingPinger) Ping(context.Context) error {
	p.n.Add(1)
	if p.in != nil {
		p.in <- struct{}{}
	}
	if p.gate != nil {
		<-p.gate
	}
	if e, ok := p.err.Load().(pingErr); ok {
		return e.err
	}
	return nil
}

// clock is a settable time shared with the background refresh.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func cheapHealth(db Pinger, c *clock) func() int {
	h := Handlers(Deps{Version: "v", DB: db, PingTTL: 5 * time.Second, Now: c.now})["GET /api/health"]
	return func() int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/health", nil))
		return rec.Code
	}
}

// TestCheapHealthCached: polling /api/health costs DynamoDB one ping per
// PingTTL, not one per request; after a long idle the caller waits for a
// fresh ping rather than getting an old answer.
func TestCheapHealthCached(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := &countingPinger{}
	get := cheapHealth(db, c)
	for range 3 {
		if got := get(); got != http.StatusOK {
			t.Fatalf("got %d, want 200", got)
		}
	}
	if n := db.n.Load(); n != 1 {
		t.Errorf("got %d pings within the TTL, want 1", n)
	}
	c.add(11 * time.Second) // older than 2×TTL: wait for the fresh outcome
	db.err.Store(pingErr{errors.New("down")})
	if got, n := get(), db.n.Load(); got != http.StatusInternalServerError || n != 2 {
		t.Errorf("after an idle: got %d with %d pings, want 500 with 2", got, n)
	}
}

// TestCheapHealthRefreshesInBackground: once the outcome is older than the
// TTL, callers get the last outcome at once while one refresh runs; the
// refresh's outcome is what the next caller sees.
func TestCheapHealthRefreshesInBackground(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := &countingPinger{}
	get := cheapHealth(db, c)
	if got := get(); got != http.StatusOK {
		t.Fatalf("first: got %d", got)
	}
	db.gate, db.in = make(chan struct{}), make(chan struct{}, 10)
	db.err.Store(pingErr{errors.New("down")})
	c.add(6 * time.Second)
	for range 5 { // the refresh is blocked: these must not wait for it
		if got := get(); got != http.StatusOK {
			t.Fatalf("during the refresh: got %d, want the last outcome (200)", got)
		}
	}
	<-db.in
	if n := db.n.Load(); n != 2 {
		t.Errorf("got %d pings, want 2 (one refresh shared by every caller)", n)
	}
	close(db.gate)
	deadline := time.Now().Add(5 * time.Second)
	for get() != http.StatusInternalServerError {
		if time.Now().After(deadline) {
			t.Fatal("the refresh's outcome never reached callers")
		}
		time.Sleep(time.Millisecond)
	}
	if n := db.n.Load(); n != 2 {
		t.Errorf("got %d pings after the refresh, want 2", n)
	}
}

// TestCheapHealthSingleflight: concurrent first callers share one ping.
func TestCheapHealthSingleflight(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	db := &countingPinger{gate: make(chan struct{}), in: make(chan struct{}, 20)}
	get := cheapHealth(db, c)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Go(func() { codes[i] = get() })
	}
	<-db.in
	time.Sleep(20 * time.Millisecond) // let every caller reach the wait
	close(db.gate)
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("caller %d: got %d", i, code)
		}
	}
	if n := db.n.Load(); n != 1 {
		t.Errorf("got %d pings for 20 concurrent callers, want 1", n)
	}
}

// TestCheckerCached: the deep report is reused until its TTL ends, then
// every check runs again.
func TestCheckerCached(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := &countingPinger{}, &countingPinger{}
	b.err.Store(pingErr{errors.New("refused")})
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
	if a.n.Load() != 1 || b.n.Load() != 1 {
		t.Errorf("got %d/%d pings within the TTL, want 1/1", a.n.Load(), b.n.Load())
	}
	now = now.Add(31 * time.Second)
	b.err.Store(pingErr{nil})
	if rep = c.Run(context.Background()); !rep.OK() || a.n.Load() != 2 {
		t.Errorf("after the TTL: got %+v with %d pings", rep.Checks, a.n.Load())
	}
}
