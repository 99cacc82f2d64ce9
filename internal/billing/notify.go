package billing

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Recipients finds the customer a notification goes to.
type Recipients interface {
	// User returns a user by id. ENOTFOUND.
	User(ctx context.Context, id string) (*panel.User, error)
}

// note returns the customer notification of kind caused by cause, for
// userID. ok is false when billing is not wired to notify (no Users) or
// the customer is unknown: the event goes ahead without its message. A
// failed lookup is returned, so the event is retried with its message.
func (s *Service) note(ctx context.Context, userID string, kind panel.NotificationKind, cause string, data map[string]string) (panel.Notification, bool, error) {
	if s.Users == nil {
		return panel.Notification{}, false, nil
	}
	u, err := s.Users.User(ctx, userID)
	if panel.ErrorCode(err) == panel.ENOTFOUND || (err == nil && u.Email == "") {
		s.log(ctx).Warn("billing: no one to notify", "user", userID, "kind", kind)
		return panel.Notification{}, false, nil
	}
	if err != nil {
		return panel.Notification{}, false, fmt.Errorf("billing: recipient of %s: %w", kind, err)
	}
	if data == nil {
		data = map[string]string{}
	}
	return panel.Notification{ID: panel.NotificationID(kind, cause), Kind: kind, UserID: userID, Email: u.Email,
		Name: u.Name, Data: data, CreatedAt: s.now()}, true, nil
}

// notes returns the customer notification and, when staff is not empty, a
// staff one about the same cause (its data gets the customer's email).
func (s *Service) notes(ctx context.Context, userID string, kind panel.NotificationKind, cause string, data map[string]string,
	staff panel.NotificationKind, staffData map[string]string) ([]panel.Notification, error) {
	n, ok, err := s.note(ctx, userID, kind, cause, data)
	if err != nil || !ok {
		return nil, err
	}
	out := []panel.Notification{n}
	if staff != "" {
		sd := map[string]string{"email": n.Email}
		for k, v := range staffData {
			sd[k] = v
		}
		out = append(out, panel.Notification{ID: panel.NotificationID(staff, cause), Kind: staff, UserID: userID,
			Data: sd, CreatedAt: n.CreatedAt})
	}
	return out, nil
}

// enqueue queues notifications that have no write of their own to join;
// failures are logged (the event itself has happened).
func (s *Service) enqueue(ctx context.Context, ns ...panel.Notification) {
	if s.Queue == nil {
		return
	}
	for _, n := range ns {
		if err := s.Queue.Enqueue(ctx, n); err != nil {
			s.log(ctx).Error("billing: queue notification", "id", n.ID, "err", err)
		}
	}
}

// staffAlert queues a staff notification about no customer.
func (s *Service) staffAlert(ctx context.Context, kind panel.NotificationKind, cause string, data map[string]string) {
	s.enqueue(ctx, panel.Notification{ID: panel.NotificationID(kind, cause), Kind: kind, Data: data, CreatedAt: s.now()})
}

// webhookFailed tells staff, once per event, that a webhook could not be
// processed (it is retried; they should look if it keeps failing).
func (s *Service) webhookFailed(ctx context.Context, source, eventID string, err error) {
	s.staffAlert(ctx, panel.NotifyStaffWebhookFailure, source+"#"+eventID,
		map[string]string{"source": source, "eventId": eventID, "error": clip(err.Error(), 300)})
}

// ReportRunErrors tells staff, at most once an hour, that the scheduled
// run (billing, order cleanups, event redelivery) hit errors.
func (s *Service) ReportRunErrors(ctx context.Context, errs []error) {
	if len(errs) == 0 {
		return
	}
	run := s.now().Truncate(time.Hour).Format("2006-01-02T15")
	s.staffAlert(ctx, panel.NotifyStaffBillingError, run,
		map[string]string{"run": run, "errors": strconv.Itoa(len(errs)), "first": clip(errs[0].Error(), 300)})
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
