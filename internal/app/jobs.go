package app

import (
	"context"
	"encoding/json"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/jobs"
)

// Jobs builds the scheduled jobs function's handler (EventBridge sends any
// JSON; it is ignored): internal/jobs.Run over this function's stores.
func Jobs(d *Deps) (JobHandler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	events := dynamo.NewServerEvents(d.Store)
	ledger := dynamo.NewLedger(d.Store)
	return func(ctx context.Context, _ json.RawMessage) error {
		return jobs.Run(ctx, jobs.Deps{Billing: svc, Events: events, Cleanups: ledger})
	}, nil
}
