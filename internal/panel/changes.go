package panel

import (
	"context"
	"time"
)

// Idempotency key namespaces of package changes (see the other Idem*).
const (
	IdemResize     = "RESIZE#"     // + server id + "#" + the customer's key: an upgrade's charge
	IdemResizeUndo = "RESIZEUNDO#" // + server id + "#" + the customer's key: its reversal
)

// PendingResize is a package change between its reserve (the charge of the
// current hour's difference, written with it) and its settle or undo. At
// most one is pending per server: the reserve's write is conditioned on it.
type PendingResize struct {
	Key             string    // the customer's Idempotency-Key
	FromPackageID   int64     // the package the change starts from
	PackageID       int64     // the package asked for
	HourlyMinor     int64     // its price
	MonthlyCapMinor int64     // its cap
	ChargedMinor    int64     // charged by the reserve (0 for a downgrade)
	At              time.Time // when it was reserved
}

// AddonPrices are what the operator charges for extras: each priced
// VirtFusion backup plan, and extra IPv4 addresses.
type AddonPrices struct {
	BackupPlans []BackupPlanPrice `json:"backupPlans"`
	IPv4        IPv4Price         `json:"ipv4"`
}

// BackupPlanPrice is the hourly add-on price of one VirtFusion backup plan
// (VirtFusion's API cannot list its plans: the operator names them).
type BackupPlanPrice struct {
	PlanID      int64  `json:"planId"`
	Name        string `json:"name"`
	HourlyMinor int64  `json:"hourlyMinor"`
}

// IPv4Price is the hourly price of one extra IPv4 address and how many a
// server may have on top of its first. MaxPerServer 0 sells none.
type IPv4Price struct {
	HourlyMinor  int64 `json:"hourlyMinor"`
	MaxPerServer int64 `json:"maxPerServer"`
}

// ServerChangeStore is the part of billing's storage that changes what a
// billed server pays for. Each method is one conditional write.
type ServerChangeStore interface {
	// ReserveResize records r as the server's pending change, and, when p
	// is not nil, posts p (the upgrade's charge) in the same write. The
	// write is conditioned on the server being active on r.FromPackageID
	// with nothing pending: ECONFLICT otherwise. EPAYMENTREQUIRED when
	// p.RequireBalanceMinor is not met; a p whose key was used before
	// changes nothing and answers ECONFLICT.
	ReserveResize(ctx context.Context, serverID int64, r PendingResize, p *Posting) (*BilledServer, error)
	// SettleResize makes the pending change with key the server's package
	// and price: hours from priceFrom on are charged at the new price.
	// ECONFLICT when no change with key is pending.
	SettleResize(ctx context.Context, serverID int64, key string, priceFrom time.Time) (*BilledServer, error)
	// UndoResize forgets the pending change with key and, when p is not
	// nil, posts p (the reversal of its charge) in the same write.
	// changed=false when no change with key is pending.
	UndoResize(ctx context.Context, serverID int64, key string, p *Posting) (changed bool, err error)
	//
	// The add-on changes below happen at time at; the hours before the next
	// hour boundary keep the add-ons in effect at the start of at's hour
	// (see BilledServer.AddonsFrom).
	//
	// SetBackupPlan sets the server's backup plan (0: none) and its hourly
	// price, on the condition that the plan is still from. ECONFLICT
	// otherwise, or when the server is not active.
	SetBackupPlan(ctx context.Context, at time.Time, serverID, from, planID, hourlyMinor int64) (*BilledServer, error)
	// ReserveIPv4 counts one more extra address at hourlyMinor on the
	// condition that the server is active and has fewer than max.
	// ECONFLICT otherwise.
	ReserveIPv4(ctx context.Context, at time.Time, serverID, max, hourlyMinor int64) (*BilledServer, error)
	// AssignIPv4 records the addresses a reserved slot got.
	AssignIPv4(ctx context.Context, serverID int64, ips []string) (*BilledServer, error)
	// ReleaseIPv4 stops charging one extra address: ip when it is one of
	// the server's, or an unassigned slot when ip is "". ECONFLICT when
	// there is no such address or slot.
	ReleaseIPv4(ctx context.Context, at time.Time, serverID int64, ip string) (*BilledServer, error)
	// SetBackupPlanPrice, DeleteBackupPlanPrice and SetIPv4Price change the
	// add-on price book; AddonPrices reads it.
	SetBackupPlanPrice(ctx context.Context, p BackupPlanPrice) error
	DeleteBackupPlanPrice(ctx context.Context, planID int64) error
	SetIPv4Price(ctx context.Context, p IPv4Price) error
	AddonPrices(ctx context.Context) (*AddonPrices, error)
}

// ServerChanges is the part of VirtFusion package changes and add-ons use.
type ServerChanges interface {
	// ChangePackage moves a server to a package, re-applying CPU, memory,
	// disk size (grown only) and network limits.
	ChangePackage(ctx context.Context, id, packageID int64) error
	// ServerResources returns a server's current allocation. ENOTFOUND
	// when gone.
	ServerResources(ctx context.Context, id int64) (ServerResources, error)
	// Packages lists VirtFusion's packages (without prices).
	Packages(ctx context.Context) ([]Package, error)
	// SetBackupPlan sets a server's backup plan; 0 removes it.
	SetBackupPlan(ctx context.Context, id, planID int64) error
	// AddIPv4 assigns n more IPv4 addresses and returns them.
	AddIPv4(ctx context.Context, id int64, n int) ([]string, error)
	// RemoveIPv4 takes addresses off a server.
	RemoveIPv4(ctx context.Context, id int64, ips []string) error
	// ServerIPv4 lists a server's public IPv4 addresses, primary first.
	ServerIPv4(ctx context.Context, id int64) ([]string, error)
}
