package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// WelcomeNotes are the messages queued with a new user: the welcome mail
// and the staff's sign-up alert, keyed by the user id (created once).
// Auth0 sends the address verification itself.
func WelcomeNotes(u *panel.User) []panel.Notification {
	at := u.CreatedAt
	if at.IsZero() {
		at = time.Now()
	}
	return []panel.Notification{
		{ID: panel.NotificationID(panel.NotifyWelcome, u.ID), Kind: panel.NotifyWelcome, UserID: u.ID, Email: u.Email,
			Name: u.Name, Data: map[string]string{}, CreatedAt: at},
		{ID: panel.NotificationID(panel.NotifyStaffSignup, u.ID), Kind: panel.NotifyStaffSignup, UserID: u.ID,
			Data: map[string]string{"email": u.Email}, CreatedAt: at},
	}
}

// ExistingAccountMailer returns a Deps.ExistingAccount that mails the
// owner of email, at most once a day (the message id holds the date), so
// registering someone's address cannot flood them.
func ExistingAccountMailer(users panel.UserStore, q panel.NotificationQueue, now func() time.Time) func(ctx context.Context, email string) {
	return func(ctx context.Context, email string) {
		u, err := users.UserByEmail(ctx, email)
		if panel.ErrorCode(err) == panel.ENOTFOUND {
			return // in Auth0 but never signed in here: Auth0 alone knows them
		}
		if err != nil {
			slog.Error("auth: existing-account mail: find user", "err", err)
			return
		}
		at := now().UTC()
		n := panel.Notification{ID: panel.NotificationID(panel.NotifyExistingAccount, u.ID+"#"+at.Format("2006-01-02")),
			Kind: panel.NotifyExistingAccount, UserID: u.ID, Email: u.Email, Name: u.Name,
			Data: map[string]string{"at": at.Format("2 Jan 2006 15:04 UTC")}, CreatedAt: at}
		if err := q.Enqueue(ctx, n); err != nil {
			slog.Error("auth: existing-account mail", "err", err)
		}
	}
}

// newDeviceGrace is how long after creating an account its sign-ins are
// not reported: the welcome mail covers the first one.
const newDeviceGrace = 10 * time.Minute

// noteNewDevice queues the new-device mail for a sign-in from a browser
// without the account's device cookie, keyed by the new session.
func (d *Deps) noteNewDevice(ctx context.Context, u *panel.User, s *panel.Session) {
	if d.Notify == nil || s.CreatedAt.Sub(u.CreatedAt) < newDeviceGrace {
		return
	}
	device := deviceSummary(s.UserAgent)
	n := panel.Notification{ID: panel.NotificationID(panel.NotifyNewDevice, s.ID[:min(len(s.ID), 32)]),
		Kind: panel.NotifyNewDevice, UserID: u.ID, Email: u.Email, Name: u.Name,
		Data:      map[string]string{"ip": s.IP, "device": device, "at": s.CreatedAt.Format("2 Jan 2006 15:04 UTC")},
		CreatedAt: s.CreatedAt}
	if err := d.Notify.Enqueue(ctx, n); err != nil {
		slog.Error("auth: new-device mail", "err", err)
	}
}
