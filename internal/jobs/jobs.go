// Package jobs is the scheduled jobs function's work: each run re-delivers
// VirtFusion webhook events billing did not accept, retries deleting the
// servers of failed orders whose undo failed, and runs the hourly billing.
//
// Events go first so a server deleted in VirtFusion stops billing before
// the hourly charge. Each sub-job logs its counts; one failing does not
// stop the others, but the run then returns an error so the alarm fires
// (the next run catches up).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/api/status"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Batch sizes of the small sub-jobs per run; what is left waits for the
// next run.
const (
	jobEventBatch   = 500
	jobCleanupBatch = 100
)

// Deps are what one jobs run uses.
type Deps struct {
	Billing  *billing.Service
	Events   panel.ServerEventStore
	Cleanups panel.OrderCleanups
	// Hourly, when set, replaces Billing.RunHourly (tests).
	Hourly func(ctx context.Context) (billing.RunStats, error)
	// Sweep, when set, sends the notifications whose retry is due.
	Sweep func(ctx context.Context) error
	// Heartbeat hears of each billing run: a beat after a successful one,
	// a failure report after a failed one (Better Stack; nil: none).
	Heartbeat Heartbeat
	// Runs, when set, records each billing run for the public status.
	Runs interface {
		RecordJobRun(ctx context.Context, name string, at time.Time, ok bool) error
	}
}

// Heartbeat is an uptime monitor's heartbeat (betterstack.Heartbeat).
type Heartbeat interface {
	Beat(ctx context.Context) error
	Fail(ctx context.Context, output string) error
}

// reportBilling tells the heartbeat how the billing run went. A heartbeat
// that cannot be reached is logged, never turned into a failed run: billing
// did its work.
func reportBilling(ctx context.Context, hb Heartbeat, runErr error) {
	if hb == nil {
		return
	}
	send := hb.Beat
	if runErr != nil {
		send = func(ctx context.Context) error {
			return hb.Fail(ctx, "hourly billing failed; see the jobs function's logs")
		}
	}
	if e := send(ctx); e != nil {
		slog.WarnContext(ctx, "jobs: heartbeat not delivered", "err", e)
	}
}

// Run runs every sub-job once, in order, and joins their errors.
func Run(ctx context.Context, d Deps) error {
	hourly := d.Hourly
	if hourly == nil {
		hourly = d.Billing.RunHourly
	}
	jobs := []struct {
		name string
		run  func(ctx context.Context) ([]any, error)
	}{
		{"redeliver-events", func(ctx context.Context) ([]any, error) {
			st, err := servers.RedeliverEvents(ctx, d.Events, d.Billing, jobEventBatch)
			return []any{"pending", st.Pending, "delivered", st.Delivered, "failed", st.Failed}, err
		}},
		{"order-cleanups", func(ctx context.Context) ([]any, error) {
			st, err := d.Billing.RetryOrderCleanups(ctx, d.Cleanups, jobCleanupBatch)
			return []any{"pending", st.Pending, "young", st.Young, "completed", st.Completed, "released", st.Released,
				"deleted", st.Deleted, "failed", st.Failed, "gaveUp", st.GaveUp}, err
		}},
		{"settle-resizes", func(ctx context.Context) ([]any, error) {
			n, err := d.Billing.SettleResizes(ctx)
			return []any{"decided", n}, err
		}},
		{"hourly-billing", func(ctx context.Context) ([]any, error) {
			st, err := hourly(ctx)
			reportBilling(ctx, d.Heartbeat, err)
			if d.Runs != nil {
				if rerr := d.Runs.RecordJobRun(ctx, status.BillingJob, time.Now(), err == nil); rerr != nil {
					slog.WarnContext(ctx, "jobs: record billing run", "err", rerr)
				}
			}
			return []any{"servers", st.Servers, "users", st.Users, "charged", st.Charged, "duplicates", st.Duplicates,
				"stopped", st.Stopped, "failed", st.Failed, "chargedMinor", st.ChargedMinor, "durationMs", st.DurationMs}, err
		}},
		// After the charges: top up the customers they took below their
		// threshold (issue 19, promo).
		{"auto-topup", func(ctx context.Context) ([]any, error) {
			st, err := d.Billing.RunAutoTopups(ctx)
			return []any{"enabled", st.Enabled, "due", st.Due, "fired", st.Fired, "failed", st.Failed}, err
		}},
	}
	if d.Sweep != nil {
		// Last: the messages the other sub-jobs queued go out at once
		// through the stream; this retries the ones that failed before.
		jobs = append(jobs, struct {
			name string
			run  func(ctx context.Context) ([]any, error)
		}{"notify-sweep", func(ctx context.Context) ([]any, error) { return nil, d.Sweep(ctx) }})
	}
	var errs []error
	for _, j := range jobs {
		attrs, err := runJob(ctx, j.run)
		attrs = append([]any{"job", j.name}, attrs...)
		if err != nil {
			slog.ErrorContext(ctx, "jobs: sub-job failed", append(attrs, "err", err)...)
			errs = append(errs, fmt.Errorf("%s: %w", j.name, err))
			continue
		}
		slog.InfoContext(ctx, "jobs: sub-job done", attrs...)
	}
	if d.Billing != nil {
		d.Billing.ReportRunErrors(ctx, errs)
	}
	return errors.Join(errs...)
}

// runJob runs one sub-job, turning a panic into its error so the other
// sub-jobs still run.
func runJob(ctx context.Context, run func(ctx context.Context) ([]any, error)) (attrs []any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return run(ctx)
}
