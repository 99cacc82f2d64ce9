package panel

import (
	"context"
	"time"
)

// OrderCleanup is a failed server order whose undo did not finish
// (ServerOrder.Status OrderFailed with a server created): its VirtFusion
// server may still exist, so its deletion is retried.
type OrderCleanup struct {
	UserID    string
	Key       string // the order's Idempotency-Key
	ServerID  int64
	Attempts  int // retries made so far
	LastError string
	CreatedAt time.Time
}

// OrderCleanups keeps the failed orders whose server deletion is pending.
type OrderCleanups interface {
	// PendingOrderCleanups lists up to limit pending cleanups, oldest first.
	PendingOrderCleanups(ctx context.Context, limit int) ([]OrderCleanup, error)
	// FinishOrderCleanup records one retry: done (the server is gone) or
	// giveUp (attempts exhausted) takes the order off the pending list;
	// otherwise Attempts and LastError are stored for the next run.
	FinishOrderCleanup(ctx context.Context, c OrderCleanup, done, giveUp bool) error
}
