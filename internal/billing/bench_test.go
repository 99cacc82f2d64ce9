package billing_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// BenchmarkHourlyRun10k times the hourly run over 10,000 active servers
// (2,500 customers) against DynamoDB Local and counts DynamoDB calls; a
// second run of the same hour must charge nothing. One iteration takes about
// a minute: go test -run '^$' -bench HourlyRun10k -benchtime 1x ./internal/billing/
// (VFP_BENCH_WORKERS=n sets the run's concurrency).
func BenchmarkHourlyRun10k(b *testing.B) {
	const servers, users = 10000, 2500
	workers := 0 // the default
	if w, err := strconv.Atoi(os.Getenv("VFP_BENCH_WORKERS")); err == nil {
		workers = w
	}
	for range b.N {
		b.StopTimer()
		db, table := dynamotest.NewTable(b)
		store := dynamo.NewLedger(dynamo.NewStore(db, table))
		hour := time.Now().UTC().Truncate(time.Hour)
		var list []*panel.BilledServer
		for i := range servers {
			list = append(list, &panel.BilledServer{ServerID: int64(1000 + i), UserID: fmt.Sprintf("u%04d", i%users), Name: fmt.Sprintf("s%d", i),
				PackageID: 1, HourlyMinor: 3, MonthlyCapMinor: 2000, Currency: "USD", ActiveSince: hour.Add(-time.Hour), BilledThrough: hour})
		}
		if err := store.ImportServers(ctx, list); err != nil {
			b.Fatal(err)
		}
		clock := hour.Add(5 * time.Minute)
		svc := &billing.Service{Store: store, Currency: "USD", Workers: workers, Now: func() time.Time { return clock },
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		store.Calls.Store(0)
		cpu, self := cpuTime(), selfCPU()
		b.StartTimer()
		st, err := svc.RunHourly(ctx)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if st.Charged != servers {
			b.Fatalf("charged %d, want %d", st.Charged, servers)
		}
		b.ReportMetric(float64(store.Calls.Load()), "dynamodb-calls")
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s")
		b.ReportMetric((selfCPU() - self).Seconds(), "own-cpu-s")
		store.Calls.Store(0)
		again, err := svc.RunHourly(ctx)
		if err != nil || again.Charged != 0 {
			b.Fatalf("second run of the same hour: charged %d, err %v; want 0, nil", again.Charged, err)
		}
		b.ReportMetric(float64(store.Calls.Load()), "rerun-dynamodb-calls")
	}
}

// cpuTime is the CPU time used so far by this process and its children
// (DynamoDB Local when the test started it), read from /proc: a measure the
// other work on a shared machine does not inflate. Zero where there is no /proc.
func cpuTime() time.Duration {
	total := procCPU("self")
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, pid := range strings.Fields(string(b)) {
			total += procCPU(pid)
		}
	}
	return total
}

func selfCPU() time.Duration { return procCPU("self") }

func procCPU(pid string) time.Duration {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command: utime is the 12th, stime the 13th.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// BenchmarkWebhookThroughput posts signed PAYMENT.CAPTURE.COMPLETED
// deliveries (each for its own top-up) from 16 goroutines to the webhook
// endpoint and reports deliveries per second, each confirmed with the
// PayPal simulator.
func BenchmarkWebhookThroughput(b *testing.B) {
	e := newEnv(b, envOpts{})
	type delivery struct {
		h    http.Header
		body []byte
	}
	ds := make([]delivery, b.N)
	for i := range ds {
		// Real top-ups, approved and captured in PayPal: each delivery is
		// confirmed with PayPal (GET capture) before it credits.
		st := e.topup(fmt.Sprintf("ub%d", i%50), 1000)
		h, body, _ := completedDelivery(e, st)
		ds[i] = delivery{h, body}
	}
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(ds)) {
					return
				}
				if s := e.post(ds[i].h, ds[i].body); s != http.StatusOK {
					b.Errorf("delivery %d: status %d", i, s)
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deliveries/s")
}
