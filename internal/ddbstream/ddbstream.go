// Package ddbstream reads a DynamoDB table's stream, as the local runner
// needs for DynamoDB Local, and hands the records to a stream handler in
// the events.DynamoDBEvent shape Lambda uses, with Lambda's event filter
// (INSERTs of keys with a prefix) and batch item failure semantics. In AWS
// the event source mapping does this; nothing here runs there.
package ddbstream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Handler is a Lambda DynamoDB stream handler.
type Handler func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error)

// NewClient returns a DynamoDB Streams client for a DynamoDB Local endpoint.
func NewClient(ctx context.Context, region, endpoint string) (*dynamodbstreams.Client, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region),
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	if err != nil {
		return nil, fmt.Errorf("ddbstream: aws config: %w", err)
	}
	return dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) {
		o.BaseEndpoint = aws.String(endpoint)
	}), nil
}

// EnableStream turns on the table's NEW_IMAGE stream (as the CDK stack
// does in AWS) unless a stream is on already, and returns its ARN.
func EnableStream(ctx context.Context, db *dynamodb.Client, table string) (string, error) {
	out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &table})
	if err != nil {
		return "", fmt.Errorf("ddbstream: describe %s: %w", table, err)
	}
	if s := out.Table.StreamSpecification; s != nil && aws.ToBool(s.StreamEnabled) {
		return aws.ToString(out.Table.LatestStreamArn), nil
	}
	up, err := db.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: &table,
		StreamSpecification: &ddbtypes.StreamSpecification{StreamEnabled: aws.Bool(true),
			StreamViewType: ddbtypes.StreamViewTypeNewImage}})
	if err != nil {
		return "", fmt.Errorf("ddbstream: enable stream on %s: %w", table, err)
	}
	return aws.ToString(up.TableDescription.LatestStreamArn), nil
}

// InsertsWithPrefix is Lambda's filter {"eventName":["INSERT"],
// "dynamodb":{"Keys":{"PK":{"S":[{"prefix":p}]}}}} as a predicate.
func InsertsWithPrefix(prefix string) func(events.DynamoDBEventRecord) bool {
	return func(r events.DynamoDBEventRecord) bool {
		pk, ok := r.Change.Keys["PK"]
		return r.EventName == "INSERT" && ok && pk.DataType() == events.DataTypeString && strings.HasPrefix(pk.String(), prefix)
	}
}

// Reader polls one stream and calls Handler with the records Filter keeps.
type Reader struct {
	Streams   *dynamodbstreams.Client
	StreamARN string
	Filter    func(events.DynamoDBEventRecord) bool
	Handler   Handler
	Poll      time.Duration // pause when a pass found nothing; default 500 ms
	Retries   int           // retries of a batch with failures before it is dropped; default 3
	Log       *slog.Logger
}

// Run reads from the start of the stream (the handler must be idempotent,
// as it must be under Lambda) until ctx ends.
func (r *Reader) Run(ctx context.Context) error {
	if r.Poll == 0 {
		r.Poll = 500 * time.Millisecond
	}
	if r.Retries == 0 {
		r.Retries = 3
	}
	if r.Log == nil {
		r.Log = slog.Default()
	}
	iters := map[string]*string{} // open shards; nil after a shard closed
	for {
		busy, err := r.pass(ctx, iters)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			r.Log.Warn("stream reader", "err", err)
		}
		if !busy || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(r.Poll):
			}
		}
	}
}

// pass finds new shards and reads one page from each open shard.
func (r *Reader) pass(ctx context.Context, iters map[string]*string) (bool, error) {
	desc, err := r.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: &r.StreamARN})
	if err != nil {
		return false, fmt.Errorf("ddbstream: describe stream: %w", err)
	}
	for _, sh := range desc.StreamDescription.Shards {
		id := aws.ToString(sh.ShardId)
		if _, seen := iters[id]; seen {
			continue
		}
		it, err := r.Streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: &r.StreamARN,
			ShardId: sh.ShardId, ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			return false, fmt.Errorf("ddbstream: shard iterator: %w", err)
		}
		iters[id] = it.ShardIterator
	}
	busy := false
	for id, it := range iters {
		if it == nil {
			continue
		}
		out, err := r.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(100)})
		if err != nil {
			var expired *types.ExpiredIteratorException
			if errors.As(err, &expired) {
				delete(iters, id) // found again with a fresh iterator next pass
				continue
			}
			return busy, fmt.Errorf("ddbstream: get records: %w", err)
		}
		iters[id] = out.NextShardIterator
		if len(out.Records) > 0 {
			busy = true
			r.deliver(ctx, out.Records)
		}
	}
	return busy, nil
}

// deliver calls the handler with the kept records. On batch item failures
// it retries from the first failed record, as Lambda does, then gives up
// (Lambda's dead-letter queue; the outbox sweep still catches the messages).
func (r *Reader) deliver(ctx context.Context, recs []types.Record) {
	var batch []events.DynamoDBEventRecord
	for _, rec := range recs {
		ev := Convert(rec)
		if r.Filter == nil || r.Filter(ev) {
			batch = append(batch, ev)
		}
	}
	for attempt := 0; len(batch) > 0; attempt++ {
		resp, err := r.Handler(ctx, events.DynamoDBEvent{Records: batch})
		if err == nil && len(resp.BatchItemFailures) == 0 {
			return
		}
		if attempt >= r.Retries {
			r.Log.Error("stream records dropped after retries", "records", len(batch), "err", err)
			return
		}
		if err == nil {
			failed := map[string]bool{}
			for _, f := range resp.BatchItemFailures {
				failed[f.ItemIdentifier] = true
			}
			for i, rec := range batch {
				if failed[rec.Change.SequenceNumber] {
					batch = batch[i:]
					break
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
}

// Convert turns a DynamoDB Streams record into Lambda's event record.
func Convert(rec types.Record) events.DynamoDBEventRecord {
	out := events.DynamoDBEventRecord{AWSRegion: aws.ToString(rec.AwsRegion), EventID: aws.ToString(rec.EventID),
		EventName: string(rec.EventName), EventSource: aws.ToString(rec.EventSource), EventVersion: aws.ToString(rec.EventVersion)}
	if d := rec.Dynamodb; d != nil {
		out.Change = events.DynamoDBStreamRecord{Keys: attrs(d.Keys), NewImage: attrs(d.NewImage), OldImage: attrs(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber), SizeBytes: aws.ToInt64(d.SizeBytes), StreamViewType: string(d.StreamViewType)}
		if d.ApproximateCreationDateTime != nil {
			out.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *d.ApproximateCreationDateTime}
		}
	}
	return out
}

func attrs(m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = attr(v)
	}
	return out
}

func attr(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *types.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, len(v.Value))
		for i, x := range v.Value {
			l[i] = attr(x)
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		return events.NewMapAttribute(attrs(v.Value))
	default:
		return events.NewNullAttribute()
	}
}
