package app

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// Function is how one deployed function is built: exactly one of HTTP (an
// API Gateway function), Job (EventBridge), Stream (the table's stream) or
// Queue (an SQS queue of routes.Queues).
type Function struct {
	HTTP   func(d *Deps) (http.Handler, error)
	Job    func(d *Deps) (JobHandler, error)
	Stream func(d *Deps) (StreamHandler, error)
	Queue  func(d *Deps) (ShardHandler, error)
}

// JobHandler handles one EventBridge invocation (any JSON; ignored).
type JobHandler = func(ctx context.Context, event json.RawMessage) error

// StreamHandler handles one batch of the table's stream.
type StreamHandler = func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error)

// Functions is every deployed function by name: the local runner serves
// them and a test checks them against the route table. Each main names
// only its own (Run), so a function's binary links only its own code: a
// package-level map of every builder would link all of them into each.
func Functions() map[string]Function {
	return map[string]Function{
		"health":   {HTTP: Health},
		"auth":     {HTTP: Auth},
		"servers":  {HTTP: Servers},
		"catalog":  {HTTP: Catalog},
		"billing":  {HTTP: Billing},
		"admin":    {HTTP: Admin},
		"webhooks": {HTTP: Webhooks},
		"jobs":     {Job: Jobs},
		"notify":   {Stream: Notify},
		"support":  {HTTP: Support},

		"billingshard": {Queue: BillingShard},
	}
}

// ConfigNeeds are the config sections a function checks at start-up,
// derived from what its routes, schedules and streams need
// (routes.NeedsOf, from which the stack also grants its secrets).
func ConfigNeeds(function string) []string {
	n := routes.NeedsOf(function)
	var out []string
	if function == "health" {
		// The deep check reports a dependency that is not set up as
		// "unconfigured"; health starts with the table alone.
		if n.Table > routes.TableNone {
			out = append(out, config.NeedTable)
		}
		return out
	}
	if n.Table > routes.TableNone {
		out = append(out, config.NeedTable)
	}
	for _, s := range n.Secrets {
		switch s {
		case routes.SecretVirtFusion:
			out = append(out, config.NeedVirtFusion)
		case routes.SecretAuth0:
			out = append(out, config.NeedAuth0)
		case routes.SecretPayPal:
			out = append(out, config.NeedPayPal)
		case routes.SecretSMTP:
			out = append(out, config.NeedMail)
		}
		// session and origin are checked with auth0 and are optional
		// respectively; discord is optional.
	}
	if n.SignedIn {
		out = append(out, config.NeedAuth0Token)
	}
	return out
}
