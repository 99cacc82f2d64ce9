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
	jd := jobs.Deps{Billing: svc, Events: dynamo.NewServerEvents(d.Store), Cleanups: dynamo.NewLedger(d.Store)}
	if d.Config.SMTPHost != "" { // required in AWS (config.NeedMail); a local run may have no mail
		sender, err := NotifySender(d)
		if err != nil {
			return nil, err
		}
		jd.Sweep = func(ctx context.Context) error { return NotifySweep(ctx, sender) }
	}
	return func(ctx context.Context, _ json.RawMessage) error {
		return jobs.Run(ctx, jd)
	}, nil
}
