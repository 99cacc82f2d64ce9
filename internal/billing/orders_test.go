package billing_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// vfServers lists the ids of a customer's servers in VirtFusion.
func (e *env) vfServers(p *panel.Principal) []int64 {
	e.t.Helper()
	ids, err := e.svc.Host.UserServerIDs(ctx, p.VFUserID)
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// activeServers lists the ids of a customer's servers billing charges.
func (e *env) activeServers(userID string) []int64 {
	e.t.Helper()
	list, err := e.store.UserServers(ctx, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []int64
	for _, s := range list {
		if s.Status == panel.BilledActive {
			ids = append(ids, s.ServerID)
		}
	}
	slices.Sort(ids)
	return ids
}

// checkNoUnbilledServer fails when VirtFusion has a server of p that
// billing does not charge.
func (e *env) checkNoUnbilledServer(p *panel.Principal) {
	e.t.Helper()
	active := e.activeServers(p.UserID)
	for _, id := range e.vfServers(p) {
		if !slices.Contains(active, id) {
			e.t.Errorf("%s: VirtFusion server %d is not billed (billed: %v)", p.UserID, id, active)
		}
	}
}

// checkPrepaid fails unless the balance before each order's first charge
// covered the prepay (need): the rule the charge's write is conditioned on.
func (e *env) checkPrepaid(userID string, need int64) {
	e.t.Helper()
	for _, en := range e.entries(userID, panel.EntryCharge) {
		if before := en.BalanceAfterMinor - en.AmountMinor; before < need {
			e.t.Errorf("%s: charge %s followed a balance of %d, below the prepay %d", userID, en.ID, before, need)
		}
	}
}

func TestConcurrentOrdersPrepay(t *testing.T) {
	// Regression: the balance was read before the charge's transaction,
	// so 20 concurrent orders on a balance covering one made 17 servers.
	t.Run("BalanceCoversOne", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		p := e.customer("rush")
		e.fund(p.UserID, 240) // 24 h × 10: one order
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			oks  int
			errs = map[string]int{}
		)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := order(t, e, p, fmt.Sprintf("rush-%d", i), fmt.Sprintf("rush-%d", i))
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					oks++
				} else {
					errs[panel.ErrorCode(err)]++
				}
			}()
		}
		wg.Wait()
		if oks != 1 {
			t.Fatalf("got %d orders placed (refusals %v), want 1", oks, errs)
		}
		if got := e.balance(p.UserID); got != 230 {
			t.Fatalf("got balance %d, want 230", got)
		}
		if got := e.activeServers(p.UserID); len(got) != 1 {
			t.Fatalf("got billed servers %v, want 1", got)
		}
		e.checkNoUnbilledServer(p)
		e.checkPrepaid(p.UserID, 240)
	})
	t.Run("Property", func(t *testing.T) {
		// Random balances and crowds: never more servers than the balance
		// pays for one after another (each needing 240 before its 10).
		e := newEnv(t, envOpts{})
		setPrice(t, e, 10, 5000)
		rng := rand.New(rand.NewSource(7))
		for trial := range 4 {
			p := e.customer(fmt.Sprintf("crowd%d", trial))
			bal := int64(200 + rng.Intn(120)) // covers 0 to 8 orders
			e.fund(p.UserID, bal)
			n := 6 + rng.Intn(10)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					order(t, e, p, fmt.Sprintf("c%d-%d", trial, i), fmt.Sprintf("c%d-%d", trial, i))
				}()
			}
			wg.Wait()
			paidFor := 0
			if bal >= 240 {
				paidFor = int((bal-240)/10) + 1
			}
			got := len(e.activeServers(p.UserID))
			if got > paidFor {
				t.Errorf("trial %d: balance %d, %d orders: got %d servers, the balance pays for %d", trial, bal, n, got, paidFor)
			}
			if want := bal - int64(got)*10; e.balance(p.UserID) != want {
				t.Errorf("trial %d: got balance %d, want %d", trial, e.balance(p.UserID), want)
			}
			e.checkNoUnbilledServer(p)
			e.checkPrepaid(p.UserID, 240)
		}
	})
}

// errLost is what a call answers while DynamoDB is unreachable.
var errLost = &panel.Error{Code: panel.EUNAVAILABLE, Message: "The database is not answering; try again.", Err: errors.New("connection reset")}

// lossyStore is the ledger losing DynamoDB at one step of an order: the
// skip+1-th call of method at (applied first when applied is set, as when
// only the answer is lost) and every call after it fail with errLost,
// until restore.
type lossyStore struct {
	panel.LedgerStore
	mu      sync.Mutex
	at      string
	skip    int
	applied bool
	lost    bool
}

func (s *lossyStore) restore() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lost, s.at = false, ""
}

