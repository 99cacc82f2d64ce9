package auth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// mail returns the customer's queued mail of kind k.
func (e *env) mail(userID string, k panel.NotificationKind) []*panel.Delivery {
	e.t.Helper()
	list, _, err := e.outbox.History(context.Background(), userID, "", 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*panel.Delivery
	for _, d := range list {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

func TestNotifications(t *testing.T) {
	e := newEnv(t, envOptions{})
	b := e.browser()
	b.do("POST", "/api/auth/register", map[string]string{"email": "wendy@example.com", "password": pw, "name": "Wendy"})
	uid := b.mustLogin("wendy@example.com", pw).user()["id"].(string)

	t.Run("WelcomeOnce", func(t *testing.T) {
		e.browser().mustLogin("wendy@example.com", pw) // signing in again creates nothing
		w := e.mail(uid, panel.NotifyWelcome)
		if len(w) != 1 || w[0].Email != "wendy@example.com" || w[0].Name != "Wendy" {
			t.Fatalf("got welcome %+v, want one", w)
		}
		if _, err := e.outbox.Delivery(context.Background(), panel.NotificationID(panel.NotifyStaffSignup, uid)); err != nil {
			t.Fatalf("staff sign-up alert: %v", err)
		}
		// The first sign-ins are the welcome's: no new-device mail yet.
		if nd := e.mail(uid, panel.NotifyNewDevice); len(nd) != 0 {
			t.Fatalf("got new-device mail %+v right after sign-up", nd)
		}
	})
	t.Run("NewDevice", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		b.mustLogin("wendy@example.com", pw) // this browser is known
		if nd := e.mail(uid, panel.NotifyNewDevice); len(nd) != 0 {
			t.Fatalf("got %+v for a known device", nd)
		}
		e.browser().mustLogin("wendy@example.com", pw) // a new one
		nd := e.mail(uid, panel.NotifyNewDevice)
		if len(nd) != 1 || nd[0].Data["ip"] == "" || nd[0].Data["device"] == "" {
			t.Fatalf("got %+v, want one new-device mail", nd)
		}
	})
	t.Run("ExistingAccountOnceADay", func(t *testing.T) {
		for range 3 {
			r := e.browser().do("POST", "/api/auth/register", map[string]string{"email": "Wendy@example.com", "password": pw, "name": "X"})
			if r.status != 202 {
				t.Fatalf("register: got %d %s", r.status, r.raw)
			}
		}
		got := e.mail(uid, panel.NotifyExistingAccount)
		if len(got) != 1 || !strings.Contains(got[0].ID, uid) {
			t.Fatalf("got %+v, want one", got)
		}
	})
}
