package ddbstream_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/ddbstream"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
)

func TestReader(t *testing.T) {
	db, table := dynamotest.NewTable(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	arn, err := ddbstream.EnableStream(ctx, db, table)
	if err != nil || arn == "" {
		t.Fatalf("enable stream: %q %v", arn, err)
	}
	if again, err := ddbstream.EnableStream(ctx, db, table); err != nil || again != arn {
		t.Fatalf("enable twice: %q %v, want %q", again, err, arn)
	}
	streams, err := ddbstream.NewClient(ctx, "us-east-1", dynamotest.Endpoint(t))
	if err != nil {
		t.Fatal(err)
	}

	var (
		mu     sync.Mutex
		calls  [][]string // PKs per handler call
		failed bool
	)
	handler := func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		mu.Lock()
		defer mu.Unlock()
		var pks []string
		var resp events.DynamoDBEventResponse
		for _, r := range ev.Records {
			pk := r.Change.Keys["PK"].String()
			pks = append(pks, pk)
			if pk == "OUTBOX#b" && !failed {
				failed = true
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
			}
			if r.Change.NewImage["n"].Number() != "7" {
				t.Errorf("new image of %s: %v", pk, r.Change.NewImage)
			}
		}
		calls = append(calls, pks)
		return resp, nil
	}
	rd := &ddbstream.Reader{Streams: streams, StreamARN: arn, Filter: ddbstream.InsertsWithPrefix(dynamo.OutboxPKPrefix),
		Handler: handler, Poll: 50 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- rd.Run(ctx) }()

	put := func(pk string) {
		item := dynamo.Key(pk, "META")
		item["n"] = dynamo.N(7)
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	put("OUTBOX#a")
	put("USER#x") // not an outbox item
	put("OUTBOX#b")
	put("OUTBOX#c")
	// A MODIFY of an outbox item is filtered out, as the stack's filter does.
	if _, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &table, Key: dynamo.Key("OUTBOX#a", "META"),
		UpdateExpression: aws.String("SET st = :s"), ExpressionAttributeValues: map[string]types.AttributeValue{":s": dynamo.S("sent")}}); err != nil {
		t.Fatal(err)
	}

	count := func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		n := map[string]int{}
		for _, c := range calls {
			for _, pk := range c {
				n[pk]++
			}
		}
		return n
	}
	deadline := time.Now().Add(15 * time.Second)
	for n := count(); n["OUTBOX#b"] < 2 || n["OUTBOX#c"] < 1; n = count() {
		if time.Now().After(deadline) {
			t.Fatalf("handler saw %v", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // anything else would arrive by now
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// b failed once and came again; a succeeded, so only its INSERT (not its
	// MODIFY) came, once; c came once, or twice if it shared b's batch.
	n := count()
	if n["OUTBOX#a"] != 1 || n["OUTBOX#b"] != 2 || n["OUTBOX#c"] < 1 || n["OUTBOX#c"] > 2 || n["USER#x"] != 0 {
		t.Fatalf("handler saw %v in calls %v", n, calls)
	}
}
