package billing

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// RunStats summarises one hourly run.
type RunStats struct {
	Servers    int // active servers seen
	Users      int // customers seen
	Charged    int // server-hours charged by this run
	Duplicates int // server-hours charged before (a re-run)
	Stopped    int // servers found missing in VirtFusion
	Failed     int // customers whose run failed (retried next time)
	// ServersCharged were charged at least one hour; ServersFailed belong
	// to customers whose run failed (ops2: the billing runs page).
	ServersCharged int
	ServersFailed  int
	ChargedMinor   int64 // minor units charged
	DurationMs     int64
}

// runGroup is how many customers one write batch of the hourly run covers:
// few enough that one customer's trouble delays few others, enough for the
// store to fill its transactions.
const runGroup = 10

// Shard bounds: one shard is one bounded Lambda invocation of the scale-out
// run. A customer is never split across shards, so a shard holds at most
// ShardCustomers customers and, unless one customer alone has more,
// ShardServers servers (its message stays well under SQS's 256 KiB).
const (
	ShardCustomers = 100
	ShardServers   = 400
)

// Shard is one piece of an hourly run: some customers' active servers as the
// run listed them (the charge's cursor condition, not this snapshot, decides
// what is due) and the run's clock, so a shard delivered late or twice
// charges the same hours, each at most once.
type Shard struct {
	Run     time.Time             `json:"run"`
	Servers []*panel.BilledServer `json:"servers"`
	// Started, Trigger and By name the run the shard's summary adds to
	// (panel.BillingRun); Started zero means Run, Trigger empty "schedule".
	Started time.Time `json:"started,omitzero"`
	Trigger string    `json:"trigger,omitempty"`
	By      string    `json:"by,omitempty"`
}

// Customers counts the shard's customers.
func (sh Shard) Customers() int {
	seen := map[string]bool{}
	for _, sv := range sh.Servers {
		seen[sv.UserID] = true
	}
	return len(seen)
}

// PlanHourly lists every active server and cuts the customers (sorted) into
// shards of at most maxCustomers customers and, where a customer allows,
// maxServers servers; 0 means no bound. The shards share one run clock.
func (s *Service) PlanHourly(ctx context.Context, maxCustomers, maxServers int) ([]Shard, error) {
	now := s.now()
	servers, err := s.Store.ActiveServers(ctx)
	if err != nil {
		s.recordPlanFailure(ctx, now, TriggerSchedule, "", err)
		return nil, err
	}
	byUser := map[string][]*panel.BilledServer{}
	for _, sv := range servers {
		byUser[sv.UserID] = append(byUser[sv.UserID], sv)
	}
	users := make([]string, 0, len(byUser))
	for u := range byUser {
		users = append(users, u)
	}
	slices.Sort(users)
	var (
		shards    []Shard
		cur       = Shard{Run: now}
		customers int
	)
	for _, u := range users {
		full := (maxCustomers > 0 && customers >= maxCustomers) ||
			(maxServers > 0 && customers > 0 && len(cur.Servers)+len(byUser[u]) > maxServers)
		if full {
			shards = append(shards, cur)
			cur, customers = Shard{Run: now}, 0
		}
		cur.Servers = append(cur.Servers, byUser[u]...)
		customers++
	}
	if customers > 0 {
		shards = append(shards, cur)
	}
	return shards, nil
}

// RunHourly runs the whole hourly run in this process: one shard with
// every customer (see RunShard).
func (s *Service) RunHourly(ctx context.Context) (RunStats, error) {
	start := time.Now()
	shards, err := s.PlanHourly(ctx, 0, 0)
	if err != nil {
		return RunStats{}, err
	}
	st := RunStats{}
	if len(shards) == 1 {
		st, err = s.RunShard(ctx, shards[0])
	}
	st.DurationMs = time.Since(start).Milliseconds()
	return st, err
}

