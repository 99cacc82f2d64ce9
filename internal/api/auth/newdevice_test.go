package auth_test

import (
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestNewDeviceAlert: a password sign-in from a browser without the
// account's device cookie queues a new-device mail in the outbox; the
// same browser signing in again does not, nor does a new account's very
// first sign-in.
func TestNewDeviceAlert(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.auth0.AddUser("ann@example.com", pw, "Ann")
	outbox := e.deps.Notify.(*dynamo.Outbox)
	alerts := func() []*panel.Delivery {
		t.Helper()
		uid := auth.UserID(e.auth0.Subject("ann@example.com"))
		list, _, err := outbox.History(t.Context(), uid, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []*panel.Delivery
		for _, d := range list {
			if d.Kind == panel.NotifyNewDevice {
				out = append(out, d)
			}
		}
		return out
	}
	first := e.browser()
	first.mustLogin("ann@example.com", pw) // creates the account: no alert
	if n := len(alerts()); n != 0 {
		t.Fatalf("first sign-in of a new account: %d alerts", n)
	}
	e.clock.Advance(11 * time.Minute)      // past the new account's grace (newDeviceGrace)
	first.mustLogin("ann@example.com", pw) // same browser
	if n := len(alerts()); n != 0 {
		t.Fatalf("known device: %d alerts", n)
	}
	e.browser().mustLogin("ann@example.com", pw) // another browser
	got := alerts()
	if len(got) != 1 || got[0].Email != "ann@example.com" || got[0].Data["device"] != "A browser" || got[0].Data["ip"] == "" {
		t.Fatalf("new device: got %+v", got)
	}
}
