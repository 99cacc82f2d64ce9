package billing_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// shardFixture imports customers×perCustomer active servers, each billed
// through hours-behind hours ago, funds the customers and sets the clock
// into the current hour. It returns the customers and, per server, the
// hours the run owes it.
func shardFixture(t *testing.T, e *env, customers, perCustomer, behind int) ([]string, map[int64]int) {
	t.Helper()
	hour := time.Now().UTC().Truncate(time.Hour)
	var users []string
	var list []*panel.BilledServer
	due := map[int64]int{}
	for c := range customers {
		p := e.customer(fmt.Sprintf("shard%d", c))
		e.fund(p.UserID, 10000)
		users = append(users, p.UserID)
		for i := range perCustomer {
			id := int64(5000 + c*perCustomer + i)
			list = append(list, &panel.BilledServer{ServerID: id, UserID: p.UserID, Name: fmt.Sprintf("s%d", id),
				PackageID: 1, HourlyMinor: 7, Currency: "USD", ActiveSince: hour.Add(-time.Duration(behind+1) * time.Hour),
				BilledThrough: hour.Add(-time.Duration(behind-1) * time.Hour)})
			due[id] = behind // the hours starting at BilledThrough .. the current hour
		}
	}
	if err := e.store.ImportServers(ctx, list); err != nil {
		t.Fatal(err)
	}
	e.setClock(hour.Add(5 * time.Minute))
	return users, due
}

// checkChargedOnce: every server has exactly one charge entry per hour it
// owed, its cursor is past the current hour, and each balance is the
// funding less those charges.
func checkChargedOnce(t *testing.T, e *env, users []string, due map[int64]int) {
	t.Helper()
	hour := e.now().UTC().Truncate(time.Hour)
	per := map[string]int{}
	for _, u := range users {
		seen := map[string]int{}
		for _, en := range e.entries(u, panel.EntryCharge) {
			seen[en.Ref+" "+en.Description]++
			per[en.Ref]++
		}
		for k, n := range seen {
			if n != 1 {
				t.Errorf("%s: %s charged %d times", u, k, n)
			}
		}
		charged := 0
		for id, n := range due {
			bs, err := e.store.BilledServer(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if bs.UserID == u {
				charged += n * 7
			}
		}
		if got := e.balance(u); got != 10000-int64(charged) {
			t.Errorf("%s: balance %d, want %d", u, got, 10000-charged)
		}
	}
	for id, n := range due {
		if got := per[fmt.Sprintf("server:%d", id)]; got != n {
			t.Errorf("server %d: %d charges, want %d", id, got, n)
		}
		bs, err := e.store.BilledServer(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !bs.BilledThrough.Equal(hour.Add(time.Hour)) {
			t.Errorf("server %d billed through %v, want %v", id, bs.BilledThrough, hour.Add(time.Hour))
		}
	}
}

// failingStore fails ChargeHours from its after-th call on, as a shard
// whose Lambda dies or whose DynamoDB calls fail mid-way.
type failingStore struct {
	panel.LedgerStore
	after int32
	calls atomic.Int32
}

func (f *failingStore) ChargeHours(ctx context.Context, bals map[string]*panel.Balance, batch []panel.ServerCharge) error {
	if f.calls.Add(1) > f.after {
		return errors.New("injected: shard died mid-way")
	}
	return f.LedgerStore.ChargeHours(ctx, bals, batch)
}

func TestShards(t *testing.T) {
	t.Run("PlanBounds", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		users, due := shardFixture(t, e, 7, 3, 1)
		shards, err := e.svc.PlanHourly(ctx, 3, 7)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		owner := map[string]int{}
		for i, sh := range shards {
			if sh.Customers() > 3 || len(sh.Servers) > 7 {
				t.Errorf("shard %d: %d customers, %d servers; want ≤3, ≤7", i, sh.Customers(), len(sh.Servers))
			}
			for _, sv := range sh.Servers {
				seen[sv.ServerID]++
				if o, ok := owner[sv.UserID]; ok && o != i {
					t.Errorf("customer %s split across shards %d and %d", sv.UserID, o, i)
				}
				owner[sv.UserID] = i
			}
		}
		if len(seen) != len(due) || len(owner) != len(users) {
			t.Errorf("shards cover %d servers, %d customers; want %d, %d", len(seen), len(owner), len(due), len(users))
		}
	})
	t.Run("DeliveredTwice", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		users, due := shardFixture(t, e, 6, 2, 3)
		shards, err := e.svc.PlanHourly(ctx, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, sh := range shards {
			for d := range 2 {
				st, err := e.svc.RunShard(ctx, cloneShard(sh)) // each delivery decodes its own copy
				if err != nil {
					t.Fatal(err)
				}
				if d == 1 && st.Charged != 0 {
					t.Errorf("second delivery charged %d hours, want 0", st.Charged)
				}
				total += st.Charged
			}
		}
		if total != 6*2*3 {
			t.Errorf("charged %d hours, want %d", total, 6*2*3)
		}
		checkChargedOnce(t, e, users, due)
	})
	t.Run("Overlapping", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		users, due := shardFixture(t, e, 8, 2, 2)
		small, err := e.svc.PlanHourly(ctx, 3, 0)
		if err != nil {
			t.Fatal(err)
		}
		big, err := e.svc.PlanHourly(ctx, 5, 0) // cut differently: each overlaps two of small
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var charged atomic.Int64
		for _, sh := range append(small, big...) {
			wg.Go(func() {
				st, err := e.svc.RunShard(ctx, cloneShard(sh)) // each delivery decodes its own copy
				if err != nil {
					t.Error(err)
				}
				charged.Add(int64(st.Charged))
			})
		}
		wg.Wait()
		if charged.Load() != 8*2*2 {
			t.Errorf("charged %d hours, want %d", charged.Load(), 8*2*2)
		}
		checkChargedOnce(t, e, users, due)
	})
	t.Run("FailsMidway", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		users, due := shardFixture(t, e, 30, 1, 2)
		shards, err := e.svc.PlanHourly(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		bad := *e.svc
		bad.Workers = 1
		bad.Store = &failingStore{LedgerStore: e.store, after: 1}
		st, err := bad.RunShard(ctx, shards[0])
		if err == nil || st.Charged == 0 || st.Charged == 60 || st.Failed == 0 {
			t.Fatalf("failing shard: %+v, %v; want some hours charged, then an error", st, err)
		}
		again, err := e.svc.RunShard(ctx, shards[0]) // SQS delivers it again
		if err != nil {
			t.Fatal(err)
		}
		if st.Charged+again.Charged != 60 {
			t.Errorf("charged %d + %d hours, want 60 in all", st.Charged, again.Charged)
		}
		checkChargedOnce(t, e, users, due)
	})
}

