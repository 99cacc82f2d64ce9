package adminops

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Admin overview (issue 20, item 10).

// OverviewTTL is how long a function instance serves the figures it
// counted before counting again.
const OverviewTTL = 60 * time.Second

// OverviewCounter counts the overview's figures (dynamo.Ledger.Overview).
type OverviewCounter func(ctx context.Context, now time.Time) (*panel.AdminOverview, error)

// overviewCache keeps the last figures for OverviewTTL.
type overviewCache struct {
	mu  sync.Mutex
	cur *panel.AdminOverview
}

func (c *overviewCache) get(ctx context.Context, now time.Time, count OverviewCounter) (*panel.AdminOverview, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && now.Sub(c.cur.AsOf) < OverviewTTL && now.Sub(c.cur.AsOf) >= 0 {
		return c.cur, nil
	}
	o, err := count(ctx, now)
	if err != nil {
		return nil, err
	}
	o.AsOf = now
	c.cur = o
	return o, nil
}

// overview serves GET /api/admin/overview.
func (h *handlers) overview(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	if h.d.Overview == nil {
		return panel.Errorf(panel.EUNAVAILABLE, "The overview is not set up.")
	}
	o, err := h.cache.get(r.Context(), h.d.now(), h.d.Overview)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=60")
	return httpx.Encode(w, http.StatusOK, o)
}
