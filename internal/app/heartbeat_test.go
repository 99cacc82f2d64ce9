package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/betterstack"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/jobs"
	"github.com/vfpanel/vfpanel/internal/routes"
	betterstacksim "github.com/vfpanel/vfpanel/internal/sim/betterstack"
)

// TestJobsHeartbeat: the billing heartbeat beats only after a successful
// billing run; a failed run reports /fail instead.
func TestJobsHeartbeat(t *testing.T) {
	bs := betterstacksim.New()
	bs.Start()
	t.Cleanup(bs.Close)

	t.Run("OK", func(t *testing.T) {
		e := newJobsEnv(t)
		e.deps.Config.BillingHeartbeatURL = bs.AddHeartbeat("billing-ok")
		run, err := Jobs(e.deps)
		if err != nil {
			t.Fatal(err)
		}
		if err := run(context.Background(), []byte(`{}`)); err != nil {
			t.Fatalf("run: %v", err)
		}
		beats := bs.Beats("billing-ok")
		if len(beats) != 1 || beats[0].Failed {
			t.Errorf("got %+v, want one successful beat", beats)
		}
	})
	t.Run("ErrBillingFailed", func(t *testing.T) {
		e := newJobsEnv(t)
		hb := betterstack.Heartbeat{URL: bs.AddHeartbeat("billing-fail")}
		failing := func(context.Context) (billing.RunStats, error) { return billing.RunStats{}, errors.New("boom") }
		err := jobs.Run(context.Background(), jobs.Deps{Billing: e.svc, Events: e.events, Cleanups: e.ledger, Hourly: failing, Heartbeat: hb})
		if err == nil {
			t.Fatal("got nil, want the billing error")
		}
		beats := bs.Beats("billing-fail")
		if len(beats) != 1 || !beats[0].Failed {
			t.Errorf("got %+v, want one failure report and no beat", beats)
		}
	})
	t.Run("HeartbeatDownDoesNotFailRun", func(t *testing.T) {
		e := newJobsEnv(t)
		hb := betterstack.Heartbeat{URL: "http://127.0.0.1:1/api/v1/heartbeat/x"}
		ok := func(context.Context) (billing.RunStats, error) { return billing.RunStats{}, nil }
		if err := jobs.Run(context.Background(), jobs.Deps{Billing: e.svc, Events: e.events, Cleanups: e.ledger, Hourly: ok, Heartbeat: hb}); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
}

// TestNotifyHeartbeat: the notify heartbeat beats after a batch handled in
// full, not after one with items left to retry.
func TestNotifyHeartbeat(t *testing.T) {
	bs := betterstacksim.New()
	bs.Start()
	t.Cleanup(bs.Close)
	hb := betterstack.Heartbeat{URL: bs.AddHeartbeat("notify")}
	handled := func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		return events.DynamoDBEventResponse{}, nil
	}
	partial := func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		return events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{{ItemIdentifier: "1"}}}, nil
	}
	ctx := context.Background()
	if _, err := WithHeartbeat(partial, hb)(ctx, events.DynamoDBEvent{}); err != nil {
		t.Fatal(err)
	}
	if n := len(bs.Beats("notify")); n != 0 {
		t.Fatalf("got %d beats after a partial batch, want 0", n)
	}
	if _, err := WithHeartbeat(handled, hb)(ctx, events.DynamoDBEvent{}); err != nil {
		t.Fatal(err)
	}
	if beats := bs.Beats("notify"); len(beats) != 1 || beats[0].Failed {
		t.Errorf("got %+v, want one beat", beats)
	}
}

// TestJobsMetricsSample: the metrics schedule's event samples billing's
// active servers and does not run (or report) the hourly work.
func TestJobsMetricsSample(t *testing.T) {
	bs := betterstacksim.New()
	bs.Start()
	t.Cleanup(bs.Close)
	e := newJobsEnv(t)
	e.deps.Config.BillingHeartbeatURL = bs.AddHeartbeat("billing")
	run, err := Jobs(e.deps)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	active, err := e.ledger.ActiveServers(ctx)
	if err != nil || len(active) == 0 {
		t.Fatalf("active servers: %v, %v", active, err)
	}
	if err := run(ctx, []byte(`{"job":"`+routes.MetricsSampleJob+`"}`)); err != nil {
		t.Fatal(err)
	}
	if n := len(bs.Beats("billing")); n != 0 {
		t.Errorf("got %d billing beats from a metrics run, want 0", n)
	}
	m := dynamo.NewMetrics(e.deps.Store)
	now := time.Now()
	total := 0
	for _, s := range active {
		got, err := m.MetricSamples(ctx, s.ServerID, now.Add(-time.Minute), now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		total += len(got)
	}
	if total == 0 {
		t.Errorf("no samples stored for %d active servers", len(active))
	}
}
