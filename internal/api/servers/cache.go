package servers

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// DefaultCacheTTL is how long live server state is reused. VirtFusion's
// remoteState is a libvirt round trip per server, so a page that polls
// every few seconds must not cost one each time.
const DefaultCacheTTL = 5 * time.Second

// Cache holds recently fetched servers with their live state, per
// process. Actions and webhooks invalidate entries.
type Cache struct {
	ttl time.Duration
	now func() time.Time
	sf  singleflight.Group

	mu    sync.Mutex
	m     map[int64]cacheEntry
	snaps map[int64]snapMark // what this process last wrote as each server's snapshot
}

type snapMark struct {
	sum string
	at  time.Time
}

// snapshotEvery is how often an unchanged server's snapshot is rewritten
// (to keep it from expiring).
const snapshotEvery = time.Hour

// NeedsSnapshot reports whether the snapshot of server id should be
// written: this process has not written it with the same content within
// snapshotEvery. Unchanged servers then cost no write per list.
func (c *Cache) NeedsSnapshot(id int64, sum string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.snaps[id]
	return !ok || m.sum != sum || c.now().Sub(m.at) >= snapshotEvery
}

// SnapshotWritten records a written snapshot.
func (c *Cache) SnapshotWritten(id int64, sum string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snaps[id] = snapMark{sum: sum, at: c.now()}
}

type cacheEntry struct {
	s  *virtfusion.Server
	at time.Time
}

// NewCache returns a cache keeping entries for ttl (0 disables it).
func NewCache(ttl time.Duration, now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{ttl: ttl, now: now, m: map[int64]cacheEntry{}, snaps: map[int64]snapMark{}}
}

// Get returns a fresh cached server.
func (c *Cache) Get(id int64) (*virtfusion.Server, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok {
		return nil, false
	}
	if c.now().Sub(e.at) >= c.ttl {
		delete(c.m, id)
		return nil, false
	}
	return e.s, true
}

// Put stores s.
func (c *Cache) Put(s *virtfusion.Server) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[s.ID] = cacheEntry{s: s, at: c.now()}
	// Drop expired entries now and then so a warm process does not grow.
	if len(c.m) > 4096 {
		for k, e := range c.m {
			if c.now().Sub(e.at) >= c.ttl {
				delete(c.m, k)
			}
		}
	}
}

// Invalidate forgets a server, so the next read asks VirtFusion.
func (c *Cache) Invalidate(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
	delete(c.snaps, id)
}

// Live returns the cached server if fresh, else fetches it once however
// many callers ask at the same time. The fetch outlives a caller that gives
// up, bounded by fetchTimeout, so the others still get the answer.
func (c *Cache) Live(ctx context.Context, id int64, fetch func(context.Context) (*virtfusion.Server, error)) (*virtfusion.Server, error) {
	if s, ok := c.Get(id); ok && s.RemoteState != nil {
		return s, nil
	}
	ch := c.sf.DoChan(strconv.FormatInt(id, 10), func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout(ctx))
		defer cancel()
		s, err := fetch(fctx)
		if err != nil {
			return nil, err
		}
		c.Put(s)
		return s, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*virtfusion.Server), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fetchTimeout is the caller's remaining time, or 20s without a deadline.
func fetchTimeout(ctx context.Context) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		return max(time.Until(dl), time.Millisecond)
	}
	return 20 * time.Second
}
