package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// MaxCleanupAttempts bounds how many runs retry undoing a failed order;
// after that the order is left to support (logged as an error). Its server,
// if VirtFusion still has it, stays suspended and refused to the customer.
const MaxCleanupAttempts = 5

// OrderSettleAfter is how old a pending order must be before the jobs
// function settles it: far longer than any request placing one can run
// (API Gateway stops at 30 s), so it never races a live request.
const OrderSettleAfter = 10 * time.Minute

// CleanupStats counts one RetryOrderCleanups run.
type CleanupStats struct {
	Pending   int // unsettled orders listed
	Young     int // pending orders too recent to settle (next run)
	Completed int // pending orders found built and paid for: recorded done
	Released  int // pending orders that had done nothing: key freed
	Deleted   int // failed orders refunded and their server deleted (or found gone)
	Failed    int // undos that failed again (retried next run)
	GaveUp    int // undos that failed MaxCleanupAttempts times
}

// RetryOrderCleanups brings every order that has not reached a final state
// to one, so no Idempotency-Key answers "still being placed" for ever and
// no server is left unbilled:
//   - a pending order older than OrderSettleAfter whose request died
//     half-way (DynamoDB went away) is recorded done when its server is
//     billed and built, released when it never made a server, and
//     otherwise marked failed and undone as below;
//   - a failed order is undone: billing stops, its charges are refunded
//     once, and the server is deleted (suspended while it cannot be).
//
// It returns an error when any order could not be settled, so the run's
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
		if c.Status == panel.OrderPending && s.now().Sub(c.CreatedAt) < OrderSettleAfter {
			st.Young++
			continue
		}
		log := s.log(ctx).With("server", c.ServerID, "user", c.UserID, "order", c.Key, "status", c.Status)
		if c.Status == panel.OrderPending {
			settled, err := s.settlePending(ctx, &c, &st)
			if err != nil {
				log.Error("billing: stuck order not settled; retried next run", "err", err)
				errs = append(errs, fmt.Errorf("settle order %s: %w", c.Key, err))
				continue
			}
			if settled {
				log.Info("billing: stuck order settled", "completed", st.Completed, "released", st.Released)
				continue
			}
			// Marked failed: undone below like any failed order.
		}
		c.Attempts++
		log = log.With("attempt", c.Attempts)
		uerr := s.undoOrder(ctx, c.UserID, c.ServerID, nil)
		done := uerr == nil
		giveUp := !done && c.Attempts >= MaxCleanupAttempts
		c.LastError = ""
		switch {
		case done:
			st.Deleted++
			log.Info("billing: failed order undone: refunded, server deleted")
		case giveUp:
			st.GaveUp++
			c.LastError = uerr.Error()
			log.Error("billing: failed order could not be undone; giving up, settle it by hand", "err", uerr)
			errs = append(errs, fmt.Errorf("undo order %s: %w", c.Key, uerr))
		default:
			st.Failed++
			c.LastError = uerr.Error()
			log.Warn("billing: failed order not undone; retried next run", "err", uerr)
			errs = append(errs, fmt.Errorf("undo order %s: %w", c.Key, uerr))
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

// settlePending settles a stuck pending order when it can be settled as
// it stands (settled=true): without a server it is released; with a billed
// server VirtFusion has built (or is building), it completed and only its
// record was lost. Otherwise it records the order failed, for undoing.
func (s *Service) settlePending(ctx context.Context, c *panel.OrderCleanup, st *CleanupStats) (bool, error) {
	if c.ServerID <= 0 {
		// No server was recorded, so none was billed (billing needs the
		// record first) and any server made was deleted by the request.
		if err := s.Store.ReleaseOrder(ctx, c.UserID, c.Key); err != nil {
			return false, err
		}
		st.Released++
		return true, nil
	}
	o := &panel.ServerOrder{UserID: c.UserID, Key: c.Key, RequestHash: c.RequestHash, Status: panel.OrderFailed,
		ServerID: c.ServerID, Error: "the order did not complete", CreatedAt: c.CreatedAt}
	bs, err := s.Store.BilledServer(ctx, c.ServerID)
	if err != nil && !isCode(err, panel.ENOTFOUND) {
		return false, err
	}
	if err == nil && bs.Status == panel.BilledActive {
		state, err := s.Host.BuildState(ctx, c.ServerID)
		if err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
			return false, err
		}
		if state == panel.ProvisionBuilding || state == panel.ProvisionComplete {
			// Built and paid for: the customer has their server (its root
			// password was shown once, or is reset from the panel).
			result, _ := json.Marshal(&panel.Server{ID: bs.ServerID, Name: bs.Name, Provisioning: state,
				Power: panel.PowerUnknown, IPv4: []string{}, IPv6: []string{}})
			o.Status, o.Result, o.Error = panel.OrderDone, result, ""
			// Built after all: the customer hears so once, like any order.
			req := OrderRequest{Name: bs.Name, PackageID: bs.PackageID}
			if o.Notify, err = s.builtNotes(ctx, c.UserID, &panel.Server{ID: bs.ServerID}, req,
				panel.Price{HourlyMinor: bs.HourlyMinor}); err != nil {
				return false, err
			}
			if err := s.Store.UpdateOrder(ctx, o); err != nil {
				return false, err
			}
			st.Completed++
			return true, nil
		}
	}
	if err := s.Store.UpdateOrder(ctx, o); err != nil {
		return false, err
	}
	c.Status = panel.OrderFailed
	return false, nil
}
