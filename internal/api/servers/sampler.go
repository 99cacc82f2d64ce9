package servers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vfpanel/vfpanel/internal/alerts"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// SampleDeps are what one metrics sample run uses.
type SampleDeps struct {
	// Servers lists the servers to sample (billing's active servers).
	Servers func(ctx context.Context) ([]int64, error)
	// Live reads one server with its remote state: the only VirtFusion
	// call per server per sample.
	Live  func(ctx context.Context, id int64, remoteState bool) (*virtfusion.Server, error)
	Store panel.MetricsStore
	// Concurrency bounds parallel VirtFusion calls; default 20.
	Concurrency int
	// Batch is how many samples are written at once (BatchWriteItem takes
	// 25 per call); default 100.
	Batch int
	Now   func() time.Time
	// Alerts (optional) evaluates the customers' CPU and traffic alerts
	// against what the run saw.
	Alerts interface {
		Sampled(ctx context.Context, at time.Time, readings []alerts.Reading) (alerts.Stats, error)
	}
}

// SampleStats are one run's counts.
type SampleStats struct {
	Servers  int // listed
	Sampled  int // running, stored
	Stopped  int // not running: nothing to store
	Failed   int // VirtFusion did not answer
	Fired    int // alerts fired
	Duration time.Duration
}

