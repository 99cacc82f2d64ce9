package panel

import (
	"strings"
	"testing"
	"time"
)

// FuzzNotificationID: an id NotificationID makes passes Validate exactly
// when its cause is made of path-safe characters and it fits the limit,
// and no valid id has a character a URL path segment would need escaped.
func FuzzNotificationID(f *testing.F) {
	f.Add("u_abc")
	f.Add("REFUND#8MC585209K746392H")
	f.Add("u_1:0:72")
	f.Add("")
	f.Add("a/b")
	f.Add(strings.Repeat("x", 200))
	f.Fuzz(func(t *testing.T, cause string) {
		n := Notification{Kind: NotifyWelcome, ID: NotificationID(NotifyWelcome, cause), UserID: "u_1",
			Email: "a@example.com", CreatedAt: time.Unix(1, 0)}
		bad := n.Validate()
		safe := cause != "" && len(n.ID) <= MaxNotificationIDLen
		for _, c := range strings.ReplaceAll(cause, "#", ":") {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.:~", c)) {
				safe = false
			}
		}
		if (bad == nil) != safe {
			t.Fatalf("cause %q: Validate %v, want valid=%v", cause, bad, safe)
		}
		if bad == nil && strings.ContainsAny(n.ID, "/?#% ") {
			t.Fatalf("valid id %q needs escaping in a path", n.ID)
		}
	})
}

func TestNotificationIDValidate(t *testing.T) {
	tests := []struct {
		name string
		kind NotificationKind
		id   string
		ok   bool
	}{
		{"OK", NotifyTopupCredited, "topup-credited:CAP1", true},
		{"ErrOldSeparator", NotifyTopupCredited, "topup-credited#CAP1", false},
		{"ErrOtherKind", NotifyTopupCredited, "welcome:CAP1", false},
		{"ErrNoCause", NotifyTopupCredited, "topup-credited:", false},
		{"ErrTooLong", NotifyTopupCredited, "topup-credited:" + strings.Repeat("x", 120), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Notification{Kind: tt.kind, ID: tt.id, UserID: "u", Email: "a@example.com", CreatedAt: time.Unix(1, 0)}
			if got := n.Validate() == nil; got != tt.ok {
				t.Fatalf("got valid=%v, want %v (%v)", got, tt.ok, n.Validate())
			}
		})
	}
}
