package servers_test

import (
	"slices"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// BenchmarkListServers50 measures GET /api/servers for a customer with 50
// servers, with the live-state cache off (every request fetches), at 0 ms
// and 50 ms of VirtFusion latency. It reports VirtFusion calls per request
// and the median latency.
func BenchmarkListServers50(b *testing.B) {
	for _, lat := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run("latency="+lat.String(), func(b *testing.B) {
			e := newEnv(b, envOpts{servers: 49, cacheTTL: -1})
			// Warm the client's package cache so only server calls count.
			if r := e.do("GET", "/api/servers", nil); r.status != 200 || len(r.body["servers"].([]any)) != 50 {
				b.Fatalf("got %d %v", r.status, r.body)
			}
			if lat > 0 {
				e.sim.SetFault(vfsim.Fault{Latency: lat})
			}
			e.sim.ResetCalls()
			durs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				r := e.do("GET", "/api/servers", nil)
				durs = append(durs, time.Since(start))
				if r.status != 200 {
					b.Fatalf("got %d %v", r.status, r.body)
				}
			}
			b.StopTimer()
			slices.Sort(durs)
			b.ReportMetric(float64(len(e.sim.Calls()))/float64(b.N), "vfcalls/op")
			b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "median-ms")
		})
	}
}
