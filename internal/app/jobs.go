package app

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/betterstack"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/jobs"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// Jobs builds the scheduled jobs function's handler. EventBridge sends
// {"job": <schedule name>}: the metrics schedule samples server metrics;
// any other runs internal/jobs.Run over this function's stores.
//
// With SHARD_QUEUE_URL set (in AWS) the hourly billing is only planned here:
// its shards go to SQS and the billing-shard function charges them.
func Jobs(d *Deps) (JobHandler, error) {
	q, err := shardQueueFromEnv(context.Background(), d)
	if err != nil {
		return nil, err
	}
	return JobsWith(d, q)
}

// JobsWith is Jobs with the hourly run's shards sent to q (nil: the run
// charges in this process).
func JobsWith(d *Deps, q ShardQueue) (JobHandler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	ledger := dynamo.NewLedger(d.Store)
	jd := jobs.Deps{Billing: svc, Events: dynamo.NewServerEvents(d.Store), Cleanups: ledger,
		Heartbeat: betterstack.Heartbeat{URL: d.Config.BillingHeartbeatURL}, Runs: dynamo.NewStatus(d.Store)}
	if d.Config.SMTPHost != "" { // required in AWS (config.NeedMail); a local run may have no mail
		sender, err := NotifySender(d)
		if err != nil {
			return nil, err
		}
		jd.Sweep = func(ctx context.Context) error { return NotifySweep(ctx, sender) }
	}
	if q != nil {
		jd.Hourly = func(ctx context.Context) (billing.RunStats, error) {
			st, n, err := EnqueueHourly(ctx, svc, q)
			slog.InfoContext(ctx, "jobs: hourly billing queued", "shards", n)
			return st, err
		}
	}
	vf, err := VirtFusion(d)
	if err != nil {
		return nil, err
	}
	sample := servers.SampleDeps{
		Servers: func(ctx context.Context) ([]int64, error) {
			active, err := ledger.ActiveServers(ctx)
			ids := make([]int64, 0, len(active))
			for _, s := range active {
				ids = append(ids, s.ServerID)
			}
			return ids, err
		},
		Live:   vf.GetServer,
		Store:  dynamo.NewMetrics(d.Store),
		Now:    d.Store.Clock,
		Alerts: AlertEvaluator(d, vf),
	}
	return func(ctx context.Context, event json.RawMessage) error {
		var ev struct {
			Job string `json:"job"`
		}
		_ = json.Unmarshal(event, &ev)
		if ev.Job == routes.MetricsSampleJob {
			st, err := servers.SampleMetrics(ctx, sample)
			slog.InfoContext(ctx, "jobs: metrics sampled", "servers", st.Servers, "sampled", st.Sampled,
				"stopped", st.Stopped, "failed", st.Failed, "alertsFired", st.Fired, "durationMs", st.Duration.Milliseconds(), "err", err)
			return err
		}
		return jobs.Run(ctx, jd)
	}, nil
}
