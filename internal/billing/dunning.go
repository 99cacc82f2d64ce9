package billing

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// DunningPolicy says when customers are warned, and when the servers of a
// customer who does not pay are deleted. Zero fields take the defaults.
type DunningPolicy struct {
	// WarnHours are the runways (hours of balance at the current spend)
	// warned of, largest first; default 72 and 24.
	WarnHours []int
	// Grace is how long servers stay suspended before the final warning;
	// default 7 days.
	Grace time.Duration
	// FinalNotice is how long after the final warning they are deleted;
	// default 2 days.
	FinalNotice time.Duration
}

// Default dunning settings.
const (
	DefaultDunningGrace       = 7 * 24 * time.Hour
	DefaultDunningFinalNotice = 48 * time.Hour
)

func (p DunningPolicy) warnHours() []int {
	if len(p.WarnHours) == 0 {
		return []int{72, 24}
	}
	return p.WarnHours
}

func (p DunningPolicy) grace() time.Duration {
	if p.Grace <= 0 {
		return DefaultDunningGrace
	}
	return p.Grace
}

func (p DunningPolicy) finalNotice() time.Duration {
	if p.FinalNotice <= 0 {
		return DefaultDunningFinalNotice
	}
	return p.FinalNotice
}

// DeleteAfter is when the servers of a customer in state d are deleted if
// the balance stays negative; zero when they are not suspended.
func (p DunningPolicy) DeleteAfter(d *panel.Dunning) time.Time {
	switch {
	case d.SuspendedAt.IsZero():
		return time.Time{}
	case !d.FinalWarnedAt.IsZero():
		return d.FinalWarnedAt.Add(p.finalNotice())
	}
	return d.SuspendedAt.Add(p.grace() + p.finalNotice())
}

func mailTime(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }

// dun moves a customer along the dunning policy after their suspension was
// reconciled: low-balance warnings, the suspended and unsuspended mails,
// the final warning after the grace period, then deletion. Each step is
// saved with its message in one conditional write (panel.DunningStore),
// so a step and its message happen once however often this runs; the
// deletion is saved first and carried out after, until it is done.
func (s *Service) dun(ctx context.Context, userID string, balance int64, servers []*panel.BilledServer) {
	s = s.Effective(ctx)
	if err := s.dunOnce(ctx, userID, balance, servers); err != nil {
		s.log(ctx).Error("billing: dunning", "user", userID, "err", err)
	}
}

