package billing_test

import (
	"fmt"
	"hash/crc32"
	"math"
	"math/rand"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// The top-up side of the property test goes through these few helpers, so
// a change in how PayPal confirms money touches only them.

// topupByCapture starts a top-up, has the payer approve it and captures it
// (the payer's return, 1 or 2 times). It returns the top-up and its capture.
func topupByCapture(e *env, userID string, amount int64, captures int) (*billing.TopupStarted, string, string, error) {
	st, err := e.svc.StartTopup(ctx, userID, amount)
	if err != nil {
		return nil, "", "", err
	}
	if err := e.pp.Approve(st.OrderID); err != nil {
		return nil, "", "", err
	}
	for range captures {
		e.svc.CaptureTopup(ctx, userID, st.OrderID)
	}
	tp, err := e.store.TopupByOrder(ctx, st.OrderID)
	if err != nil {
		return nil, "", "", err
	}
	return st, tp.ID, tp.CaptureID, nil
}

// topupByWebhook starts a top-up, has the payer approve it and PayPal
// capture it without billing being told, so only PAYMENT.CAPTURE.COMPLETED
// deliveries (deliveries copies, concurrently) confirm it. It returns the
// top-up, its capture and the delivered body (for replays).
func topupByWebhook(e *env, userID string, amount int64, deliveries int) (*billing.TopupStarted, string, string, []byte, error) {
	st, err := e.svc.StartTopup(ctx, userID, amount)
	if err != nil {
		return nil, "", "", nil, err
	}
	tp, err := e.store.TopupByOrder(ctx, st.OrderID)
	if err != nil {
		return nil, "", "", nil, err
	}
	if err := e.pp.Approve(st.OrderID); err != nil {
		return nil, "", "", nil, err
	}
	res, err := e.ppc.CaptureOrder(ctx, st.OrderID, "test-capture-"+st.OrderID)
	if err != nil || len(res.Captures) != 1 {
		return nil, "", "", nil, fmt.Errorf("capture %s: %+v, %v", st.OrderID, res, err)
	}
	captureID := res.Captures[0].ID
	h, body, err := e.pp.LastEvent(captureID)
	if err != nil {
		return nil, "", "", nil, err
	}
	var wg sync.WaitGroup
	for range deliveries {
		wg.Add(1)
		go func() { defer wg.Done(); e.post(h, body) }()
	}
	wg.Wait()
	return st, tp.ID, captureID, body, nil
}

// refundByWebhook refunds amount of a capture in PayPal (as from its
// dashboard) and delivers the PAYMENT.CAPTURE.REFUNDED event; it returns the
// delivered body, or nil when PayPal refuses (more than is left).
func refundByWebhook(e *env, captureID string, amount int64) []byte {
	ref, err := e.pp.Refund(captureID, amount)
	if err != nil {
		return nil
	}
	h, body, err := e.pp.LastEvent(ref)
	if err != nil {
		e.t.Error(err)
		return nil
	}
	e.post(h, body)
	return body
}

// replayDelivery delivers a body again, signed afresh as PayPal's retries are.
func replayDelivery(e *env, body []byte) int { return e.post(e.pp.Sign(body), body) }

// propertyOps is how many random operations TestPropertyInterleavings runs.
const propertyOps = 10_000

// TestPropertyInterleavings runs propertyOps random operations from
// concurrent goroutines (top-ups by capture and by webhook, webhook
// replays, refunds, orders and their replays, deletes, hourly runs,
// adjustments of any size, VirtFusion faults, order cleanups) and then
// checks, for every customer: balance == Σ ledger == the statements'
// closing balance, no capture or refund applied twice, every order's first
// charge prepaid, no server VirtFusion has that billing does not charge,
// no unsettled order, and no amount or balance beyond its bound.
func TestPropertyInterleavings(t *testing.T) {
	// maxServers bounds each customer's servers (the simulator's IP pools
	// are finite): an order beyond it becomes a delete.
	const seed, workers, hourly, maxServers = 20261122, 8, 7, 4
	ops := propertyOps
	if testing.Short() {
		ops = 1_000
	}
	e := newEnv(t, envOpts{})
	setPrice(t, e, hourly, 0)
	// Plans 2 and 3 to resize to, and extra IPv4 (at most 2 a server).
	for pkg := range int64(2) {
		if _, err := e.svc.SetPrice(ctx, pkg+2, panel.Price{HourlyMinor: hourly * (pkg + 2)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.SetIPv4Price(ctx, panel.IPv4Price{HourlyMinor: 2, MaxPerServer: 2}); err != nil {
		t.Fatal(err)
	}
	need := int64(hourly * e.svc.OrderPrepayHours)
	var users []*panel.Principal
	for i := range 12 {
		users = append(users, e.customer(fmt.Sprintf("p%d", i)))
	}
	e.setClock(time.Now())
	// Coupons and auto top-up (issue 19): a bonus code with tight limits,
	// and four customers with a saved PayPal wallet and auto top-up on.
	const couponMax, couponPer = 15, 2
	if _, err := e.svc.CreateCoupon(ctx, "admin", panel.Coupon{Code: "PROPBONUS", Kind: panel.CouponTopupFixed, AmountMinor: 300,
		ValidUntil: e.now().Add(1000 * time.Hour), MaxRedemptions: couponMax, PerCustomer: couponPer}); err != nil {
		t.Fatal(err)
	}
	e.svc.AutoTopupWindow = time.Hour
	for _, p := range users[:4] {
		approve, err := e.svc.StartAutoTopupSetup(ctx, p.UserID)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(approve)
		tok := u.Query().Get("approval_session_id")
		if err := e.pp.ApproveSetupToken(tok); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ConfirmAutoTopupSetup(ctx, p.UserID, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetAutoTopup(ctx, p.UserID, true, 2000, 1000); err != nil {
			t.Fatal(err)
		}
	}
	var autoFired atomic.Int64
	var autoWindows sync.Map

	type credited struct {
		topupID, capture string
		amount           int64
	}
	type state struct {
		mu         sync.Mutex
		topups     []credited
		deliveries [][]byte        // webhook bodies delivered, for replays
		orders     []string        // order keys placed (with the server name in the key)
		reused     map[string]bool // order keys tried with another request
	}
	var (
		states   = map[string]*state{}
		seq      atomic.Int64
		ordering sync.RWMutex // cleanups run alone: an order never races its own settling
		counts   sync.Map     // op name → *atomic.Int64
	)
	for _, p := range users {
		states[p.UserID] = &state{reused: map[string]bool{}}
	}
	// count records one operation and the time it took (its share of the
	// run, reported at the end).
	count := func(name string, d time.Duration) {
		c, _ := counts.LoadOrStore(name, new([2]atomic.Int64))
		c.(*[2]atomic.Int64)[0].Add(1)
		c.(*[2]atomic.Int64)[1].Add(int64(d))
	}
	orderFor := func(p *panel.Principal, key, name string) (*billing.OrderResult, error) {
		ordering.RLock()
		defer ordering.RUnlock()
		req := orderReq(name)
		req.LocationID = int64(1 + crc32.ChecksumIEEE([]byte(name))%2) // London and New York (Frankfurt is nearly full)
		return e.svc.PlaceOrder(ctx, p, key, req)
	}

	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed + int64(w)))
			for range ops / workers {
				p := users[rng.Intn(len(users))]
				s := states[p.UserID]
				n := seq.Add(1)
				name, began := "", time.Now()
				op := rng.Intn(100)
				if op >= 34 && op < 46 && len(e.activeServersOf(p.UserID)) >= maxServers {
					op = 52 // a delete instead
				}
				switch {
				case op < 10: // top-up, captured by the returning payer (maybe twice)
					name = "topup-capture"
					_, tid, capID, err := topupByCapture(e, p.UserID, int64(500+rng.Intn(5000)), 1+rng.Intn(2))
					if err != nil {
						t.Error(err)
						continue
					}
					tp, _ := e.store.Topup(ctx, tid)
					s.mu.Lock()
					s.topups = append(s.topups, credited{tid, capID, tp.AmountMinor})
					s.mu.Unlock()
				case op < 20: // top-up confirmed only by (duplicated) webhook deliveries
					name = "topup-webhook"
					amt := int64(500 + rng.Intn(5000))
					_, tid, capID, body, err := topupByWebhook(e, p.UserID, amt, 1+rng.Intn(3))
					if err != nil {
						t.Error(err)
						continue
					}
					s.mu.Lock()
					s.topups = append(s.topups, credited{tid, capID, amt})
					s.deliveries = append(s.deliveries, body)
					s.mu.Unlock()
				case op < 28: // a delivered webhook event again
					name = "webhook-replay"
					s.mu.Lock()
					var body []byte
					if len(s.deliveries) > 0 {
						body = s.deliveries[rng.Intn(len(s.deliveries))]
					}
					s.mu.Unlock()
					if body != nil {
						if st := replayDelivery(e, body); st != http.StatusOK && st != http.StatusServiceUnavailable {
							t.Errorf("replay: got status %d", st)
						}
					}
				case op < 34: // a partial refund of some credited top-up
					name = "refund"
					s.mu.Lock()
					var c credited
					if len(s.topups) > 0 {
						c = s.topups[rng.Intn(len(s.topups))]
					}
					s.mu.Unlock()
					if c.capture == "" {
						continue
					}
					body := refundByWebhook(e, c.capture, 100+rng.Int63n(c.amount))
					if body == nil {
						continue
					}
					s.mu.Lock()
					s.deliveries = append(s.deliveries, body)
					s.mu.Unlock()
				case op < 46: // an order (often refused for lack of funds)
					name = "order"
					key := fmt.Sprintf("o%d", n)
					if _, err := orderFor(p, key, key); err == nil || panel.ErrorCode(err) != panel.EINVALID {
						s.mu.Lock()
						s.orders = append(s.orders, key)
						s.mu.Unlock()
					} else {
						t.Errorf("order: %v", err)
					}
				case op < 52: // an order's key again: the same request, or another
					name = "order-replay"
					other := rng.Intn(3) == 0
					s.mu.Lock()
					var key string
					if len(s.orders) > 0 {
						key = s.orders[rng.Intn(len(s.orders))]
					}
					// A key freed by an undone order may hold the other
					// request now: its first request is then another one.
					reused := s.reused[key]
					s.reused[key] = reused || other
					s.mu.Unlock()
					if key == "" {
						continue
					}
					if other {
						if _, err := orderFor(p, key, key+"x"); panel.ErrorCode(err) != panel.EIDEMPOTENCYMISMATCH && err != nil &&
							panel.ErrorCode(err) != panel.EPAYMENTREQUIRED && panel.ErrorCode(err) != panel.EUPSTREAM {
							// A key freed by an undone order places a new one; else it is refused.
							t.Errorf("key reused for another order: got %v", err)
						}
					} else if _, err := orderFor(p, key, key); !reused && panel.ErrorCode(err) == panel.EIDEMPOTENCYMISMATCH {
						t.Errorf("order replay: got %v", err)
					}
				case op < 58: // a customer deletes one of their servers (or would order one too many)
					name = "delete"
					ids := e.activeServersOf(p.UserID)
					if len(ids) == 0 {
						continue
					}
					id := ids[rng.Intn(len(ids))]
					bs, err := e.store.BilledServer(ctx, id)
					if err == nil {
						e.svc.DeleteServer(ctx, p, id, bs.Name)
					}
				case op < 60: // time passes and the hourly run charges (sometimes twice)
					name = "hourly"
					e.setClock(e.now().Add(time.Duration(rng.Intn(40)) * time.Minute))
					for range 1 + rng.Intn(2) {
						e.svc.RunHourly(ctx)
					}
				case op < 66: // a package change (often refused: disks never shrink), or an IPv4 added or removed
					ids := e.activeServersOf(p.UserID)
					if len(ids) == 0 {
						continue
					}
					id := ids[rng.Intn(len(ids))]
					switch {
					case op < 63:
						name = "resize"
						key := fmt.Sprintf("r%d", n)
						req := billing.ResizeRequest{PackageID: int64(1 + rng.Intn(3))}
						for range 1 + rng.Intn(2) { // retried now and then
							e.svc.Resize(ctx, p, id, key, req)
						}
					case rng.Intn(2) == 0:
						name = "ipv4-add"
						e.svc.AddIPv4(ctx, p, id)
					default:
						name = "ipv4-remove"
						if bs, err := e.store.BilledServer(ctx, id); err == nil && len(bs.IPv4Extra) > 0 {
							e.svc.RemoveIPv4(ctx, p, id, bs.IPv4Extra[rng.Intn(len(bs.IPv4Extra))])
						}
					}
				case op < 70: // a top-up with the bonus code (refused once it is used up)
					name = "coupon-topup"
					if st, err := e.svc.StartTopupWith(ctx, p.UserID, int64(500+rng.Intn(3000)), "", "", "PROPBONUS"); err == nil {
						if e.pp.Approve(st.OrderID) == nil {
							e.svc.CaptureTopup(ctx, p.UserID, st.OrderID)
						}
					} else if panel.ErrorCode(err) != panel.EINVALID {
						t.Errorf("coupon top-up: %v", err)
					}
				case op < 73: // the jobs function's auto top-ups
					name = "auto-topup"
					autoWindows.Store(e.now().Unix()/3600, true)
					st, err := e.svc.RunAutoTopups(ctx)
					if err != nil {
						t.Errorf("auto top-ups: %v", err)
					}
					autoFired.Add(int64(st.Fired))
				case op < 94: // an administrator's adjustment, retried, sometimes reused or absurd
					name = "adjust"
					key := fmt.Sprintf("adj%d", n)
					amt := int64(rng.Intn(4000) - 2000)
					huge := false
					switch rng.Intn(50) {
					case 0:
						amt, huge = []int64{math.MaxInt64, math.MinInt64, panel.MaxAmountMinor + 1, -panel.MaxAmountMinor - 1}[rng.Intn(4)], true
					case 1:
						amt = panel.MaxAmountMinor // legal, and brings balances near their bound
					}
					if amt == 0 {
						amt = 1
					}
					for range 1 + rng.Intn(2) { // retried now and then
						_, _, err := e.svc.Adjust(ctx, "admin", p.UserID, amt, "property test", key)
						if huge && panel.ErrorCode(err) != panel.EAMOUNTRANGE {
							t.Errorf("adjustment of %d: got %v, want amount_out_of_range", amt, err)
						}
						if err != nil && !huge && panel.ErrorCode(err) != panel.EAMOUNTRANGE {
							t.Errorf("adjustment of %d: %v", amt, err)
						}
					}
					if rng.Intn(4) > 0 || huge {
						break
					}
					if _, _, err := e.svc.Adjust(ctx, "admin", p.UserID, amt+1, "property test", key); panel.ErrorCode(err) != panel.EIDEMPOTENCYMISMATCH &&
						panel.ErrorCode(err) != panel.EAMOUNTRANGE {
						t.Errorf("adjustment key reused: got %v, want idempotency_mismatch", err)
					}
				case op < 96: // VirtFusion fails the next call or two on servers
					name = "vf-fault"
					e.vf.SetFault(vfsim.Fault{Status: 500, PathPrefix: "/servers/", Times: 1 + rng.Intn(2)})
				default: // the jobs function settles orders
					name = "cleanup"
					ordering.Lock()
					e.svc.RetryOrderCleanups(ctx, e.store, 100)
					ordering.Unlock()
				}
				count(name, time.Since(began))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	e.pp.Flush(ctx)

	// The jobs function's last word, with VirtFusion healthy again.
	e.vf.ClearFaults()
	e.setClock(e.now().Add(billing.OrderSettleAfter + time.Minute))
	for range 3 {
		if _, err := e.svc.RetryOrderCleanups(ctx, e.store, 1000); err == nil {
			break
		}
	}
	e.setClock(e.now().Add(3 * time.Minute))
	if _, err := e.svc.SettleResizes(ctx); err != nil {
		t.Errorf("settle resizes: %v", err)
	}
	if _, err := e.svc.RunHourly(ctx); err != nil {
		t.Errorf("hourly run: %v", err)
	}
	if left, err := e.store.PendingOrderCleanups(ctx, 1000); err != nil || len(left) != 0 {
		t.Errorf("unsettled orders: %+v, %v", left, err)
	}

	var summary []string
	counts.Range(func(k, v any) bool {
		c := v.(*[2]atomic.Int64)
		summary = append(summary, fmt.Sprintf("%s=%d (%v each)", k, c[0].Load(), (time.Duration(c[1].Load())/time.Duration(c[0].Load())).Round(time.Millisecond)))
		return true
	})
	slices.Sort(summary)
	t.Logf("%d operations on %d goroutines in %v: %v", seq.Load(), workers, elapsed.Round(time.Millisecond), summary)

	coupon, err := e.store.Coupon(ctx, "PROPBONUS")
	if err != nil {
		t.Fatal(err)
	}
	promos := 0
	windows := 0
	autoWindows.Range(func(any, any) bool { windows++; return true })
	if fired := autoFired.Load(); fired > int64(windows*4) {
		t.Errorf("auto top-ups fired %d times in %d windows for 4 customers", fired, windows)
	}
	for _, p := range users {
		bal := e.balance(p.UserID) // checks balance == Σ ledger
		if bal < -panel.MaxBalanceMinor || bal > panel.MaxBalanceMinor {
			t.Errorf("%s: balance %d beyond its bound", p.UserID, bal)
		}
		entries := e.entries(p.UserID, "")
		seen := map[string]int{}
		first := map[string]*panel.LedgerEntry{}
		for _, en := range entries {
			if en.AmountMinor < -panel.MaxAmountMinor || en.AmountMinor > panel.MaxAmountMinor ||
				en.BalanceAfterMinor < -panel.MaxBalanceMinor || en.BalanceAfterMinor > panel.MaxBalanceMinor {
				t.Errorf("%s: entry %+v beyond the bounds", p.UserID, en)
			}
			if en.Type == panel.EntryTopup || en.Type == panel.EntryRefund {
				seen[en.Type+":"+en.Ref]++
			}
			if f := first[en.Ref]; en.Type == panel.EntryCharge && (f == nil || en.CreatedAt.Before(f.CreatedAt)) {
				first[en.Ref] = en
			}
		}
		if mine := len(e.entries(p.UserID, panel.EntryPromo)); mine > couponPer {
			t.Errorf("%s: bonus code redeemed %d times, limit %d", p.UserID, mine, couponPer)
		} else {
			promos += mine
		}
		for ref, n := range seen {
			if n > 1 {
				t.Errorf("%s: %s applied %d times", p.UserID, ref, n)
			}
		}
		for ref, en := range first { // an order's first charge: the prepay rule held
			if before := en.BalanceAfterMinor - en.AmountMinor; before < need {
				t.Errorf("%s: %s ordered on a balance of %d, below the prepay %d", p.UserID, ref, before, need)
			}
		}
		for _, c := range states[p.UserID].topups {
			tp, err := e.store.Topup(ctx, c.topupID)
			if err != nil {
				t.Fatal(err)
			}
			if tp.CreditedMinor > c.amount || tp.DebitedMinor > tp.CreditedMinor {
				t.Errorf("top-up %s: credited %d debited %d of %d", tp.ID, tp.CreditedMinor, tp.DebitedMinor, c.amount)
			}
		}
		invs, err := e.svc.Invoices(ctx, p.UserID)
		if err != nil || len(invs) == 0 || invs[0].ClosingMinor != bal {
			t.Errorf("%s: statements %+v, %v; want the latest closing at %s", p.UserID, invs, err, config.FormatMoney(bal))
		}
		e.checkNoUnbilledServer(p)
		e.checkChangesAgree(p.UserID)
		t.Logf("%s: balance %s, %d entries, %d servers", p.UserID, config.FormatMoney(bal), len(entries), len(e.activeServersOf(p.UserID)))
	}
	if promos > couponMax || int64(promos) != coupon.Redeemed || coupon.CreditedMinor != int64(promos)*300 {
		t.Errorf("bonus code: %d promo entries, counters %d / %d, limit %d", promos, coupon.Redeemed, coupon.CreditedMinor, couponMax)
	}
	t.Logf("bonus code redeemed %d times; auto top-ups fired %d times in %d windows", promos, autoFired.Load(), windows)
}

// activeServersOf is activeServers for use from any goroutine (no Fatal).
func (e *env) activeServersOf(userID string) []int64 {
	list, err := e.store.UserServers(ctx, userID)
	if err != nil {
		return nil
	}
	var ids []int64
	for _, s := range list {
		if s.Status == panel.BilledActive {
			ids = append(ids, s.ServerID)
		}
	}
	return ids
}

// checkChangesAgree fails unless every active server of userID has no
// package change pending, VirtFusion's memory matches the billed package,
// and the extra IPv4 billing charges are on the server, within the maximum.
func (e *env) checkChangesAgree(userID string) {
	e.t.Helper()
	list, err := e.store.UserServers(ctx, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	memory := map[int64]int64{1: 1024, 2: 2048, 3: 4096}
	for _, bs := range list {
		if bs.Status != panel.BilledActive {
			continue
		}
		if bs.Resize != nil {
			e.t.Errorf("server %d: change pending %+v", bs.ServerID, bs.Resize)
		}
		res, err := e.svc.Changes.ServerResources(ctx, bs.ServerID)
		if err != nil {
			e.t.Errorf("server %d: %v", bs.ServerID, err)
			continue
		}
		if res.MemoryMB != memory[bs.PackageID] || bs.HourlyMinor != 7*bs.PackageID {
			e.t.Errorf("server %d: billed package %d at %d, VirtFusion memory %d", bs.ServerID, bs.PackageID, bs.HourlyMinor, res.MemoryMB)
		}
		ips, _ := e.svc.Changes.ServerIPv4(ctx, bs.ServerID)
		if bs.IPv4Count != int64(len(bs.IPv4Extra)) || bs.IPv4Count > 2 || len(ips) != 1+len(bs.IPv4Extra) {
			e.t.Errorf("server %d: %d extra IPv4 billed (%v), VirtFusion has %v", bs.ServerID, bs.IPv4Count, bs.IPv4Extra, ips)
		}
		for _, ip := range bs.IPv4Extra {
			if !slices.Contains(ips, ip) {
				e.t.Errorf("server %d: billed IPv4 %s not in VirtFusion %v", bs.ServerID, ip, ips)
			}
		}
	}
}
