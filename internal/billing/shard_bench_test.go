package billing_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Projection inputs: the target host and AWS list prices (us-east-1,
// checked 2026-12 against aws.amazon.com/lambda/pricing, /dynamodb/pricing/on-demand,
// /sqs/pricing; on-demand DynamoDB after the Nov 2024 cut).
const (
	projServers        = 1_000_000
	projCustomers      = 250_000
	lambdaGBSecondARM  = 0.0000133334 // $ per GB-s, arm64
	lambdaRequest      = 0.20 / 1e6   // $ per invocation
	dynamoWRU          = 0.625 / 1e6  // $ per write request unit
	dynamoRRU          = 0.125 / 1e6  // $ per read request unit
	sqsRequest         = 0.40 / 1e6   // $ per request (standard queue)
	shardMemoryGB      = 0.5          // the billingshard function's 512 MB
	shardConcurrency   = 20           // infra/stack QueueMaxConcurrency
	sqsRequestsPerShrd = 3.1          // send (1/10 of a batch) + receive + delete, by the event source mapping
)

// BenchmarkHourlyShard measures one full shard of the scale-out hourly run
// (billing.ShardCustomers customers with 4 servers each, the 1M/250k ratio)
// against DynamoDB Local: wall time, DynamoDB calls, the SQS message size;
// then a redelivery of the same shard, which must charge nothing. From
// these it projects a 1,000,000-server / 250,000-customer run: shards,
// wall time at the queue's concurrency, and cost per run at AWS prices.
// go test -run '^$' -bench HourlyShard -benchtime 3x ./internal/billing/
func BenchmarkHourlyShard(b *testing.B) {
	const perCustomer = projServers / projCustomers
	customers := billing.ShardCustomers
	servers := customers * perCustomer
	var wall time.Duration
	var calls, rerunCalls, planCalls, size int64
	for range b.N {
		b.StopTimer()
		db, table := dynamotest.NewTable(b)
		store := dynamo.NewLedger(dynamo.NewStore(db, table))
		hour := time.Now().UTC().Truncate(time.Hour)
		var list []*panel.BilledServer
		for i := range servers {
			list = append(list, &panel.BilledServer{ServerID: int64(1000 + i), UserID: fmt.Sprintf("u%06d", i/perCustomer),
				Name: fmt.Sprintf("server-%d", i), PackageID: 1, HourlyMinor: 3, MonthlyCapMinor: 2000, Currency: "USD",
				ActiveSince: hour.Add(-time.Hour), BilledThrough: hour, VFUserID: int64(10 + i/perCustomer)})
		}
		if err := store.ImportServers(ctx, list); err != nil {
			b.Fatal(err)
		}
		clock := hour.Add(5 * time.Minute)
		svc := &billing.Service{Store: store, Currency: "USD", Now: func() time.Time { return clock },
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		store.Calls.Store(0)
		shards, err := svc.PlanHourly(ctx, billing.ShardCustomers, billing.ShardServers)
		if err != nil || len(shards) != 1 {
			b.Fatalf("plan: %d shards, %v; want 1", len(shards), err)
		}
		planCalls += store.Calls.Load()
		body, _ := json.Marshal(shards[0])
		size = int64(len(body))
		var sh billing.Shard // as the shard function receives it
		if err := json.Unmarshal(body, &sh); err != nil {
			b.Fatal(err)
		}
		store.Calls.Store(0)
		start := time.Now()
		b.StartTimer()
		st, err := svc.RunShard(ctx, sh)
		b.StopTimer()
		wall += time.Since(start)
		if err != nil || st.Charged != servers {
			b.Fatalf("shard: charged %d, %v; want %d", st.Charged, err, servers)
		}
		calls += store.Calls.Load()
		store.Calls.Store(0)
		json.Unmarshal(body, &sh)
		again, err := svc.RunShard(ctx, sh) // SQS delivers it again
		if err != nil || again.Charged != 0 {
			b.Fatalf("redelivery: charged %d, %v; want 0", again.Charged, err)
		}
		rerunCalls += store.Calls.Load()
	}
	n := float64(b.N)
	perShard := wall.Seconds() / n
	b.ReportMetric(perShard, "s/shard")
	b.ReportMetric(float64(calls)/n, "dynamodb-calls/shard")
	b.ReportMetric(float64(rerunCalls)/n, "redelivery-calls/shard")
	b.ReportMetric(float64(size), "message-bytes")

	shards := math.Ceil(float64(projCustomers) / float64(customers))
	runWall := math.Ceil(shards/shardConcurrency) * perShard
	lambdaCost := shards*perShard*shardMemoryGB*lambdaGBSecondARM + shards*lambdaRequest
	// Writes: each charged server-hour puts a ledger entry and moves the
	// server's cursor, each customer's balance is updated once per shard;
	// items are under 1 KB and transactional writes cost 2 WRU per item.
	wru := 2 * (2*float64(projServers) + float64(projCustomers))
	// Reads: the plan reads the active-server index (~0.5 KB per server,
	// eventually consistent: 0.5 RRU per 4 KB) and each customer's balance
	// is read once (strongly consistent: 1 RRU).
	rru := float64(projServers)*0.5/4*0.5*2 + float64(projCustomers)
	dynamoCost := wru*dynamoWRU + rru*dynamoRRU
	sqsCost := shards * sqsRequestsPerShrd * sqsRequest
	b.Logf("measured per shard (%d customers, %d servers, DynamoDB Local): %.2f s, %.0f DynamoDB calls (%.0f on redelivery), %d-byte SQS message; plan: %.0f calls per %d servers",
		customers, servers, perShard, float64(calls)/n, float64(rerunCalls)/n, size, float64(planCalls)/n, servers)
	b.Logf("projected %d servers / %d customers: %.0f shards, %.0f DynamoDB calls, wall ≈ %.0f s at %d concurrent shards (%.1f min); "+
		"cost per run ≈ $%.3f (Lambda $%.3f, DynamoDB $%.3f [%.0f WRU, %.0f RRU, estimated], SQS $%.4f), ≈ $%.0f per 30-day month",
		projServers, projCustomers, shards, shards*float64(calls)/n, runWall, shardConcurrency, runWall/60,
		lambdaCost+dynamoCost+sqsCost, lambdaCost, dynamoCost, wru, rru, sqsCost, 720*(lambdaCost+dynamoCost+sqsCost))
}
