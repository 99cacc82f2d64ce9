package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// BillingRuns stores billing run summaries: one item per run under the
// fixed partition BILLRUNS, sort key RUN#<start>#<trigger>, kept for
// BillingRunRetention. Shards add their counts with ADD, so the shards of
// one run, charged by different invocations, add up in one item.
type BillingRuns struct{ Store }

var _ panel.BillingRunStore = (*BillingRuns)(nil)

// NewBillingRuns returns the billing run store.
func NewBillingRuns(s Store) *BillingRuns { return &BillingRuns{s} }

// BillingRunRetention is how long run summaries are kept.
const BillingRunRetention = 90 * 24 * time.Hour

// maxRunFailures bounds the failures one shard adds to its run's item.
const maxRunFailures = 10

type billingRunItem struct {
	SK             string                    `dynamodbav:"SK"`
	StartedAt      time.Time                 `dynamodbav:"startedAt"`
	ChargedThrough time.Time                 `dynamodbav:"chargedThrough"`
	Trigger        string                    `dynamodbav:"trigger"`
	By             string                    `dynamodbav:"by"`
	Shards         int                       `dynamodbav:"shards"`
	Servers        int                       `dynamodbav:"servers"`
	ServersCharged int                       `dynamodbav:"serversCharged"`
	ServersFailed  int                       `dynamodbav:"serversFailed"`
	Stopped        int                       `dynamodbav:"stopped"`
	HoursCharged   int                       `dynamodbav:"hoursCharged"`
	Duplicates     int                       `dynamodbav:"duplicates"`
	ChargedMinor   int64                     `dynamodbav:"chargedMinor"`
	DurationMs     int64                     `dynamodbav:"durationMs"`
	Failures       []panel.BillingRunFailure `dynamodbav:"failures"`
}

func billingRunSK(started time.Time, trigger string) string {
	return skBillingRun + started.UTC().Format(auditTime) + "#" + trigger
}

// AddBillingRun adds r's counts and failures to its run's item.
func (b *BillingRuns) AddBillingRun(ctx context.Context, r panel.BillingRun) error {
	if r.StartedAt.IsZero() || r.Trigger == "" {
		return fmt.Errorf("dynamo: add billing run: no start or trigger")
	}
	fails := r.Failures
	if len(fails) > maxRunFailures {
		fails = fails[:maxRunFailures]
	}
	if fails == nil {
		fails = []panel.BillingRunFailure{}
	}
	fl, err := attributevalue.Marshal(fails)
	if err != nil {
		return fmt.Errorf("dynamo: marshal billing run failures: %w", err)
	}
	_, err = b.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &b.Table,
		Key: Key(pkBillingRuns, billingRunSK(r.StartedAt, r.Trigger)),
		UpdateExpression: aws.String("SET #st = :st, #ct = :ct, #tr = :tr, #by = :by, #exp = :exp, " +
			"#fl = list_append(if_not_exists(#fl, :none), :fl) " +
			"ADD #sh :one, #sv :sv, #sc :sc, #sf :sf, #sp :sp, #hc :hc, #dp :dp, #cm :cm, #ms :ms"),
		ExpressionAttributeNames: map[string]string{"#st": "startedAt", "#ct": "chargedThrough", "#tr": "trigger",
			"#by": "by", "#exp": "expiresAt", "#fl": "failures", "#sh": "shards", "#sv": "servers", "#sc": "serversCharged",
			"#sf": "serversFailed", "#sp": "stopped", "#hc": "hoursCharged", "#dp": "duplicates", "#cm": "chargedMinor", "#ms": "durationMs"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":st": S(r.StartedAt.UTC().Format(time.RFC3339Nano)), ":ct": S(r.ChargedThrough.UTC().Format(time.RFC3339Nano)),
			":tr": S(r.Trigger), ":by": S(r.By), ":exp": N(r.StartedAt.Add(BillingRunRetention).Unix()),
			":none": &types.AttributeValueMemberL{}, ":fl": fl, ":one": N(1),
			":sv": N(int64(r.Servers)), ":sc": N(int64(r.ServersCharged)), ":sf": N(int64(r.ServersFailed)),
			":sp": N(int64(r.Stopped)), ":hc": N(int64(r.HoursCharged)), ":dp": N(int64(r.Duplicates)),
			":cm": N(r.ChargedMinor), ":ms": N(r.DurationMs)},
	})
	if err != nil {
		return storeErr("add billing run", err)
	}
	return nil
}

// BillingRuns lists runs, newest first, limit (1–100, default 25) a page.
func (b *BillingRuns) BillingRuns(ctx context.Context, cursor string, limit int) ([]panel.BillingRun, string, error) {
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	in := &dynamodb.QueryInput{TableName: &b.Table, KeyConditionExpression: aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pkBillingRuns)},
		ScanIndexForward:          aws.Bool(false), Limit: aws.Int32(int32(limit))}
	if cursor != "" {
		sk, ok := decodeCursor(cursor, skBillingRun, auditTime)
		if !ok {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = Key(pkBillingRuns, sk)
	}
	out, err := b.DB.Query(ctx, in)
	if err != nil {
		return nil, "", storeErr("list billing runs", err)
	}
	runs := make([]panel.BillingRun, 0, len(out.Items))
	for _, av := range out.Items {
		var it billingRunItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("dynamo: unmarshal billing run: %w", err)
		}
		r := panel.BillingRun{ID: it.SK[len(skBillingRun):], StartedAt: it.StartedAt, ChargedThrough: it.ChargedThrough,
			Trigger: it.Trigger, By: it.By, Shards: it.Shards, Servers: it.Servers, ServersCharged: it.ServersCharged,
			ServersFailed: it.ServersFailed, Stopped: it.Stopped, HoursCharged: it.HoursCharged, Duplicates: it.Duplicates,
			ChargedMinor: it.ChargedMinor, DurationMs: it.DurationMs, Failures: it.Failures}
		r.Skipped = max(r.Servers-r.ServersCharged-r.ServersFailed-r.Stopped, 0)
		if r.Failures == nil {
			r.Failures = []panel.BillingRunFailure{}
		}
		runs = append(runs, r)
	}
	next := ""
	if out.LastEvaluatedKey != nil && len(runs) == limit {
		next = encodeCursor(skBillingRun + runs[len(runs)-1].ID)
	}
	return runs, next, nil
}
