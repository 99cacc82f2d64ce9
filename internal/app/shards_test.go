package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/vfpanel/vfpanel/internal/awsjson"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/jobs"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestLocalShardQueue: the jobs run's hourly billing, sent through the
// local queue, reaches the billing-shard handler as SQS events of one shard
// each; a delivery reported failed after its work is delivered again and
// charges nothing twice.
func TestLocalShardQueue(t *testing.T) {
	ctx := context.Background()
	e := newJobsEnv(t)
	hour := time.Now().UTC().Truncate(time.Hour)
	var list []*panel.BilledServer
	customers := billing.ShardCustomers + 20
	for c := range customers {
		for i := range 2 {
			list = append(list, &panel.BilledServer{ServerID: int64(70000 + 2*c + i), UserID: fmt.Sprintf("u_shard%03d", c),
				Name: "s", PackageID: 1, HourlyMinor: 3, Currency: "USD", ActiveSince: hour.Add(-time.Hour), BilledThrough: hour})
		}
	}
	if err := e.ledger.ImportServers(ctx, list); err != nil {
		t.Fatal(err)
	}
	e.svc.Host = nil // imported servers are not in VirtFusion; suspension is not under test

	real, err := BillingShard(e.deps)
	if err != nil {
		t.Fatal(err)
	}
	var calls, records int
	failedOnce := false
	handle := func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		calls++
		records += len(ev.Records)
		if ev.Records[0].EventSource != "aws:sqs" {
			t.Errorf("event source %q", ev.Records[0].EventSource)
		}
		resp, err := real(ctx, ev)
		if !failedOnce { // the first invocation did its work, then "timed out"
			failedOnce = true
			return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: ev.Records[0].MessageId}}}, nil
		}
		return resp, err
	}
	q := &LocalShardQueue{Handle: handle, MaxReceives: 3}
	hourly := func(ctx context.Context) (billing.RunStats, error) {
		st, _, err := EnqueueHourly(ctx, e.svc, q)
		return st, err
	}
	if err := jobs.Run(ctx, jobs.Deps{Billing: e.svc, Events: e.events, Cleanups: e.ledger, Hourly: hourly}); err != nil {
		t.Logf("other sub-jobs: %v", err) // the env's pending event and order are not under test here
	}
	if calls != 3 || records != 3 { // two shards, the first delivered twice
		t.Errorf("handler called %d times with %d records, want 3 and 3", calls, records)
	}
	for c := range customers {
		u := fmt.Sprintf("u_shard%03d", c)
		bal, err := e.ledger.Balance(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if bal.BalanceMinor != -6 {
			t.Errorf("%s: balance %d, want -6 (two servers, one hour each, once)", u, bal.BalanceMinor)
		}
	}
}

// FuzzDecodeShard: any SQS body either decodes to a shard with a run time
// and well-formed servers, which survives a round trip, or is an error.
func FuzzDecodeShard(f *testing.F) {
	good, _ := json.Marshal(billing.Shard{Run: time.Date(2026, 12, 2, 4, 5, 0, 0, time.UTC),
		Servers: []*panel.BilledServer{{ServerID: 7, UserID: "u1", HourlyMinor: 3, Currency: "USD"}}})
	f.Add(string(good))
	f.Add(`{"run":"2026-12-02T04:05:00Z","servers":[null]}`)
	f.Add(`{"run":"0001-01-01T00:00:00Z"}`)
	f.Add(`{"servers":[{"ServerID":-1}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		sh, err := decodeShard(body)
		if err != nil {
			return
		}
		if sh.Run.IsZero() {
			t.Fatalf("accepted a shard without a run time: %q", body)
		}
		again, _ := json.Marshal(sh)
		back, err := decodeShard(string(again))
		if err != nil || len(back.Servers) != len(sh.Servers) || !back.Run.Equal(sh.Run) {
			t.Fatalf("round trip of %q: %+v, %v", body, back, err)
		}
	})
}

// TestDecodeShard: bodies the shard function must refuse.
func TestDecodeShard(t *testing.T) {
	for name, body := range map[string]string{
		"NotJSON":    `hello`,
		"NoRun":      `{"servers":[]}`,
		"NullServer": `{"run":"2026-12-02T04:05:00Z","servers":[null]}`,
		"NoOwner":    `{"run":"2026-12-02T04:05:00Z","servers":[{"ServerID":5}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeShard(body); err == nil {
				t.Errorf("decodeShard(%q) accepted it", body)
			}
		})
	}
}

// TestSQSShardQueue: shards go to SQS's JSON API in batches of ten, and a
// batch with a failed entry fails the run.
func TestSQSShardQueue(t *testing.T) {
	var batches []int
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			QueueUrl string
			Entries  []struct{ Id, MessageBody string }
		}
		if r.Header.Get("X-Amz-Target") != "AmazonSQS.SendMessageBatch" || json.NewDecoder(r.Body).Decode(&in) != nil || in.QueueUrl != "https://q" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		for _, e := range in.Entries {
			var sh billing.Shard
			if e.Id == "" || json.Unmarshal([]byte(e.MessageBody), &sh) != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
		batches = append(batches, len(in.Entries))
		if fail {
			_, _ = io.WriteString(w, `{"Failed":[{"Id":"0","Code":"InternalError","Message":"try again","SenderFault":false}],"Successful":[]}`)
			return
		}
		_, _ = io.WriteString(w, `{"Successful":[]}`)
	}))
	defer srv.Close()
	q := &SQSShardQueue{URL: "https://q", Client: &awsjson.Client{Config: aws.Config{Region: "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider("AK", "SK", "")}, Service: "sqs", TargetPrefix: "AmazonSQS",
		JSONVersion: "1.0", Endpoint: srv.URL}}
	shards := make([]billing.Shard, 23)
	if err := q.Enqueue(context.Background(), shards); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(batches, []int{10, 10, 3}) {
		t.Errorf("got batches %v, want [10 10 3]", batches)
	}
	fail = true
	if err := q.Enqueue(context.Background(), shards[:1]); err == nil || !strings.Contains(err.Error(), "try again") {
		t.Errorf("got %v, want the failed entry's message", err)
	}
}
