package billing

import (
	"context"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Triggers of a billing run (panel.BillingRun.Trigger).
const (
	TriggerSchedule = "schedule"
	TriggerRerun    = "rerun"
)

// maxFailureMessage bounds a recorded failure's message.
const maxFailureMessage = 300

// runFailure describes a failed customer group (users nil: the whole run).
// The message is what the error says: the page is for administrators.
func runFailure(users []string, err error) panel.BillingRunFailure {
	msg := err.Error()
	if len(msg) > maxFailureMessage {
		msg = msg[:maxFailureMessage] + "…"
	}
	if users == nil {
		users = []string{}
	}
	return panel.BillingRunFailure{Users: users, Code: panel.ErrorCode(err), Message: msg}
}

// recordRun adds one shard's outcome to its run's summary. A summary that
// cannot be written is logged: the charges stand either way.
func (s *Service) recordRun(ctx context.Context, sh Shard, st RunStats, failures []panel.BillingRunFailure) {
	if s.Runs == nil {
		return
	}
	r := panel.BillingRun{StartedAt: sh.Started, ChargedThrough: sh.Run, Trigger: sh.Trigger, By: sh.By,
		Servers: st.Servers, ServersCharged: st.ServersCharged, ServersFailed: st.ServersFailed, Stopped: st.Stopped,
		HoursCharged: st.Charged, Duplicates: st.Duplicates, ChargedMinor: st.ChargedMinor, DurationMs: st.DurationMs,
		Failures: failures}
	if r.StartedAt.IsZero() {
		r.StartedAt = sh.Run
	}
	if r.Trigger == "" {
		r.Trigger = TriggerSchedule
	}
	// A cancelled run is recorded all the same: that is when it matters.
	if err := s.Runs.AddBillingRun(context.WithoutCancel(ctx), r); err != nil {
		s.log(ctx).Error("billing: record run summary", "run", r.StartedAt, "err", err)
	}
}

// recordPlanFailure records a run that failed before any shard ran.
func (s *Service) recordPlanFailure(ctx context.Context, started time.Time, trigger, by string, err error) {
	s.recordRun(ctx, Shard{Run: started, Started: started, Trigger: trigger, By: by}, RunStats{},
		[]panel.BillingRunFailure{runFailure(nil, err)})
}

// RerunHour charges, for every active server, each unbilled hour that
// started up to hour (truncated to the hour; it must have started), as one
// shard recorded as a re-run by admin. It is the hourly run with an
// earlier clock, so it charges nothing twice: an hour a run already
// charged is behind the server's cursor, which the charge's condition
// checks. Hours after hour wait for the next scheduled run.
func (s *Service) RerunHour(ctx context.Context, hour time.Time, admin string) (RunStats, error) {
	start := time.Now()
	now := s.now()
	hour = hour.UTC().Truncate(time.Hour)
	if hour.After(now) {
		return RunStats{}, panel.Invalid(map[string]string{"hour": "Choose an hour that has started."})
	}
	servers, err := s.Store.ActiveServers(ctx)
	if err != nil {
		s.recordPlanFailure(ctx, now, TriggerRerun, admin, err)
		return RunStats{}, err
	}
	st, err := s.RunShard(ctx, Shard{Run: hour, Servers: servers, Started: now, Trigger: TriggerRerun, By: admin})
	st.DurationMs = time.Since(start).Milliseconds()
	return st, err
}
