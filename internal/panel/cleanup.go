package panel

import (
	"context"
	"time"
)

// OrderCleanup is a server order that has not reached a final state: still
// pending (the request that placed it may have died half-way, say when
// DynamoDB went away), or failed with a server left to delete. The jobs
// function settles each one: charged and built, or refunded and deleted.
type OrderCleanup struct {
	UserID      string
	Key         string // the order's Idempotency-Key
	RequestHash string // the order's request fingerprint
	Status      string // OrderPending or OrderFailed
	ServerID    int64  // 0 when none was recorded
	Attempts    int    // retries made so far
	LastError   string
	CreatedAt   time.Time
}

// OrderCleanups keeps the orders that have not reached a final state.
type OrderCleanups interface {
	// PendingOrderCleanups lists up to limit unsettled orders, oldest first.
	PendingOrderCleanups(ctx context.Context, limit int) ([]OrderCleanup, error)
	// FinishOrderCleanup records one retry: done (the server is gone) or
	// giveUp (attempts exhausted) takes the order off the pending list;
	// otherwise Attempts and LastError are stored for the next run.
	FinishOrderCleanup(ctx context.Context, c OrderCleanup, done, giveUp bool) error
}
