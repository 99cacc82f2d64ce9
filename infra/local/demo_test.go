package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vfpanel/vfpanel/internal/app"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// demoEnv restarts the local stack on one DynamoDB table and one directory
// of simulator state files, as make dev does across restarts.
type demoEnv struct {
	t        *testing.T
	endpoint string
	table    string
	dataDir  string
	target   atomic.Pointer[http.Handler] // the running stack, for webhooks
	public   *httptest.Server
	running  *Stack
}

func newDemoEnv(t *testing.T) *demoEnv {
	_, table := dynamotest.NewTable(t)
	e := &demoEnv{t: t, endpoint: dynamotest.Endpoint(t), table: table, dataDir: t.TempDir()}
	e.public = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := e.target.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "stack restarting", http.StatusServiceUnavailable)
	}))
	t.Cleanup(func() {
		if e.running != nil {
			e.stop(e.running)
		}
		e.public.Close()
	})
	return e
}

// start starts the stack and seeds the demo customer, as run does with -demo.
func (e *demoEnv) start() (*Stack, *DemoSeed) {
	t := e.t
	t.Helper()
	st, err := StartStack(context.Background(), StackOptions{DynamoEndpoint: e.endpoint, PublicURL: e.public.URL,
		Table: e.table, DataDir: e.dataDir})
	if err != nil {
		t.Fatal(err)
	}
	e.running = st
	rn, err := localrun.New(st.Functions, "")
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = rn
	e.target.Store(&h)
	seed, err := SeedDemo(context.Background(), st, rn)
	if err != nil {
		t.Fatal(err)
	}
	return st, seed
}

// stop closes the stack, which saves the simulators' state files.
func (e *demoEnv) stop(st *Stack) {
	e.target.Store(nil)
	e.running = nil
	st.Close()
}

// demoState counts what the demo customer has in billing and VirtFusion.
type demoState struct {
	credits   int     // welcome credits in the ledger
	billed    int     // servers billing ever recorded
	active    int     // of which still billed
	vfServers []int64 // servers the customer has in VirtFusion
}

func readDemoState(t *testing.T, st *Stack, seed *DemoSeed) demoState {
	t.Helper()
	ctx := context.Background()
	svc, err := app.BillingService(st.Deps)
	if err != nil {
		t.Fatal(err)
	}
	var s demoState
	entries, _, err := svc.Transactions(ctx, seed.UserID, panel.EntryFilter{Type: panel.EntryAdjustment, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Description, DemoCreditReason) {
			s.credits++
		}
	}
	billed, err := svc.Store.UserServers(ctx, seed.UserID)
	if err != nil {
		t.Fatal(err)
	}
	s.billed = len(billed)
	for _, b := range billed {
		if b.Status == panel.BilledActive {
			s.active++
		}
	}
	if s.vfServers, err = svc.Host.UserServerIDs(ctx, seed.VFUserID); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSeedDemo(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newDemoEnv(t)
		st, first := e.start()
		if first.ServerID == 0 || first.ServerGone || first.VFUserID == 0 {
			t.Fatalf("first seed: %+v", first)
		}
		if first.CreditMinor != DemoCreditMinor || first.BalanceMinor >= DemoCreditMinor || first.BalanceMinor <= 0 {
			t.Errorf("first seed: credit %d, balance %d; want %d credited and the first hour charged",
				first.CreditMinor, first.BalanceMinor, DemoCreditMinor)
		}
		if !strings.Contains(first.Plan, demoLocation) || !strings.Contains(first.Plan, "Ubuntu") {
			t.Errorf("plan %q: want Ubuntu in %s", first.Plan, demoLocation)
		}
		e.stop(st)

		st, second := e.start()
		if second.UserID != first.UserID || second.ServerID != first.ServerID || second.ServerGone {
			t.Errorf("second seed: %+v, want the first's user and server %+v", second, first)
		}
		if second.BalanceMinor != first.BalanceMinor {
			t.Errorf("balance after restart: %d, want %d (nothing credited or charged again)", second.BalanceMinor, first.BalanceMinor)
		}
		got := readDemoState(t, st, second)
		if got.credits != 1 || got.billed != 1 || got.active != 1 || len(got.vfServers) != 1 || got.vfServers[0] != first.ServerID {
			t.Errorf("after two starts: %+v; want 1 credit and server %d billed and in VirtFusion once", got, first.ServerID)
		}
		lines := strings.Join(second.Banner(), "\n")
		for _, want := range []string{DemoEmail, "50.00", DemoServerName} {
			if !strings.Contains(lines, want) {
				t.Errorf("banner %q lacks %q", lines, want)
			}
		}
	})

	t.Run("DeletedServerNotRecreated", func(t *testing.T) {
		e := newDemoEnv(t)
		st, first := e.start()
		svc, err := app.BillingService(st.Deps)
		if err != nil {
			t.Fatal(err)
		}
		p := &panel.Principal{UserID: first.UserID, VFUserID: first.VFUserID}
		if err := svc.DeleteServer(context.Background(), p, first.ServerID, DemoServerName); err != nil {
			t.Fatal(err)
		}
		e.stop(st)

		st, second := e.start()
		if !second.ServerGone || second.ServerID != first.ServerID {
			t.Errorf("second seed: %+v, want server %d reported deleted", second, first.ServerID)
		}
		got := readDemoState(t, st, second)
		if got.credits != 1 || got.billed != 1 || got.active != 0 || len(got.vfServers) != 0 {
			t.Errorf("after deleting and restarting: %+v; want 1 credit, the deleted server only", got)
		}
		if lines := strings.Join(second.Banner(), "\n"); !strings.Contains(lines, "not recreated") {
			t.Errorf("banner %q does not say the server was not recreated", lines)
		}
	})
}
