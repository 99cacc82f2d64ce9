package billing

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// RunStats summarises one hourly run.
type RunStats struct {
	Servers      int   // active servers seen
	Users        int   // customers seen
	Charged      int   // server-hours charged by this run
	Duplicates   int   // server-hours charged before (a re-run)
	Stopped      int   // servers found missing in VirtFusion
	Failed       int   // customers whose run failed (retried next time)
	ChargedMinor int64 // minor units charged
	DurationMs   int64
}

// RunHourly charges every active server for each hour that has started
// since it was last billed (catching up missed runs), capped per calendar
// month. Each server-hour is charged once however often the run repeats.
// Servers VirtFusion no longer has stop billing first, without further
// charges. Afterwards every customer below zero is suspended and every
// customer back at zero or above unsuspended. Customers are processed by
// s.Workers goroutines; one customer's servers run in order, so their
// balance never races within the run.
func (s *Service) RunHourly(ctx context.Context) (RunStats, error) {
	start := time.Now()
	now := s.now()
	servers, err := s.Store.ActiveServers(ctx)
	if err != nil {
		return RunStats{}, err
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
		charged, dups, stopped, failed atomic.Int64
		amount                         atomic.Int64
		errMu                          sync.Mutex
		firstErr                       error
	)
	workers := s.Workers
	if workers <= 0 {
		workers = 24
	}
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range min(workers, max(len(users), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				st, err := s.runUser(ctx, u, byUser[u], now)
				charged.Add(int64(st.Charged))
				dups.Add(int64(st.Duplicates))
				stopped.Add(int64(st.Stopped))
				amount.Add(st.ChargedMinor)
				if err != nil {
					failed.Add(1)
					s.log(ctx).Error("billing: hourly run failed for a customer", "user", u, "err", err)
					errMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					errMu.Unlock()
				}
			}
		}()
	}
	for _, u := range users {
		select {
		case jobs <- u:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	st := RunStats{Servers: len(servers), Users: len(users), Charged: int(charged.Load()), Duplicates: int(dups.Load()),
		Stopped: int(stopped.Load()), Failed: int(failed.Load()), ChargedMinor: amount.Load(), DurationMs: time.Since(start).Milliseconds()}
	s.log(ctx).Info("billing: hourly run", "servers", st.Servers, "users", st.Users, "charged", st.Charged,
		"duplicates", st.Duplicates, "stopped", st.Stopped, "failed", st.Failed, "ms", st.DurationMs)
	if ctx.Err() != nil {
		return st, ctx.Err()
	}
	return st, firstErr
}

// runUser charges one customer's active servers and reconciles suspension.
func (s *Service) runUser(ctx context.Context, userID string, servers []*panel.BilledServer, now time.Time) (RunStats, error) {
	var st RunStats
	live := servers
	if s.Host != nil && len(servers) > 0 && servers[0].VFUserID > 0 {
		live = s.dropMissing(ctx, servers, &st)
	}
	bal, err := s.Store.Balance(ctx, userID)
	if err != nil {
		return st, err
	}
	for _, sv := range live {
		if err := s.chargeServer(ctx, sv, bal, now, &st); err != nil {
			return st, err
		}
	}
	s.reconcile(ctx, userID, bal.BalanceMinor, live)
	return st, nil
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

// chargeServer charges every started, unbilled hour of sv.
func (s *Service) chargeServer(ctx context.Context, sv *panel.BilledServer, bal *panel.Balance, now time.Time, st *RunStats) error {
	for hour := sv.BilledThrough; !hour.After(now); hour = sv.BilledThrough {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := hourCharge(sv, hour)
		_, applied, err := s.Store.ChargeHour(ctx, sv, c, panel.Posting{UserID: sv.UserID, Type: panel.EntryCharge,
			AmountMinor: -c.AmountMinor, Currency: sv.Currency, Description: chargeDescription(sv.Name, hour),
			Ref: serverRef(sv.ServerID), At: now, Expect: bal})
		switch {
		case isCode(err, panel.ECONFLICT):
			// Stopped, or charged by a concurrent run: read it again.
			fresh, err := s.Store.BilledServer(ctx, sv.ServerID)
			if err != nil {
				return err
			}
			if fresh.Status != panel.BilledActive || !fresh.BilledThrough.After(sv.BilledThrough) {
				return nil
			}
			*sv = *fresh
			continue
		case err != nil:
			return err
		}
		if !applied {
			// Charged by an earlier run whose cursor write was lost: the
			// cursor moves only with the charge, so re-read.
			st.Duplicates++
			fresh, err := s.Store.BilledServer(ctx, sv.ServerID)
			if err != nil {
				return err
			}
			if !fresh.BilledThrough.After(sv.BilledThrough) {
				return nil
			}
			*sv = *fresh
			continue
		}
		st.Charged++
		st.ChargedMinor += c.AmountMinor
	}
	return nil
}
