package panel

import "context"

// OrderedPackages tells which package each server was ordered with through
// the panel: billing records it per ordered server. VirtFusion's server
// object does not name its package, so this is preferred to guessing from
// the resources; servers made outside the panel are not known here.
type OrderedPackages interface {
	// OrderedPackageIDs returns the package id of each of serverIDs the
	// panel ordered; servers it did not order are left out.
	OrderedPackageIDs(ctx context.Context, serverIDs []int64) (map[int64]int64, error)
}
