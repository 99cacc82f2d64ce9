package billing_test

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestPropertyInterleavings runs a few hundred random operations from
// concurrent goroutines (top-ups by capture and by webhook, duplicated
// deliveries, refunds, hourly charges, orders) and then checks that every
// balance equals the sum of its ledger and nothing was credited twice.
func TestPropertyInterleavings(t *testing.T) {
	const seed, workers, opsPerWorker = 20261122, 4, 50
	e := newEnv(t, envOpts{})
	setPrice(t, e, 7, 0)
	users := []*panel.Principal{e.customer("p0"), e.customer("p1"), e.customer("p2")}
	e.setClock(time.Now())

	type credited struct {
		st      *billing.TopupStarted
		topupID string
		capture string
	}
	var (
		mu     sync.Mutex
		topups = map[string][]credited{} // user → top-ups whose capture id is known
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed + int64(w)))
			for i := range opsPerWorker {
				p := users[rng.Intn(len(users))]
				switch op := rng.Intn(7); op {
				case 0: // top-up, captured by the returning payer (maybe twice)
					st, err := e.svc.StartTopup(ctx, p.UserID, int64(500+rng.Intn(5000)))
					if err != nil {
						t.Error(err)
						continue
					}
					e.pp.Approve(st.OrderID)
					for range 1 + rng.Intn(2) {
						e.svc.CaptureTopup(ctx, p.UserID, st.OrderID)
					}
					tp, _ := e.store.TopupByOrder(ctx, st.OrderID)
					mu.Lock()
					topups[p.UserID] = append(topups[p.UserID], credited{st, tp.ID, tp.CaptureID})
					mu.Unlock()
				case 1: // top-up confirmed only by (duplicated) webhook deliveries
					st, err := e.svc.StartTopup(ctx, p.UserID, int64(500+rng.Intn(5000)))
					if err != nil {
						t.Error(err)
						continue
					}
					tid := topupID(t, e, st.OrderID)
					e.pp.Approve(st.OrderID)
					h, body, capID := completedDelivery(e, st) // captured in PayPal, billing not told
					var dw sync.WaitGroup
					for range 1 + rng.Intn(4) {
						dw.Add(1)
						go func() { defer dw.Done(); e.post(h, body) }()
					}
					dw.Wait()
					mu.Lock()
					topups[p.UserID] = append(topups[p.UserID], credited{st, tid, capID})
					mu.Unlock()
				case 2: // a partial refund of some credited top-up, delivered 1–3 times
					mu.Lock()
					list := topups[p.UserID]
					var c credited
					if len(list) > 0 {
						c = list[rng.Intn(len(list))]
					}
					mu.Unlock()
					if c.st == nil || c.capture == "" {
						continue
					}
					amt := 100 + rng.Int63n(c.st.AmountMinor)
					ref, err := e.pp.Refund(c.capture, amt) // refunded in PayPal's dashboard
					if err != nil {
						continue // more than is left: PayPal refuses
					}
					_, body, err := e.pp.LastEvent(ref)
					if err != nil {
						t.Error(err)
						continue
					}
					for range 1 + rng.Intn(3) {
						e.post(e.pp.Sign(body), body)
					}
				case 3: // an hour passes and the hourly run charges (sometimes twice)
					e.setClock(e.now().Add(time.Duration(rng.Intn(40)) * time.Minute))
					for range 1 + rng.Intn(2) {
						e.svc.RunHourly(ctx)
					}
				case 4: // an order (often refused for lack of funds)
					order(t, e, p, fmt.Sprintf("k%d-%d", w, i), fmt.Sprintf("s%d-%d", w, i))
				case 5: // the same order key again
					order(t, e, p, fmt.Sprintf("k%d-%d", w, max(i-1, 0)), fmt.Sprintf("s%d-%d", w, max(i-1, 0)))
				case 6: // an administrator's adjustment, retried with the same key
					key := fmt.Sprintf("adj%d-%d", w, i)
					amt := int64(rng.Intn(400) - 200)
					if amt == 0 {
						amt = 1
					}
					for range 2 {
						e.svc.Adjust(ctx, "admin", p.UserID, amt, "property test", key)
					}
				}
			}
		}()
	}
	wg.Wait()
	e.pp.Flush(ctx)

	for _, p := range users {
		bal := e.balance(p.UserID) // checks balance == sum of ledger
		seen := map[string]int{}
		for _, en := range e.entries(p.UserID, "") {
			if en.Type == panel.EntryTopup || en.Type == panel.EntryRefund {
				seen[en.Type+":"+en.Ref]++
			}
		}
		for ref, n := range seen {
			if n > 1 {
				t.Errorf("%s: %s applied %d times", p.UserID, ref, n)
			}
		}
		mu.Lock()
		for _, c := range topups[p.UserID] {
			tp, err := e.store.Topup(ctx, c.topupID)
			if err != nil {
				t.Fatal(err)
			}
			if tp.CreditedMinor > c.st.AmountMinor || tp.DebitedMinor > tp.CreditedMinor {
				t.Errorf("top-up %s: credited %d debited %d of %d", tp.ID, tp.CreditedMinor, tp.DebitedMinor, c.st.AmountMinor)
			}
		}
		mu.Unlock()
		t.Logf("%s: balance %d, %d entries", p.UserID, bal, len(e.entries(p.UserID, "")))
	}
}
