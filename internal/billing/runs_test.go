package billing_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestRerunHour: re-running an hour charges what is due up to that hour,
// once, however often it is re-run (also concurrently) and whatever the
// scheduled run charged; each run's summary is recorded.
func TestRerunHour(t *testing.T) {
	e := newEnv(t, envOpts{})
	runs := dynamo.NewBillingRuns(e.store.Store)
	e.svc.Runs = runs
	users, due := shardFixture(t, e, 3, 2, 3) // 6 servers, each owing 3 hours: hour-2h .. hour
	hour := e.now().Truncate(time.Hour)
	tick := func() { e.setClock(e.now().Add(time.Second)) } // each run starts at its own time

	t.Run("ErrFutureHour", func(t *testing.T) {
		_, err := e.svc.RerunHour(ctx, hour.Add(time.Hour), "admin")
		if got := panel.ErrorCode(err); got != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})

	tick()
	st, err := e.svc.RerunHour(ctx, hour.Add(-time.Hour+30*time.Minute), "admin-1") // truncated to hour-1h
	if err != nil {
		t.Fatal(err)
	}
	if st.Charged != 12 || st.ServersCharged != 6 || st.ChargedMinor != 84 {
		t.Fatalf("first re-run: got %+v, want 12 hours on 6 servers, 84 minor", st)
	}

	// The same hour again, twice at once: nothing is due any more.
	tick()
	var wg sync.WaitGroup
	var again [2]billing.RunStats
	for i := range again {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := e.svc.RerunHour(ctx, hour.Add(-time.Hour), "admin-2")
			if err != nil {
				t.Error(err)
			}
			again[i] = st
		}()
	}
	wg.Wait()
	for _, st := range again {
		if st.Charged != 0 || st.ChargedMinor != 0 {
			t.Errorf("repeated re-run charged %+v, want nothing", st)
		}
	}

	// The scheduled run charges only the current hour; re-running it after is a no-op.
	tick()
	if st, err := e.svc.RunHourly(ctx); err != nil || st.Charged != 6 {
		t.Fatalf("hourly run: got %+v, %v; want 6 hours", st, err)
	}
	tick()
	if st, err := e.svc.RerunHour(ctx, hour, "admin-1"); err != nil || st.Charged != 0 {
		t.Fatalf("re-run of the charged hour: got %+v, %v; want nothing", st, err)
	}
	checkChargedOnce(t, e, users, due)

	got, next, err := runs.BillingRuns(ctx, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || next == "" {
		t.Fatalf("first page: got %d runs, next %q; want 2 and a cursor", len(got), next)
	}
	last := got[0]
	if last.Trigger != billing.TriggerRerun || last.By != "admin-1" || last.Servers != 6 || last.Skipped != 6 ||
		last.HoursCharged != 0 || !last.ChargedThrough.Equal(hour) {
		t.Errorf("latest run: got %+v, want a re-run by admin-1 of %v skipping 6 servers", last, hour)
	}
	if got[1].Trigger != billing.TriggerSchedule || got[1].HoursCharged != 6 || got[1].ServersCharged != 6 || got[1].ChargedMinor != 42 {
		t.Errorf("scheduled run: got %+v, want 6 hours, 42 minor", got[1])
	}
	rest, next, err := runs.BillingRuns(ctx, next, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The two concurrent re-runs share a start time, so they add up in one item.
	if len(rest) != 2 || next != "" {
		t.Fatalf("second page: got %d runs, next %q; want 2 and no cursor", len(rest), next)
	}
	if r := rest[0]; r.Shards != 2 || r.HoursCharged != 0 {
		t.Errorf("concurrent re-runs: got %+v, want 2 shards charging nothing", r)
	}
	if r := rest[1]; r.HoursCharged != 12 || r.ServersCharged != 6 || r.ChargedMinor != 84 || len(r.Failures) != 0 {
		t.Errorf("first re-run: got %+v, want 12 hours on 6 servers, 84 minor", r)
	}
	if _, _, err := runs.BillingRuns(ctx, "bm90LWEtY3Vyc29y", 10); panel.ErrorCode(err) != panel.EINVALID {
		t.Errorf("bad cursor: got %v, want invalid", err)
	}
}

// TestRunFailureRecorded: a customer group that fails is recorded with its
// customers and the error.
func TestRunFailureRecorded(t *testing.T) {
	e := newEnv(t, envOpts{})
	runs := dynamo.NewBillingRuns(e.store.Store)
	e.svc.Runs = runs
	shardFixture(t, e, 1, 2, 1)
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.svc.RerunHour(ctx, e.now(), "admin"); err == nil {
		t.Fatal("got no error from a cancelled run")
	}
	got, _, err := runs.BillingRuns(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Failures) != 1 || got[0].Failures[0].Message == "" || got[0].Trigger != billing.TriggerRerun {
		t.Fatalf("got %+v, want one run with failures", got)
	}
}
