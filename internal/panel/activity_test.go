package panel

import "testing"

// TestActivityKinds: the vocabulary has no empty or repeated kind, and
// every dunning step the billing run can record is in it.
func TestActivityKinds(t *testing.T) {
	seen := map[ActivityKind]bool{}
	for _, k := range ActivityKinds {
		if k == "" || seen[k] {
			t.Errorf("kind %q empty or repeated", k)
		}
		seen[k] = true
	}
	for _, n := range []NotificationKind{NotifyLowBalance, NotifySuspended, NotifyUnsuspended, NotifyDeletionScheduled, NotifyDeleted} {
		if k := DunningActivity(n); !k.Known() {
			t.Errorf("dunning step %s: kind %q not in ActivityKinds", n, k)
		}
	}
	if ActivityKind("server.reset-password").Known() {
		t.Error("an unknown kind is Known")
	}
}

func TestPowerActionOf(t *testing.T) {
	tests := map[string]string{"server.boot": "boot", "server.shutdown": "shutdown", "server.restart": "restart",
		"server.poweroff": "poweroff", "server.build": "", "boot": "boot", "": ""}
	for in, want := range tests {
		if got := PowerActionOf(in); got != want {
			t.Errorf("PowerActionOf(%q): got %q, want %q", in, got, want)
		}
	}
}
