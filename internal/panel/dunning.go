package panel

import (
	"context"
	"time"
)

// Dunning is where a customer stands in the dunning policy: low-balance
// warnings, suspension, the final warning and deletion. Each step is
// recorded together with its message, so each happens once.
type Dunning struct {
	UserID string
	// Version is 0 for a customer never dunned; SaveDunning checks it.
	Version int64
	// LowEpisode counts low-balance periods; the warnings' ids carry it,
	// so a new period warns again.
	LowEpisode int64
	// WarnedHours is the smallest runway (72, 24) warned of in this
	// period; 0 when none.
	WarnedHours   int
	SuspendedAt   time.Time // zero while not suspended
	FinalWarnedAt time.Time // the final warning of this suspension
	DeletedAt     time.Time // when this suspension's servers were deleted
}

// DunningStore keeps customers' dunning state.
type DunningStore interface {
	// Dunning returns a customer's state (Version 0 when never saved).
	Dunning(ctx context.Context, userID string) (*Dunning, error)
	// SaveDunning stores d as version d.Version+1 if the stored version is
	// still d.Version, and queues notify in the same write. ECONFLICT when
	// someone else saved first.
	SaveDunning(ctx context.Context, d *Dunning, notify []Notification) error
}
