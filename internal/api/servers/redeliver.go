package servers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// RedeliverStats counts one RedeliverEvents run.
type RedeliverStats struct {
	Pending   int // events stored but not yet handed to the sink
	Delivered int
	Failed    int // the sink refused them again (retried next run)
}

// RedeliverEvents hands stored VirtFusion webhook events that the sink
// did not accept (billing was down when they arrived) to it again, oldest
// first, at most limit of them. The sink is idempotent, so an event
// delivered meanwhile by the webhook does no harm. It returns an error
// when any delivery failed.
func RedeliverEvents(ctx context.Context, store panel.ServerEventStore, sink panel.ServerEventSink, limit int) (RedeliverStats, error) {
	var st RedeliverStats
	evs, err := store.PendingServerEvents(ctx, limit)
	if err != nil {
		return st, fmt.Errorf("servers: pending events: %w", err)
	}
	st.Pending = len(evs)
	var errs []error
	for _, ev := range evs {
		if err := sink.ServerEvent(ctx, ev); err != nil {
			st.Failed++
			slog.WarnContext(ctx, "servers: event redelivery failed", "delivery", ev.ID, "event", ev.Event, "server", ev.ServerID, "err", err)
			errs = append(errs, fmt.Errorf("event %s: %w", ev.ID, err))
			continue
		}
		if err := store.MarkServerEventDelivered(ctx, ev.ID); err != nil {
			// Delivered but still listed: the next run hands it on again.
			st.Failed++
			errs = append(errs, fmt.Errorf("mark event %s delivered: %w", ev.ID, err))
			continue
		}
		st.Delivered++
	}
	if len(errs) > 0 {
		return st, fmt.Errorf("servers: redeliver events: %w", errors.Join(errs...))
	}
	return st, nil
}
