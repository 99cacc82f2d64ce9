package billing

import (
	"context"
	"errors"
	"fmt"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// MaxCleanupAttempts bounds how many runs retry deleting the server of a
// failed order; after that the order is left to support (logged as an
// error).
const MaxCleanupAttempts = 5

// CleanupStats counts one RetryOrderCleanups run.
type CleanupStats struct {
	Pending int // failed orders whose server deletion was pending
	Deleted int // servers deleted (or found gone) now
	Failed  int // deletions that failed again (retried next run)
	GaveUp  int // deletions that failed MaxCleanupAttempts times
}

// RetryOrderCleanups retries the VirtFusion deletion of the servers of
// failed orders whose undo did not finish (PlaceOrder marks such an order
// failed, and the store lists it). A server already gone counts as
// deleted. It returns an error when any deletion failed, so the run's
// alarm fires; each order's failure is recorded for the next run.
func (s *Service) RetryOrderCleanups(ctx context.Context, store panel.OrderCleanups, limit int) (CleanupStats, error) {
	var st CleanupStats
	if s.Host == nil {
		return st, errors.New("billing: order cleanups: no VirtFusion configured")
	}
	pending, err := store.PendingOrderCleanups(ctx, limit)
	if err != nil {
		return st, fmt.Errorf("billing: order cleanups: %w", err)
	}
	st.Pending = len(pending)
	var errs []error
	for _, c := range pending {
		c.Attempts++
		log := s.log(ctx).With("server", c.ServerID, "user", c.UserID, "order", c.Key, "attempt", c.Attempts)
		derr := s.Host.DeleteServer(ctx, c.ServerID)
		done := derr == nil
		giveUp := !done && c.Attempts >= MaxCleanupAttempts
		c.LastError = ""
		switch {
		case done:
			st.Deleted++
			log.Info("billing: failed order's server deleted")
		case giveUp:
			st.GaveUp++
			c.LastError = derr.Error()
			log.Error("billing: failed order's server could not be deleted; giving up, delete it by hand", "err", derr)
			errs = append(errs, fmt.Errorf("delete server %d: %w", c.ServerID, derr))
		default:
			st.Failed++
			c.LastError = derr.Error()
			log.Warn("billing: failed order's server not deleted; retried next run", "err", derr)
			errs = append(errs, fmt.Errorf("delete server %d: %w", c.ServerID, derr))
		}
		if err := store.FinishOrderCleanup(ctx, c, done, giveUp); err != nil {
			log.Error("billing: record order cleanup", "err", err)
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return st, fmt.Errorf("billing: order cleanups: %w", errors.Join(errs...))
	}
	return st, nil
}
