package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/jobs"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// jobsEnv is one jobs run's world: DynamoDB Local, the VirtFusion
// simulator, a billed server with a pending "deleted" webhook event, and
// a failed order whose server still exists in VirtFusion.
type jobsEnv struct {
	sim    *vfsim.Sim
	deps   *Deps
	ledger *dynamo.Ledger
	events *dynamo.ServerEvents
	svc    *billing.Service
	billed int64 // billed, deleted in VirtFusion (event pending)
	orphan int64 // created by a failed order, never deleted
	order  panel.ServerOrder
}

func newJobsEnv(t *testing.T) *jobsEnv {
	t.Helper()
	ctx := context.Background()
	_, table := dynamotest.NewTable(t)
	sim := vfsim.New(vfsim.Options{Token: "tok"})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	cfg := config.Config{Region: "us-east-1", DynamoEndpoint: dynamotest.Endpoint(t), TableName: table,
		VirtFusionURL: url, VirtFusionToken: "tok", Currency: "USD"}
	d, err := NewDeps(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &jobsEnv{sim: sim, deps: d, ledger: dynamo.NewLedger(d.Store), events: dynamo.NewServerEvents(d.Store)}
	if e.svc, err = BillingService(d); err != nil {
		t.Fatal(err)
	}
	// Fail fast on injected faults (the shared client's retry is for Lambda).
	vf, err := virtfusion.New(virtfusion.Config{PanelURL: url, Token: "tok", Timeout: 2 * time.Second,
		Retry: virtfusion.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Host = virtfusion.Host{C: vf}
	uid := sim.AddUser(vfsim.User{Name: "Alice", Email: "alice@example.com", ExtRelationID: "u_alice"})
	e.billed = e.addServer(t, uid, "gone-1")
	e.orphan = e.addServer(t, uid, "orphan-1")
	now := time.Now().UTC()
	if err := e.ledger.ImportServers(ctx, []*panel.BilledServer{{ServerID: e.billed, UserID: "u_alice", VFUserID: int64(uid),
		Name: "gone-1", PackageID: 1, HourlyMinor: 1, Currency: "USD", ActiveSince: now.Add(-time.Hour),
		BilledThrough: now.Truncate(time.Hour).Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	// Billing was down when VirtFusion reported the deletion: stored, not delivered.
	ev := panel.ServerEvent{ID: "hook-1", Event: "server.delete", Kind: panel.ServerEventDeleted, ServerID: e.billed,
		UserID: "u_alice", At: now.Add(-time.Minute), ReceivedAt: now.Add(-time.Minute)}
	if _, _, err := e.events.RecordServerEvent(ctx, ev, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	// PlaceOrder's record of an order whose undo could not delete its server.
	e.order = panel.ServerOrder{UserID: "u_alice", Key: "order-1", RequestHash: "h", Status: panel.OrderFailed,
		ServerID: e.orphan, Error: "build failed", CreatedAt: now}
	if err := e.ledger.UpdateOrder(ctx, &e.order); err != nil {
		t.Fatal(err)
	}
	// An order whose request died before it made a server (DynamoDB went
	// away): pending, its key answering "still being placed", until settled.
	stuck := panel.ServerOrder{UserID: "u_alice", Key: "order-stuck", RequestHash: "h", Status: panel.OrderPending,
		CreatedAt: now.Add(-time.Hour)}
	if _, _, err := e.ledger.ClaimOrder(ctx, &stuck); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *jobsEnv) addServer(t *testing.T, uid int, name string) int64 {
	t.Helper()
	id, err := e.sim.AddServer(vfsim.ServerSpec{OwnerID: uid, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return int64(id)
}

func (e *jobsEnv) run(ctx context.Context, hourly func(context.Context) (billing.RunStats, error)) error {
	return jobs.Run(ctx, jobs.Deps{Billing: e.svc, Events: e.events, Cleanups: e.ledger, Hourly: hourly})
}

// check asserts the event reached billing and the orphan is gone.
func (e *jobsEnv) check(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	bs, err := e.ledger.BilledServer(ctx, e.billed)
	if err != nil || bs.Status != panel.BilledStopped || bs.StopReason != "deleted in VirtFusion" {
		t.Errorf("billed server: got %+v, %v", bs, err)
	}
	if evs, err := e.events.PendingServerEvents(ctx, 10); err != nil || len(evs) != 0 {
		t.Errorf("pending events: got %v, %v", evs, err)
	}
	if _, ok := e.sim.Server(int(e.orphan)); ok {
		t.Errorf("failed order's server %d still exists", e.orphan)
	}
	if cs, err := e.ledger.PendingOrderCleanups(ctx, 10); err != nil || len(cs) != 0 {
		t.Errorf("pending cleanups: got %v, %v", cs, err)
	}
	// The stuck order was settled: its key is free for a new order.
	if _, fresh, err := e.ledger.ClaimOrder(ctx, &panel.ServerOrder{UserID: "u_alice", Key: "order-stuck", Status: panel.OrderPending,
		CreatedAt: time.Now()}); err != nil || !fresh {
		t.Errorf("stuck order's key: fresh %v, %v; want free", fresh, err)
	}
}

func TestJobs(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newJobsEnv(t)
		// The function as deployed, with the real hourly run.
		run, err := Jobs(e.deps)
		if err != nil {
			t.Fatal(err)
		}
		if err := run(context.Background(), []byte(`{}`)); err != nil {
			t.Fatalf("run: %v", err)
		}
		e.check(t)
		// A second run finds nothing to do.
		if err := run(context.Background(), []byte(`{}`)); err != nil {
			t.Fatalf("second run: %v", err)
		}
	})
	t.Run("ErrHourlyFails", func(t *testing.T) {
		e := newJobsEnv(t)
		err := e.run(context.Background(), func(context.Context) (billing.RunStats, error) {
			return billing.RunStats{}, errors.New("dynamo down")
		})
		if err == nil || !strings.Contains(err.Error(), "hourly-billing") {
			t.Fatalf("got %v, want the hourly run's error", err)
		}
		e.check(t) // the other sub-jobs still ran
	})
	t.Run("ErrHourlyPanics", func(t *testing.T) {
		e := newJobsEnv(t)
		err := e.run(context.Background(), func(context.Context) (billing.RunStats, error) { panic("boom") })
		if err == nil || !strings.Contains(err.Error(), "panic: boom") {
			t.Fatalf("got %v", err)
		}
		e.check(t)
	})
	t.Run("ErrDeleteFailsThenGivesUp", func(t *testing.T) {
		e := newJobsEnv(t)
		ctx := context.Background()
		ok := func(context.Context) (billing.RunStats, error) { return billing.RunStats{}, nil }
		e.sim.SetFault(vfsim.Fault{Status: 503, PathPrefix: "/servers/" + itoa(e.orphan)})
		for attempt := 1; attempt <= billing.MaxCleanupAttempts; attempt++ {
			err := e.run(ctx, ok)
			if err == nil || !strings.Contains(err.Error(), "order-cleanups") {
				t.Fatalf("run %d: got %v, want the cleanup's error", attempt, err)
			}
			cs, err := e.ledger.PendingOrderCleanups(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if attempt < billing.MaxCleanupAttempts {
				if len(cs) != 1 || cs[0].Attempts != attempt || cs[0].ServerID != e.orphan || cs[0].LastError == "" {
					t.Fatalf("run %d: pending cleanups %+v", attempt, cs)
				}
			} else if len(cs) != 0 {
				t.Fatalf("after %d attempts still retried: %+v", attempt, cs)
			}
		}
		if _, ok := e.sim.Server(int(e.orphan)); !ok {
			t.Errorf("server deleted despite the fault")
		}
		// Given up: later runs leave it to support and succeed.
		e.sim.ClearFaults()
		if err := e.run(ctx, ok); err != nil {
			t.Errorf("run after giving up: %v", err)
		}
	})
	t.Run("OKServerGoneAlready", func(t *testing.T) {
		e := newJobsEnv(t)
		ctx := context.Background()
		if err := e.svc.Host.DeleteServer(ctx, e.orphan); err != nil {
			t.Fatal(err)
		}
		st, err := e.svc.RetryOrderCleanups(ctx, e.ledger, 10)
		if err != nil || st.Pending != 2 || st.Deleted != 1 || st.Released != 1 {
			t.Fatalf("got %+v, %v", st, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