// TestShardsProperty: whatever order, repetition, overlap and mid-way
// failure shard deliveries come in, once every shard has been delivered
// once successfully each server-hour is charged exactly once.
func TestShardsProperty(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 22))
			e := newEnv(t, envOpts{})
			users, due := shardFixture(t, e, 5+rng.IntN(6), 1+rng.IntN(3), 1+rng.IntN(3))
			shards, err := e.svc.PlanHourly(ctx, 1+rng.IntN(4), 0)
			if err != nil {
				t.Fatal(err)
			}
			var deliveries []billing.Shard
			for _, sh := range shards {
				for range 1 + rng.IntN(3) {
					deliveries = append(deliveries, sh)
				}
			}
			rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
			var wg sync.WaitGroup
			for _, sh := range deliveries {
				svc := e.svc
				if rng.IntN(3) == 0 { // this delivery dies mid-way
					bad := *e.svc
					bad.Store = &failingStore{LedgerStore: e.store, after: int32(rng.IntN(2))}
					svc = &bad
				}
				wg.Go(func() { svc.RunShard(ctx, cloneShard(sh)) })
			}
			wg.Wait()
			for _, sh := range shards { // SQS redelivers until one succeeds
				if _, err := e.svc.RunShard(ctx, cloneShard(sh)); err != nil {
					t.Fatal(err)
				}
			}
			checkChargedOnce(t, e, users, due)
		})
	}
}

// cloneShard copies a shard's servers, as each SQS delivery decodes its own.
func cloneShard(sh billing.Shard) billing.Shard {
	out := billing.Shard{Run: sh.Run}
	for _, sv := range sh.Servers {
		c := *sv
		out.Servers = append(out.Servers, &c)
	}
	return out
}