// RunShard charges every active server of the shard for each hour that has
// started since it was last billed, up to the shard's run clock (catching
// up missed runs), capped per calendar month. Each server-hour is charged
// once however often a shard is delivered or overlaps another: the charge's
// condition on each server's billing cursor decides. Servers VirtFusion no
// longer has stop billing first, without further charges. Afterwards every
// customer below zero is suspended and every customer back at zero or above
// unsuspended. Groups of runGroup customers are processed by s.Workers
// goroutines; a customer is in one group only, so their balance never races
// within the shard.
func (s *Service) RunShard(ctx context.Context, sh Shard) (RunStats, error) {
	start := time.Now()
	now := sh.Run
	servers := sh.Servers
	byUser := map[string][]*panel.BilledServer{}
	for _, sv := range servers {
		byUser[sv.UserID] = append(byUser[sv.UserID], sv)
	}
	users := make([]string, 0, len(byUser))
	for u := range byUser {
		users = append(users, u)
	}
	slices.Sort(users)

	var (
		mu       sync.Mutex
		total    = RunStats{Servers: len(servers), Users: len(users)}
		firstErr error
		failures []panel.BillingRunFailure
	)
	workers := s.Workers
	if workers <= 0 {
		workers = 8 // DynamoDB Local applies transactions one at a time: more gain nothing
	}
	jobs := make(chan []string)
	var wg sync.WaitGroup
	for range min(workers, max(len(users), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for group := range jobs {
				st, err := s.runGroup(ctx, group, byUser, now)
				if err != nil {
					s.log(ctx).Error("billing: hourly run failed for customers", "users", group, "err", err)
				}
				mu.Lock()
				total.ServersCharged += st.ServersCharged
				total.Charged += st.Charged
				total.Duplicates += st.Duplicates
				total.Stopped += st.Stopped
				total.ChargedMinor += st.ChargedMinor
				if err != nil {
					total.Failed += len(group)
					for _, u := range group {
						total.ServersFailed += len(byUser[u])
					}
					failures = append(failures, runFailure(group, err))
					if firstErr == nil {
						firstErr = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	for group := range slices.Chunk(users, runGroup) {
		select {
		case jobs <- group:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	st := total
	st.DurationMs = time.Since(start).Milliseconds()
	s.log(ctx).Info("billing: hourly run shard", "servers", st.Servers, "users", st.Users, "charged", st.Charged,
		"duplicates", st.Duplicates, "stopped", st.Stopped, "failed", st.Failed, "ms", st.DurationMs)
	if ctx.Err() != nil {
		failures = append(failures, runFailure(nil, ctx.Err()))
		s.recordRun(ctx, sh, st, failures)
		return st, ctx.Err()
	}
	s.recordRun(ctx, sh, st, failures)
	return st, firstErr
}

// runGroup charges a few customers' active servers and reconciles their
// suspension.
func (s *Service) runGroup(ctx context.Context, users []string, byUser map[string][]*panel.BilledServer, now time.Time) (RunStats, error) {
	var st RunStats
	live := map[string][]*panel.BilledServer{}
	for _, u := range users {
		live[u] = byUser[u]
		if sv := byUser[u]; s.Host != nil && len(sv) > 0 && sv[0].VFUserID > 0 {
			live[u] = s.dropMissing(ctx, sv, &st)
		}
	}
	bals := map[string]*panel.Balance{}
	if err := s.charge(ctx, users, live, bals, now, &st); err != nil || s.Host == nil {
		return st, err
	}
	for _, u := range users {
		bal := bals[u]
		if bal == nil { // nothing was due, so it was not read
			var err error
			if bal, err = s.Store.Balance(ctx, u); err != nil {
				return st, err
			}
		}
		s.reconcile(ctx, u, bal.BalanceMinor, live[u])
		s.statementReady(ctx, u, now)
	}
	return st, nil
}

// statementReady tells a customer, on the first day of a month, that last
// month's statement is ready. Every run of that day tries (a failed run is
// caught up by the next); the outbox keeps one message per customer and
// month.
func (s *Service) statementReady(ctx context.Context, userID string, now time.Time) {
	if s.Queue == nil || now.UTC().Day() != 1 {
		return
	}
	last := now.UTC().AddDate(0, 0, -1)
	n, ok, err := s.note(ctx, userID, panel.NotifyStatementReady, userID+"#"+last.Format("2006-01"),
		map[string]string{"month": last.Format("January 2006")})
	if err != nil {
		s.log(ctx).Error("billing: statement-ready mail", "user", userID, "err", err)
		return
	}
	if ok {
		s.enqueue(ctx, n)
	}
}

// charge charges every started, unbilled hour of the live servers in as
// few writes as the store allows, leaving the balances it read in bals.
// When a server changed meanwhile (stopped, or charged by a concurrent
// run) it reads the servers again and charges what is still due.
func (s *Service) charge(ctx context.Context, users []string, live map[string][]*panel.BilledServer, bals map[string]*panel.Balance, now time.Time, st *RunStats) error {
	for attempt := 0; ; attempt++ {
		var batch []panel.ServerCharge
		for _, u := range users {
			for _, sv := range live[u] {
				if c := dueCharge(sv, now); len(c.Hours) > 0 {
					batch = append(batch, c)
				}
			}
		}
		if len(batch) == 0 {
			return nil
		}
		err := s.Store.ChargeHours(ctx, bals, batch)
		for _, c := range batch {
			// Count what was written: the hours the cursor moved past.
			if len(c.Hours) > 0 && c.Hours[0].HourStart.Before(c.Server.BilledThrough) {
				st.ServersCharged++
			}
			for _, h := range c.Hours {
				if h.HourStart.Before(c.Server.BilledThrough) {
					st.Charged++
					st.ChargedMinor += h.AmountMinor
					for _, a := range h.Addons {
						st.ChargedMinor += a.AmountMinor
					}
				}
			}
		}
		if !isCode(err, panel.ECONFLICT) || attempt >= 3 {
			return err
		}
		// Read each server again, consistently: the index the run listed
		// them from may lag behind a stop or a concurrent run's charge.
		for _, u := range users {
			var still []*panel.BilledServer
			for _, sv := range live[u] {
				f, err := s.Store.BilledServer(ctx, sv.ServerID)
				if isCode(err, panel.ENOTFOUND) {
					continue
				}
				if err != nil {
					return err
				}
				if f.Status == panel.BilledActive {
					// Hours a concurrent run charged are not charged again.
					st.Duplicates += int(f.BilledThrough.Sub(sv.BilledThrough) / time.Hour)
					*sv = *f
					still = append(still, sv)
				}
			}
			live[u] = still
		}
	}
}

// dueCharge lists the started, unbilled hours of sv up to now.
func dueCharge(sv *panel.BilledServer, now time.Time) panel.ServerCharge {
	c := panel.ServerCharge{Server: sv}
	cur := *sv // the cap counts on as the hours add up
	for hour := cur.BilledThrough; !hour.After(now); hour = hour.Add(time.Hour) {
		h := hourCharge(&cur, hour)
		h.Addons = addonCharges(sv, hour)
		cur.CapMonth, cur.CapChargedMinor = h.CapMonth, h.CapCharged
		c.Hours = append(c.Hours, h)
		c.Postings = append(c.Postings, panel.Posting{UserID: sv.UserID, Type: panel.EntryCharge, AmountMinor: -h.AmountMinor,
			Currency: sv.Currency, Description: chargeDescription(sv.Name, hour), Ref: serverRef(sv.ServerID), At: now})
	}
	return c
}

// dropMissing stops billing servers VirtFusion does not list for their
// owner and confirms gone (404), and returns the rest. When VirtFusion
// cannot answer, nothing is stopped.
func (s *Service) dropMissing(ctx context.Context, servers []*panel.BilledServer, st *RunStats) []*panel.BilledServer {
	ids, err := s.Host.UserServerIDs(ctx, servers[0].VFUserID)
	if err != nil {
		s.log(ctx).Warn("billing: cannot list servers in VirtFusion; charging as recorded", "vfUser", servers[0].VFUserID, "err", err)
		return servers
	}
	have := map[int64]bool{}
	for _, id := range ids {
		have[id] = true
	}
	var live []*panel.BilledServer
	for _, sv := range servers {
		if !have[sv.ServerID] {
			// Not listed (or owned by someone else now): confirm before stopping.
			if _, err := s.Host.ServerName(ctx, sv.ServerID); panel.ErrorCode(err) == panel.ENOTFOUND {
				if _, changed, err := s.Store.StopServer(ctx, sv.ServerID, s.now(), "missing in VirtFusion"); err == nil && changed {
					st.Stopped++
					s.log(ctx).Warn("billing: server missing in VirtFusion; billing stopped", "server", sv.ServerID)
				}
				continue
			}
		}
		live = append(live, sv)
	}
	return live
}