// SampleMetrics records CPU, memory and disk I/O of every running server
// once: one VirtFusion call per server, at most Concurrency at a time, and
// writes in batches as they fill. A server VirtFusion fails on is skipped
// (logged and counted); only a listing or storage failure fails the run.
func SampleMetrics(ctx context.Context, d SampleDeps) (SampleStats, error) {
	start := time.Now()
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	conc, batch := d.Concurrency, d.Batch
	if conc <= 0 {
		conc = 20
	}
	if batch <= 0 {
		batch = 100
	}
	ids, err := d.Servers(ctx)
	if err != nil {
		return SampleStats{}, err
	}
	st := SampleStats{Servers: len(ids)}
	at := now().UTC().Truncate(time.Second)

	var (
		mu       sync.Mutex
		pending  []panel.MetricSample
		readings []alerts.Reading
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	flush := func(ctx context.Context, force bool) error {
		mu.Lock()
		if len(pending) == 0 || (!force && len(pending) < batch) {
			mu.Unlock()
			return nil
		}
		out := pending
		pending = nil
		mu.Unlock()
		return d.Store.PutMetricSamples(ctx, out)
	}
	for _, id := range ids {
		g.Go(func() error {
			s, err := d.Live(gctx, id, true)
			mu.Lock()
			switch {
			case err != nil:
				st.Failed++
				mu.Unlock()
				slog.WarnContext(gctx, "metrics: sample failed", "server", id, "err", err)
				return nil
			case s.RemoteState == nil || !s.RemoteState.Running:
				st.Stopped++
				readings = append(readings, alerts.Reading{ServerID: id, Name: s.Name})
				mu.Unlock()
				return nil
			}
			m := virtfusion.ServerMetrics(s, at)
			readings = append(readings, alerts.Reading{ServerID: id, Name: s.Name, Running: true, CPUPercent: m.CPUPercent})
			pending = append(pending, panel.MetricSample{ServerID: id, At: at, CPUPercent: m.CPUPercent,
				MemUsedBytes: m.Memory.UsedBytes, MemTotalBytes: m.Memory.TotalBytes,
				DiskReadBytes: m.Disk.ReadBytes, DiskWriteBytes: m.Disk.WriteBytes})
			st.Sampled++
			mu.Unlock()
			return flush(gctx, false)
		})
	}
	err = g.Wait()
	if err == nil {
		err = flush(ctx, true)
	}
	if d.Alerts != nil {
		ast, aerr := d.Alerts.Sampled(ctx, at, readings)
		st.Fired = ast.Fired
		if aerr != nil {
			err = errors.Join(err, fmt.Errorf("metrics: alerts: %w", aerr))
		}
	}
	st.Duration = time.Since(start)
	return st, err
}

// Metric history ranges: how far back each reaches and the step its points
// are averaged over (about 60 to 360 points each).
var historyRanges = map[string]struct{ span, step time.Duration }{
	"1h":  {time.Hour, 5 * time.Minute},
	"24h": {24 * time.Hour, 15 * time.Minute},
	"7d":  {7 * 24 * time.Hour, time.Hour},
	"30d": {30 * 24 * time.Hour, 4 * time.Hour},
}

// MetricPoint is one step of a server's metric history: averages over the
// step, and disk I/O as bytes per second. Nil rates mean the step had no
// two samples to compare (or the counters reset, as after a reboot).
type MetricPoint struct {
	At              time.Time `json:"at"`
	CPUPercent      float64   `json:"cpuPercent"`
	MemUsedBytes    int64     `json:"memUsedBytes"`
	MemTotalBytes   int64     `json:"memTotalBytes"`
	DiskReadPerSec  *float64  `json:"diskReadPerSec"`
	DiskWritePerSec *float64  `json:"diskWritePerSec"`
}

// MetricsHistory is the body of GET /api/servers/{id}/metrics/history.
type MetricsHistory struct {
	Range       string        `json:"range"`
	StepSeconds int64         `json:"stepSeconds"`
	Points      []MetricPoint `json:"points"`
}

// Downsample averages samples (oldest first) into steps of step ending at
// until; steps without samples are left out.
func Downsample(samples []panel.MetricSample, until time.Time, span, step time.Duration) []MetricPoint {
	start := until.Add(-span)
	type acc struct {
		n                 int
		cpu               float64
		memUsed, memTotal int64
		read, write, secs float64
		rated             bool
	}
	buckets := map[int64]*acc{}
	var order []int64
	for i, s := range samples {
		if s.At.Before(start) || s.At.After(until) {
			continue
		}
		k := int64(s.At.Sub(start) / step)
		a := buckets[k]
		if a == nil {
			a = &acc{}
			buckets[k] = a
			order = append(order, k)
		}
		a.n++
		a.cpu += s.CPUPercent
		a.memUsed += s.MemUsedBytes
		a.memTotal = max(a.memTotal, s.MemTotalBytes)
		if i > 0 {
			prev := samples[i-1]
			dt := s.At.Sub(prev.At).Seconds()
			dr, dw := s.DiskReadBytes-prev.DiskReadBytes, s.DiskWriteBytes-prev.DiskWriteBytes
			// Counters start again at boot: a negative delta is a reset,
			// and a long gap is not one interval.
			if dt > 0 && dt <= 3*float64(SampleInterval/time.Second) && dr >= 0 && dw >= 0 {
				a.read += float64(dr)
				a.write += float64(dw)
				a.secs += dt
				a.rated = true
			}
		}
	}
	out := make([]MetricPoint, 0, len(order))
	for _, k := range order {
		a := buckets[k]
		p := MetricPoint{At: start.Add(time.Duration(k) * step).UTC(), CPUPercent: a.cpu / float64(a.n),
			MemUsedBytes: a.memUsed / int64(a.n), MemTotalBytes: a.memTotal}
		if a.rated {
			r, w := a.read/a.secs, a.write/a.secs
			p.DiskReadPerSec, p.DiskWritePerSec = &r, &w
		}
		out = append(out, p)
	}
	return out
}

// SampleInterval is how often the sampler runs (routes.Schedules).
const SampleInterval = 5 * time.Minute

// metricsHistory is GET /api/servers/{id}/metrics/history?range=1h|24h|7d|30d.
func (h *handlers) metricsHistory(w http.ResponseWriter, r *http.Request) error {
	rng := r.URL.Query().Get("range")
	if rng == "" {
		rng = "24h"
	}
	spec, ok := historyRanges[rng]
	if !ok {
		return panel.Invalid(map[string]string{"range": "Choose 1h, 24h, 7d or 30d."})
	}
	if h.d.Metrics == nil {
		return panel.NotFound("metrics history")
	}
	s, err := h.owned(r, false)
	if err != nil {
		return err
	}
	until := h.d.Now().UTC()
	// One step earlier, so the first step's rate has a previous sample.
	samples, err := h.d.Metrics.MetricSamples(r.Context(), s.ID, until.Add(-spec.span-SampleInterval), until)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, MetricsHistory{Range: rng, StepSeconds: int64(spec.step / time.Second),
		Points: Downsample(samples, until, spec.span, spec.step)})
}