func (s *lossyStore) call(method string, do func() error) error {
	s.mu.Lock()
	lose := !s.lost && method == s.at && s.skip == 0
	if method == s.at && s.skip > 0 {
		s.skip--
	}
	if lose {
		s.lost = true
	}
	lost, applied := s.lost, s.applied
	s.mu.Unlock()
	if !lost {
		return do()
	}
	if lose && applied {
		if err := do(); err != nil {
			return err
		}
	}
	return errLost
}

func (s *lossyStore) Balance(ctx context.Context, userID string) (b *panel.Balance, err error) {
	err = s.call("Balance", func() error { b, err = s.LedgerStore.Balance(ctx, userID); return err })
	return b, err
}

func (s *lossyStore) Prices(ctx context.Context) (m map[int64]panel.Price, err error) {
	err = s.call("Prices", func() error { m, err = s.LedgerStore.Prices(ctx); return err })
	return m, err
}

func (s *lossyStore) Post(ctx context.Context, p panel.Posting) (e *panel.LedgerEntry, applied bool, err error) {
	err = s.call("Post", func() error { e, applied, err = s.LedgerStore.Post(ctx, p); return err })
	return e, applied, err
}

func (s *lossyStore) ClaimOrder(ctx context.Context, o *panel.ServerOrder) (st *panel.ServerOrder, fresh bool, err error) {
	err = s.call("ClaimOrder", func() error { st, fresh, err = s.LedgerStore.ClaimOrder(ctx, o); return err })
	return st, fresh, err
}

func (s *lossyStore) UpdateOrder(ctx context.Context, o *panel.ServerOrder) error {
	return s.call("UpdateOrder", func() error { return s.LedgerStore.UpdateOrder(ctx, o) })
}

func (s *lossyStore) ReleaseOrder(ctx context.Context, userID, key string) error {
	return s.call("ReleaseOrder", func() error { return s.LedgerStore.ReleaseOrder(ctx, userID, key) })
}

func (s *lossyStore) StartServer(ctx context.Context, bs *panel.BilledServer, first panel.HourCharge, p panel.Posting) (e *panel.LedgerEntry, err error) {
	err = s.call("StartServer", func() error { e, err = s.LedgerStore.StartServer(ctx, bs, first, p); return err })
	return e, err
}

func (s *lossyStore) StopServer(ctx context.Context, id int64, at time.Time, reason string) (bs *panel.BilledServer, changed bool, err error) {
	err = s.call("StopServer", func() error { bs, changed, err = s.LedgerStore.StopServer(ctx, id, at, reason); return err })
	return bs, changed, err
}

func (s *lossyStore) BilledServer(ctx context.Context, id int64) (bs *panel.BilledServer, err error) {
	err = s.call("BilledServer", func() error { bs, err = s.LedgerStore.BilledServer(ctx, id); return err })
	return bs, err
}

func (s *lossyStore) ServerCharges(ctx context.Context, userID string, id int64, since time.Time) (n int64, err error) {
	err = s.call("ServerCharges", func() error { n, err = s.LedgerStore.ServerCharges(ctx, userID, id, since); return err })
	return n, err
}

