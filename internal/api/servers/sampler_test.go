package servers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// TestSampleMetrics: running servers are sampled with exactly one
// VirtFusion call each and stored; stopped ones are read but not stored;
// one VirtFusion does not know is counted as failed, not fatal.
func TestSampleMetrics(t *testing.T) {
	e := newEnv(t, envOpts{})
	ids := []int64{e.aliceSrv, e.bobSrv}
	for i := range 5 {
		ids = append(ids, e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.aliceVF), Name: fmt.Sprintf("bulk-%d", i)}))
	}
	stopped := e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.aliceVF), Name: "off", Stopped: true})
	ids = append(ids, stopped, 999999) // the last is gone from VirtFusion
	now := time.Now().UTC().Truncate(time.Second)
	before := len(e.sim.Calls())
	st, err := servers.SampleMetrics(context.Background(), servers.SampleDeps{
		Servers:     func(context.Context) ([]int64, error) { return ids, nil },
		Live:        e.vf.GetServer,
		Store:       e.metrics,
		Concurrency: 3, Batch: 2,
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	running := len(ids) - 2
	if st.Servers != len(ids) || st.Sampled != running || st.Stopped != 1 || st.Failed != 1 {
		t.Errorf("got %+v, want %d sampled, 1 stopped, 1 failed", st, running)
	}
	perServer := map[string]int{}
	for _, c := range e.sim.Calls()[before:] {
		perServer[c.Path]++
	}
	for _, id := range ids {
		if n := perServer[fmt.Sprintf("/api/v1/servers/%d", id)]; n != 1 {
			t.Errorf("server %d: got %d VirtFusion calls, want 1", id, n)
		}
	}
	for _, id := range ids {
		got, err := e.metrics.MetricSamples(context.Background(), id, now.Add(-time.Minute), now)
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if id == stopped || id == 999999 {
			want = 0
		}
		if len(got) != want {
			t.Errorf("server %d: got %d samples, want %d", id, len(got), want)
		} else if want == 1 && (got[0].MemTotalBytes <= 0 || !got[0].At.Equal(now)) {
			t.Errorf("server %d: got %+v", id, got[0])
		}
	}
}

func TestDownsample(t *testing.T) {
	until := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return until.Add(time.Duration(min) * time.Minute) }
	samples := []panel.MetricSample{
		{At: at(-60), CPUPercent: 10, MemUsedBytes: 100, MemTotalBytes: 1000, DiskReadBytes: 0, DiskWriteBytes: 0},
		{At: at(-55), CPUPercent: 30, MemUsedBytes: 300, MemTotalBytes: 1000, DiskReadBytes: 300_000, DiskWriteBytes: 600_000},
		{At: at(-30), CPUPercent: 50, MemUsedBytes: 500, MemTotalBytes: 1000, DiskReadBytes: 400_000, DiskWriteBytes: 700_000}, // gap: no rate
		{At: at(-25), CPUPercent: 70, MemUsedBytes: 700, MemTotalBytes: 1000, DiskReadBytes: 10, DiskWriteBytes: 10},           // reboot: reset
	}
	pts := servers.Downsample(samples, until, time.Hour, 10*time.Minute)
	if len(pts) != 2 {
		t.Fatalf("got %d points, want 2: %+v", len(pts), pts)
	}
	if p := pts[0]; p.CPUPercent != 20 || p.MemUsedBytes != 200 || p.DiskReadPerSec == nil || *p.DiskReadPerSec != 1000 || *p.DiskWritePerSec != 2000 {
		t.Errorf("first step: got %+v", p)
	}
	if p := pts[1]; p.CPUPercent != 60 || p.DiskReadPerSec != nil {
		t.Errorf("second step (gap, then reset): got %+v", p)
	}
}

func TestMetricsHistory(t *testing.T) {
	e := newEnv(t, envOpts{})
	ctx := context.Background()
	now := time.Now().UTC()
	var samples []panel.MetricSample
	for i := range 30 { // 2.5 hours at 5-minute steps
		at := now.Add(-time.Duration(i) * 5 * time.Minute)
		samples = append(samples, panel.MetricSample{ServerID: e.aliceSrv, At: at, CPUPercent: 40, MemUsedBytes: 1 << 20,
			MemTotalBytes: 2 << 20, DiskReadBytes: int64(1000 * (30 - i) * 300), DiskWriteBytes: 0})
	}
	if err := e.metrics.PutMetricSamples(ctx, samples); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		status     int
		minPoints  int
	}{
		{"OK1h", e.srvPath(e.aliceSrv, "/metrics/history?range=1h"), 200, 12},
		{"OK24h", e.srvPath(e.aliceSrv, "/metrics/history?range=24h"), 200, 10},
		{"OKDefault", e.srvPath(e.aliceSrv, "/metrics/history"), 200, 10},
		{"ErrRange", e.srvPath(e.aliceSrv, "/metrics/history?range=2y"), 400, 0},
		{"ErrNotOwner", e.srvPath(e.bobSrv, "/metrics/history?range=1h"), 404, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("GET", tt.path, nil)
			if r.status != tt.status {
				t.Fatalf("got %d %v, want %d", r.status, r.body, tt.status)
			}
			if tt.status != 200 {
				return
			}
			pts, _ := r.body["points"].([]any)
			if len(pts) < tt.minPoints {
				t.Fatalf("got %d points, want at least %d", len(pts), tt.minPoints)
			}
			last := pts[len(pts)-1].(map[string]any)
			if last["cpuPercent"] != 40.0 || last["diskReadPerSec"] != 1000.0 {
				t.Errorf("got %v", last)
			}
		})
	}
}

