package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Batch sizes of the small sub-jobs per run; what is left waits for the
// next run.
const (
	jobEventBatch   = 500
	jobCleanupBatch = 100
)

// Jobs builds the scheduled jobs function's handler (EventBridge sends any
// JSON; it is ignored). Each run:
//   - re-delivers VirtFusion webhook events billing did not accept,
//   - settles orders that did not reach a final state: stuck pending ones
//     (completed, or released, or undone) and failed ones whose undo did
//     not finish (refunded once, server deleted),
//   - runs the hourly billing.
//
// Events go first so a server deleted in VirtFusion stops billing before
// the hourly charge. Each sub-job logs its counts; one failing does not
// stop the others, but the run then returns an error so the alarm fires
// (the next run catches up).
//
// With SHARD_QUEUE_URL set (in AWS) the hourly billing is only planned here:
// its shards go to SQS and the billing-shard function charges them.
func Jobs(d *Deps) (func(ctx context.Context, event json.RawMessage) error, error) {
	q, err := shardQueueFromEnv(context.Background(), d)
	if err != nil {
		return nil, err
	}
	return JobsWith(d, q)
}

// JobsWith is Jobs with the hourly run's shards sent to q (nil: the run
// charges in this process).
func JobsWith(d *Deps, q ShardQueue) (func(ctx context.Context, event json.RawMessage) error, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	events := dynamo.NewServerEvents(d.Store)
	ledger := dynamo.NewLedger(d.Store)
	return func(ctx context.Context, _ json.RawMessage) error {
		return RunJobs(ctx, JobDeps{Billing: svc, Events: events, Cleanups: ledger, Shards: q})
	}, nil
}

// JobDeps are what one jobs run uses.
type JobDeps struct {
	Billing  *billing.Service
	Events   panel.ServerEventStore
	Cleanups panel.OrderCleanups
	// Hourly, when set, replaces Billing.RunHourly (tests).
	Hourly func(ctx context.Context) (billing.RunStats, error)
	// Shards, when set, takes the hourly run's shards instead of charging
	// them here.
	Shards ShardQueue
}

// RunJobs runs every sub-job once, in order, and joins their errors.
func RunJobs(ctx context.Context, d JobDeps) error {
	hourly := d.Hourly
	if hourly == nil && d.Shards != nil {
		hourly = func(ctx context.Context) (billing.RunStats, error) {
			st, n, err := EnqueueHourly(ctx, d.Billing, d.Shards)
			slog.InfoContext(ctx, "jobs: hourly billing queued", "shards", n)
			return st, err
		}
	}
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
		{"hourly-billing", func(ctx context.Context) ([]any, error) {
			st, err := hourly(ctx)
			return []any{"servers", st.Servers, "users", st.Users, "charged", st.Charged, "duplicates", st.Duplicates,
				"stopped", st.Stopped, "failed", st.Failed, "chargedMinor", st.ChargedMinor, "durationMs", st.DurationMs}, err
		}},
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
