package panel

import (
	"context"
	"time"
)

// MetricSample is one stored sample of a running server's usage. Disk I/O
// counters are cumulative (since the guest booted), as the hypervisor
// reports them; readers turn them into rates.
type MetricSample struct {
	ServerID       int64
	At             time.Time
	CPUPercent     float64
	MemUsedBytes   int64
	MemTotalBytes  int64
	DiskReadBytes  int64
	DiskWriteBytes int64
}

// MetricsStore keeps metric samples for a limited time.
type MetricsStore interface {
	// PutMetricSamples stores samples, batched.
	PutMetricSamples(ctx context.Context, samples []MetricSample) error
	// MetricSamples returns a server's samples in [since, until], oldest first.
	MetricSamples(ctx context.Context, serverID int64, since, until time.Time) ([]MetricSample, error)
}
