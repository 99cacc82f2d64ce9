package servers

import (
	"context"

	"github.com/vfpanel/vfpanel/internal/httpx"
)

// orderedPackages returns the package each of ids was ordered with (billing's
// record), or nil when there is no store or it fails: the servers are then
// shown with the package their resources match.
func (h *handlers) orderedPackages(ctx context.Context, ids []int64) map[int64]int64 {
	if h.d.Ordered == nil || len(ids) == 0 {
		return nil
	}
	m, err := h.d.Ordered.OrderedPackageIDs(ctx, ids)
	if err != nil {
		httpx.Logger(ctx).Warn("servers: ordered packages unavailable", "err", err)
		return nil
	}
	return m
}
