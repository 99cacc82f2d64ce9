package panel

import (
	"context"
	"time"
)

// BillingRun is the summary of one hourly billing run (or an
// administrator's re-run of an hour), added up over its shards.
type BillingRun struct {
	// ID is the run's start, RFC 3339 with nanoseconds: unique per run.
	ID string `json:"id"`
	// StartedAt is when the run was planned; ChargedThrough the run's
	// clock: hours starting up to it were due.
	StartedAt      time.Time `json:"startedAt"`
	ChargedThrough time.Time `json:"chargedThrough"`
	// Trigger is "schedule", or "rerun" for an administrator's re-run.
	Trigger string `json:"trigger" enum:"schedule,rerun"`
	// By is the administrator who asked for a re-run.
	By     string `json:"by,omitempty"`
	Shards int    `json:"shards"` // shard results recorded (a re-delivered shard counts again)
	// Servers is how many active servers the shards covered; of them
	// ServersCharged were charged at least one hour, ServersFailed were in
	// a failed customer group, Stopped were found gone in VirtFusion; the
	// rest were skipped (nothing due: charged before).
	Servers        int   `json:"servers"`
	ServersCharged int   `json:"serversCharged"`
	ServersFailed  int   `json:"serversFailed"`
	Skipped        int   `json:"skipped"`
	Stopped        int   `json:"stopped"`
	HoursCharged   int   `json:"hoursCharged"`
	Duplicates     int   `json:"duplicates"` // hours a concurrent run charged first
	ChargedMinor   int64 `json:"chargedMinor"`
	DurationMs     int64 `json:"durationMs"`
	// Failures are the errors of the run (at most a few per shard).
	Failures []BillingRunFailure `json:"failures"`
}

// BillingRunFailure is one failed part of a billing run.
type BillingRunFailure struct {
	Users   []string `json:"users"` // the customers whose charge failed; empty when the whole run failed
	Code    string   `json:"code"`
	Message string   `json:"message"`
}

// BillingRunStore keeps the billing runs' summaries.
type BillingRunStore interface {
	// AddBillingRun adds one shard's counts and failures to run r.ID
	// (creating it), so shards run by different functions add up.
	AddBillingRun(ctx context.Context, r BillingRun) error
	// BillingRuns lists runs, newest first; cursor from the previous page.
	BillingRuns(ctx context.Context, cursor string, limit int) ([]BillingRun, string, error)
}