// countingStore counts the sampler's writes: each PutMetricSamples call
// is one batch (split into 25-item BatchWriteItem calls by the store).
type countingStore struct {
	panel.MetricsStore
	mu               sync.Mutex
	batches, samples int
}

func (c *countingStore) PutMetricSamples(ctx context.Context, s []panel.MetricSample) error {
	c.mu.Lock()
	c.batches++
	c.samples += len(s)
	c.mu.Unlock()
	return c.MetricsStore.PutMetricSamples(ctx, s)
}

// BenchmarkSampleMetrics is issue 18's target: 1,000 running servers
// sampled within 60 s against the VirtFusion simulator answering each call
// after 50 ms, writing to DynamoDB Local. It fails when a run takes longer,
// when any server gets other than exactly one VirtFusion call, or when the
// writes are not batched; it reports s/run, VirtFusion calls per server
// and write batches per run.
func BenchmarkSampleMetrics(b *testing.B) {
	const servers1k = 1000
	db, table := dynamotest.NewTable(b)
	store := &countingStore{MetricsStore: dynamo.NewMetrics(dynamo.NewStore(db, table))}
	sim := vfsim.New(vfsim.Options{Token: apiToken})
	uid := sim.AddUser(vfsim.User{Name: "Load", Email: "load@example.com", ExtRelationID: "u_load"})
	group := sim.AddBenchLocation(servers1k)
	ids := make([]int64, 0, servers1k)
	for i := range servers1k {
		id, err := sim.AddServer(vfsim.ServerSpec{OwnerID: uid, GroupID: group, Name: fmt.Sprintf("s-%d", i)})
		if err != nil {
			b.Fatalf("server %d: %v", i, err)
		}
		ids = append(ids, int64(id))
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		sim.Handler().ServeHTTP(w, r)
	}))
	b.Cleanup(slow.Close)
	vf, err := virtfusion.New(virtfusion.Config{PanelURL: slow.URL, Token: apiToken, Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 100
	b.ResetTimer()
	for b.Loop() {
		sim.ResetCalls()
		store.batches, store.samples = 0, 0
		st, err := servers.SampleMetrics(context.Background(), servers.SampleDeps{
			Servers: func(context.Context) ([]int64, error) { return ids, nil },
			Live:    vf.GetServer, Store: store, Concurrency: 50, Batch: batch,
		})
		if err != nil || st.Sampled != servers1k {
			b.Fatalf("got %+v, %v", st, err)
		}
		if st.Duration > time.Minute {
			b.Fatalf("got %s for %d servers, want at most 60 s", st.Duration, servers1k)
		}
		perServer, shared := map[string]int{}, 0
		for _, c := range sim.Calls() {
			if strings.HasPrefix(c.Path, "/api/v1/servers/") {
				perServer[c.Path]++
			} else {
				shared++ // catalogue reads the client caches (templates), not per server
			}
		}
		if len(perServer) != servers1k || shared > 20 {
			b.Fatalf("got calls to %d server paths and %d others, want %d servers", len(perServer), shared, servers1k)
		}
		for p, n := range perServer {
			if n != 1 {
				b.Fatalf("%s: got %d VirtFusion calls, want 1", p, n)
			}
		}
		if store.samples != servers1k || store.batches > servers1k/batch+1 {
			b.Fatalf("got %d samples in %d batches, want %d in at most %d", store.samples, store.batches, servers1k, servers1k/batch+1)
		}
		b.ReportMetric(st.Duration.Seconds(), "s/run")
		b.ReportMetric(float64(st.Sampled), "servers/run")
		b.ReportMetric(float64(len(sim.Calls())-shared)/float64(servers1k), "vfcalls/server")
		b.ReportMetric(float64(store.batches), "batches/run")
	}
}