func (s *Service) dunOnce(ctx context.Context, userID string, balance int64, servers []*panel.BilledServer) error {
	d, err := s.Store.Dunning(ctx, userID)
	if err != nil {
		return err
	}
	var active []*panel.BilledServer
	burn, suspended := int64(0), false
	for _, sv := range servers {
		if sv.Status == panel.BilledActive {
			active = append(active, sv)
			burn += sv.HourlyMinor + sv.AddonsHourlyMinor()
			suspended = suspended || sv.Suspended
		}
	}
	now := s.now()
	next := *d
	type step struct {
		kind  panel.NotificationKind
		cause string
		data  map[string]string
	}
	var steps []step
	bal := Money(balance, s.Currency)
	susp := strconv.FormatInt(d.SuspendedAt.Unix(), 10)
	switch {
	case balance < 0 && suspended && d.SuspendedAt.IsZero():
		next.SuspendedAt, next.FinalWarnedAt, next.DeletedAt = now, time.Time{}, time.Time{}
		steps = append(steps, step{panel.NotifySuspended, userID + "#" + strconv.FormatInt(now.Unix(), 10),
			map[string]string{"balance": bal, "deleteAt": mailTime(s.Dunning.DeleteAfter(&next))}})
	case balance >= 0 && !d.SuspendedAt.IsZero():
		next.SuspendedAt, next.FinalWarnedAt, next.DeletedAt = time.Time{}, time.Time{}, time.Time{}
		if d.DeletedAt.IsZero() && len(active) > 0 {
			steps = append(steps, step{panel.NotifyUnsuspended, userID + "#" + susp, map[string]string{"balance": bal}})
		}
	case balance < 0 && !d.SuspendedAt.IsZero() && d.FinalWarnedAt.IsZero() && len(active) > 0 &&
		!now.Before(d.SuspendedAt.Add(s.Dunning.grace())):
		next.FinalWarnedAt = now
		steps = append(steps, step{panel.NotifyDeletionScheduled, userID + "#" + susp,
			map[string]string{"balance": bal, "deleteAt": mailTime(s.Dunning.DeleteAfter(&next))}})
	case balance < 0 && !d.FinalWarnedAt.IsZero() && d.DeletedAt.IsZero() && !now.Before(s.Dunning.DeleteAfter(d)):
		next.DeletedAt = now
		for _, sv := range active {
			id := strconv.FormatInt(sv.ServerID, 10)
			steps = append(steps, step{panel.NotifyDeleted, id,
				map[string]string{"serverName": sv.Name, "reason": "the balance stayed below zero after the final notice"}})
		}
	}
	// Runway warnings, while the balance is not negative.
	level := 0
	if balance >= 0 && burn > 0 {
		for _, h := range s.Dunning.warnHours() {
			if balance < burn*int64(h) {
				level = h
			}
		}
	}
	switch {
	case level != 0 && (next.WarnedHours == 0 || level < next.WarnedHours):
		next.WarnedHours = level
		steps = append(steps, step{panel.NotifyLowBalance, fmt.Sprintf("%s#%d#%d", userID, next.LowEpisode, level),
			map[string]string{"hours": strconv.Itoa(level), "balance": bal,
				"runsOutAt": mailTime(now.Add(time.Duration(balance/burn) * time.Hour))}})
	case level == 0 && balance >= 0 && next.WarnedHours != 0:
		next.WarnedHours, next.LowEpisode = 0, next.LowEpisode+1 // a new period warns again
	}
	if next != *d {
		var notes []panel.Notification
		for _, st := range steps {
			n, ok, err := s.note(ctx, userID, st.kind, st.cause, st.data)
			if err != nil {
				return err
			}
			if ok {
				notes = append(notes, n)
			}
		}
		if err := s.Store.SaveDunning(ctx, &next, notes); err != nil {
			return err
		}
		for _, st := range steps {
			s.log(ctx).Info("billing: dunning", "event", "billing.dunning."+string(st.kind), "user", userID, "cause", st.cause)
			s.audit(ctx, userID, panel.DunningActivity(st.kind), st.cause)
		}
	}
	if !next.DeletedAt.IsZero() && next.SuspendedAt.Equal(d.SuspendedAt) {
		s.deleteForNonPayment(ctx, userID, active)
	}
	return nil
}

// deleteForNonPayment deletes the servers of a customer whose deletion is
// saved; what fails is tried again by the next run.
func (s *Service) deleteForNonPayment(ctx context.Context, userID string, active []*panel.BilledServer) {
	for _, sv := range active {
		err := s.Host.DeleteServer(ctx, sv.ServerID)
		if err != nil && panel.ErrorCode(err) != panel.ENOTFOUND {
			s.log(ctx).Error("billing: delete server for non-payment", "server", sv.ServerID, "err", err)
			continue
		}
		if _, changed, err := s.Store.StopServer(ctx, sv.ServerID, s.now(), "deleted for non-payment"); err != nil {
			s.log(ctx).Error("billing: stop server deleted for non-payment", "server", sv.ServerID, "err", err)
		} else if changed {
			s.log(ctx).Warn("billing: server deleted for non-payment", "user", userID, "server", sv.ServerID)
			s.audit(ctx, userID, panel.ActServerDeletedNonPayment, serverRef(sv.ServerID))
		}
	}
}

// audit records a dunning step in the customer's activity log.
func (s *Service) audit(ctx context.Context, userID string, action panel.ActivityKind, target string) {
	if s.Audit == nil {
		return
	}
	err := s.Audit.RecordAudit(ctx, panel.AuditEntry{UserID: userID, Actor: "billing", Action: action, Target: target,
		Outcome: panel.OutcomeOK, Detail: "dunning policy", At: s.now()})
	if err != nil {
		s.log(ctx).Error("billing: audit", "action", action, "err", err)
	}
}