// TestOrderFaults loses DynamoDB (or VirtFusion) at each step of an order
// and checks that the jobs function's settling brings the order to a final
// state: built and charged, or refunded with no server left; and that its
// Idempotency-Key never answers "still being placed" for ever.
func TestOrderFaults(t *testing.T) {
	const funded = 1000
	tests := []struct {
		name    string
		at      string // the store call that loses DynamoDB
		skip    int
		applied bool
		vfFault *vfsim.Fault // injected in VirtFusion for the order
		placed  bool         // the order still answers with its server
		// after settling:
		built  bool   // the server stays, charged; else refunded, deleted
		replay string // what the key answers then: "ok", "failed" or "fresh"
	}{
		{name: "ReleaseAfterRefusal", at: "ReleaseOrder", vfFault: &vfsim.Fault{Status: 500, PathPrefix: "/servers", Times: 1}, replay: "fresh"},
		{name: "RecordServerID", at: "UpdateOrder", replay: "fresh"},
		{name: "StartServerNotApplied", at: "StartServer", replay: "failed"},
		{name: "StartServerAnswerLost", at: "StartServer", applied: true, replay: "failed"},
		{name: "UndoAfterFailedBuild", at: "StopServer", vfFault: &vfsim.Fault{Status: 500, PathPrefix: "/servers/", Times: 1}, replay: "failed"},
		{name: "RefundAfterFailedBuild", at: "Post", vfFault: &vfsim.Fault{Status: 500, PathPrefix: "/servers/", Times: 1}, replay: "failed"},
		{name: "RecordDone", at: "UpdateOrder", skip: 1, placed: true, built: true, replay: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envOpts{})
			setPrice(t, e, 10, 5000)
			p := e.customer("f")
			e.fund(p.UserID, funded)
			start := time.Now()
			e.setClock(start)
			lossy := &lossyStore{LedgerStore: e.store, at: tt.at, skip: tt.skip, applied: tt.applied}
			svc := *e.svc
			svc.Store = lossy
			if tt.vfFault != nil {
				e.vf.SetFault(*tt.vfFault)
			}
			_, err := svc.PlaceOrder(ctx, p, "k1", orderReq("web-1"))
			if (err == nil) != tt.placed {
				t.Fatalf("order: got %v, want placed=%v", err, tt.placed)
			}
			e.vf.ClearFaults()
			lossy.restore()

			// Too recent to settle: the request placing it may be alive.
			if st, err := svc.RetryOrderCleanups(ctx, e.store, 100); err != nil || st.Young+st.Deleted+st.Failed > 1 {
				t.Fatalf("early run: got %+v, %v", st, err)
			}
			e.setClock(start.Add(billing.OrderSettleAfter + time.Minute))
			st, err := svc.RetryOrderCleanups(ctx, e.store, 100)
			if err != nil {
				t.Fatalf("settle: got %+v, %v", st, err)
			}
			if left, err := e.store.PendingOrderCleanups(ctx, 100); err != nil || len(left) != 0 {
				t.Fatalf("unsettled orders left: %+v, %v", left, err)
			}
			e.checkNoUnbilledServer(p)
			want := int64(funded)
			if tt.built {
				want -= 10
				got := e.vfServers(p)
				if len(got) != 1 {
					t.Fatalf("got VirtFusion servers %v, want the one built", got)
				}
				// The order completed by the jobs function is mailed once too.
				if _, ok := e.queued()[panel.NotificationID(panel.NotifyOrderBuilt, panelID(got[0]))]; !ok {
					t.Errorf("no order-built mail for the completed order")
				}
			} else if got := e.vfServers(p); len(got) != 0 {
				t.Fatalf("got VirtFusion servers %v, want none", got)
			}
			if got := e.balance(p.UserID); got != want {
				t.Fatalf("got balance %d, want %d", got, want)
			}
			res, err := svc.PlaceOrder(ctx, p, "k1", orderReq("web-1"))
			switch tt.replay {
			case "ok":
				if err != nil || len(res.Server) == 0 {
					t.Fatalf("replay: got %v, %v, want the server", res, err)
				}
			case "failed":
				if panel.ErrorCode(err) != panel.EUPSTREAM {
					t.Fatalf("replay: got %v, want the order's failure", err)
				}
			case "fresh": // the key was freed: this places the order anew
				if err != nil {
					t.Fatalf("order again: got %v", err)
				}
			}
		})
	}
}

func orderReq(name string) billing.OrderRequest {
	return billing.OrderRequest{PackageID: 1, LocationID: 1, TemplateID: 52, Hostname: name + ".example.com", Name: name}
}

func TestOrderBuildAndDeleteFail(t *testing.T) {
	// Regression: the charge was reversed but the server stayed usable in
	// VirtFusion, unbilled, for good.
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 5000)
	p := e.customer("free")
	e.fund(p.UserID, 1000)
	start := time.Now()
	e.setClock(start)
	// The build and the deletion fail; the suspension after them works.
	e.vf.SetFault(vfsim.Fault{Status: 500, PathPrefix: "/servers/", Times: 2})
	if _, err := order(t, e, p, "k1", "web-1"); err == nil {
		t.Fatal("order succeeded, want the build failure")
	}
	e.vf.ClearFaults()
	ids := e.vfServers(p)
	if len(ids) != 1 {
		t.Fatalf("got VirtFusion servers %v, want the one not deleted", ids)
	}
	if snap, _ := e.vf.Server(int(ids[0])); !snap.Suspended {
		t.Error("the server nobody pays for is not suspended")
	}
	if unbilled, err := e.store.Unbilled(ctx, ids[0]); err != nil || !unbilled {
		t.Errorf("Unbilled: got %v, %v, want true (its routes refused)", unbilled, err)
	}
	if got := e.balance(p.UserID); got != 1000 {
		t.Fatalf("got balance %d, want 1000 (refunded)", got)
	}
	// The jobs function deletes it.
	st, err := e.svc.RetryOrderCleanups(ctx, e.store, 100)
	if err != nil || st.Deleted != 1 {
		t.Fatalf("cleanup: got %+v, %v", st, err)
	}
	if got := e.vfServers(p); len(got) != 0 {
		t.Fatalf("got VirtFusion servers %v after cleanup, want none", got)
	}
	if got := e.balance(p.UserID); got != 1000 {
		t.Fatalf("got balance %d after cleanup, want 1000 (refunded once)", got)
	}
}
