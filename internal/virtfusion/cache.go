package virtfusion

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// cache holds catalogue data (packages, templates, hypervisor groups and
// their resources) for a short TTL. Per-user data is never cached: it must
// reflect the customer's own changes at once.
type cache struct {
	ttl time.Duration
	now func() time.Time
	sf  singleflight.Group

	mu sync.Mutex
	m  map[string]cacheEntry
}

type cacheEntry struct {
	v       any
	expires time.Time
}

func newCache(ttl time.Duration, now func() time.Time) *cache {
	return &cache{ttl: ttl, now: now, m: make(map[string]cacheEntry)}
}

func (c *cache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	if !c.now().Before(e.expires) {
		delete(c.m, key)
		return nil, false
	}
	return e.v, true
}

func (c *cache) put(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = cacheEntry{v: v, expires: c.now().Add(c.ttl)}
}

// InvalidateCatalogue drops all cached catalogue data, e.g. after an admin
// edits packages in VirtFusion.
func (c *Client) InvalidateCatalogue() {
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	clear(c.cache.m)
}

// cached returns the value under key, calling fetch on a miss. Concurrent
// misses share one fetch. The fetch runs detached from any one caller's
// cancellation (so one impatient caller doesn't fail the others) but is
// bounded by the client's own timeouts; each caller still stops waiting when
// its ctx ends. Errors are not cached. Returned values are shared: callers
// must not modify them.
func cached[T any](ctx context.Context, c *Client, key string, fetch func(context.Context) (T, error)) (T, error) {
	var zero T
	if c.cache.ttl < 0 {
		return fetch(ctx)
	}
	if v, ok := c.cache.get(key); ok {
		return v.(T), nil
	}
	ch := c.cache.sf.DoChan(key, func() (any, error) {
		// Another caller may have filled the entry while we queued.
		if v, ok := c.cache.get(key); ok {
			return v, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx),
			time.Duration(c.retry.MaxAttempts)*(c.timeout+c.retry.MaxRetryAfter))
		defer cancel()
		v, err := fetch(fctx)
		if err != nil {
			return nil, err
		}
		c.cache.put(key, v)
		return v, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return zero, res.Err
		}
		return res.Val.(T), nil
	case <-ctx.Done():
		ae := transportError(ctx.Err())
		ae.Retryable = false
		return zero, ae
	}
}
