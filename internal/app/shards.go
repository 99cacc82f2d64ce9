package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/awsenv"
	"github.com/vfpanel/vfpanel/internal/awsjson"
	"github.com/vfpanel/vfpanel/internal/billing"
)

// ShardQueueEnv names the SQS queue URL the jobs function sends the hourly
// run's shards to. Unset (as locally, unless the runner gives a queue), the
// jobs function runs the hourly billing itself.
const ShardQueueEnv = "SHARD_QUEUE_URL"

// ShardQueue takes the shards of an hourly run: SQS in AWS, an in-process
// queue in the local runner. Each shard reaches BillingShard at least once.
type ShardQueue interface {
	Enqueue(ctx context.Context, shards []billing.Shard) error
}

// ShardHandler is the billing-shard function's handler: SQS records in,
// the records to deliver again out.
type ShardHandler func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error)

// BillingShard builds the billing-shard function: each SQS record is one
// billing.Shard, run with RunShard. A shard that fails is reported back for
// SQS to deliver again (after its visibility timeout; after maxReceiveCount
// tries it goes to the dead-letter queue). Delivering a shard again is safe:
// what is due is decided by each server's billing cursor, in the charge's
// condition.
func BillingShard(d *Deps) (ShardHandler, error) {
	svc, err := BillingService(d)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		var resp events.SQSEventResponse
		for _, rec := range ev.Records {
			sh, err := decodeShard(rec.Body)
			if err != nil {
				// Not ours and never will be: retrying cannot help, so drop it loudly.
				slog.ErrorContext(ctx, "billing-shard: undecodable shard dropped", "messageId", rec.MessageId, "err", err)
				continue
			}
			st, err := svc.RunShard(ctx, sh)
			attrs := []any{"messageId", rec.MessageId, "receiveCount", rec.Attributes["ApproximateReceiveCount"],
				"servers", st.Servers, "users", st.Users, "charged", st.Charged, "duplicates", st.Duplicates,
				"stopped", st.Stopped, "failed", st.Failed, "ms", st.DurationMs}
			if err != nil {
				slog.ErrorContext(ctx, "billing-shard: shard failed; SQS delivers it again", append(attrs, "err", err)...)
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: rec.MessageId})
				continue
			}
			slog.InfoContext(ctx, "billing-shard: shard done", attrs...)
		}
		return resp, nil
	}, nil
}

// EnqueueHourly plans the hourly run into shards (billing.ShardCustomers
// customers, billing.ShardServers servers at most) and queues them.
func EnqueueHourly(ctx context.Context, svc *billing.Service, q ShardQueue) (billing.RunStats, int, error) {
	shards, err := svc.PlanHourly(ctx, billing.ShardCustomers, billing.ShardServers)
	if err != nil {
		return billing.RunStats{}, 0, err
	}
	var st billing.RunStats
	for _, sh := range shards {
		st.Servers += len(sh.Servers)
		st.Users += sh.Customers()
	}
	return st, len(shards), q.Enqueue(ctx, shards)
}

// SQSShardQueue sends shards to an SQS queue, ten per SendMessageBatch.
type SQSShardQueue struct {
	Client *awsjson.Client
	URL    string
}

// NewSQSShardQueue returns the queue at url, with the function's credentials.
func NewSQSShardQueue(ctx context.Context, region, url string) (*SQSShardQueue, error) {
	cfg, err := awsenv.Config(region)
	if err != nil {
		return nil, fmt.Errorf("sqs: %w", err)
	}
	return &SQSShardQueue{Client: &awsjson.Client{Config: cfg, Service: "sqs", TargetPrefix: "AmazonSQS", JSONVersion: "1.0"}, URL: url}, nil
}

// Enqueue sends every shard; it fails if any is not accepted (the run then
// fails, alarms, and the next hourly run plans again, harmlessly).
func (q *SQSShardQueue) Enqueue(ctx context.Context, shards []billing.Shard) error {
	for start := 0; start < len(shards); start += 10 {
		type entry struct{ Id, MessageBody string }
		var entries []entry
		for i, sh := range shards[start:min(start+10, len(shards))] {
			body, err := json.Marshal(sh)
			if err != nil {
				return err
			}
			entries = append(entries, entry{Id: strconv.Itoa(i), MessageBody: string(body)})
		}
		var out struct {
			Failed []struct{ Id, Code, Message string }
		}
		in := struct {
			QueueUrl string
			Entries  []entry
		}{q.URL, entries}
		if err := q.Client.Call(ctx, "SendMessageBatch", in, &out); err != nil {
			return fmt.Errorf("sqs: send shards: %w", err)
		}
		if len(out.Failed) > 0 {
			return fmt.Errorf("sqs: %d of %d shards not accepted (first: %s %s)", len(out.Failed), len(entries), out.Failed[0].Code, out.Failed[0].Message)
		}
	}
	return nil
}

// LocalShardQueue is the local runner's stand-in for SQS: it hands each
// shard, as an events.SQSEvent of one record like the event source mapping
// sends, to the same handler the billing-shard function runs, and delivers
// a failed record again up to MaxReceives times (SQS's maxReceiveCount),
// then logs it as dead-lettered.
type LocalShardQueue struct {
	Handle      ShardHandler
	MaxReceives int
	seq         int
}

// Enqueue delivers every shard now, in order.
func (q *LocalShardQueue) Enqueue(ctx context.Context, shards []billing.Shard) error {
	maxReceives := max(q.MaxReceives, 1)
	for _, sh := range shards {
		body, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		q.seq++
		id := fmt.Sprintf("local-%d", q.seq)
		for receive := 1; ; receive++ {
			resp, err := q.Handle(ctx, events.SQSEvent{Records: []events.SQSMessage{{
				MessageId: id, Body: string(body), EventSource: "aws:sqs",
				Attributes: map[string]string{"ApproximateReceiveCount": strconv.Itoa(receive)},
			}}})
			if err == nil && len(resp.BatchItemFailures) == 0 {
				break
			}
			if receive >= maxReceives || ctx.Err() != nil {
				slog.ErrorContext(ctx, "local: shard dead-lettered", "messageId", id, "receives", receive, "err", err)
				break
			}
		}
	}
	return nil
}

// shardQueueFromEnv returns the SQS shard queue the environment names, or nil.
func shardQueueFromEnv(ctx context.Context, d *Deps) (ShardQueue, error) {
	url := os.Getenv(ShardQueueEnv)
	if url == "" {
		return nil, nil
	}
	return NewSQSShardQueue(ctx, d.Config.Region, url)
}

// decodeShard reads one SQS message body: a billing.Shard with its run
// clock and only well-formed servers (an ID and an owner each).
func decodeShard(body string) (billing.Shard, error) {
	var sh billing.Shard
	if err := json.Unmarshal([]byte(body), &sh); err != nil {
		return sh, fmt.Errorf("shard: %w", err)
	}
	if sh.Run.IsZero() {
		return sh, fmt.Errorf("shard: no run time")
	}
	for i, sv := range sh.Servers {
		if sv == nil || sv.ServerID <= 0 || sv.UserID == "" {
			return sh, fmt.Errorf("shard: server %d has no id or owner", i)
		}
	}
	return sh, nil
}
