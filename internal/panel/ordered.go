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

// UnbilledServers tells which servers the panel ordered and no longer
// bills (their order failed, or billing stopped): such a server must not be
// usable by the customer, whatever VirtFusion still has.
type UnbilledServers interface {
	// Unbilled reports whether the panel ordered serverID and does not bill
	// it; false for servers it never ordered.
	Unbilled(ctx context.Context, serverID int64) (bool, error)
}
