package auth

import (
	"context"
	"net/http"
	"regexp"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Notifier queues a notification (dynamo.Outbox).
type Notifier interface {
	Enqueue(ctx context.Context, n panel.Notification) error
}

// alertNewDevice mails the customer when a password sign-in came from a
// browser without this account's device cookie (lockout.go). A brand-new
// account's first sign-in is not news to its owner.
func (h *handlers) alertNewDevice(r *http.Request, u *panel.User, sessionID string) {
	if h.d.Notify == nil || h.d.knownDevice(r, u.Email) != "" {
		return
	}
	now := h.d.Now().UTC()
	if now.Sub(u.CreatedAt) < time.Minute {
		return
	}
	ctx := r.Context()
	n := panel.Notification{ID: panel.NotificationID(panel.NotifyNewDevice, sessionID[:32]), Kind: panel.NotifyNewDevice,
		UserID: u.ID, Email: u.Email, Name: u.Name, CreatedAt: now,
		Data: map[string]string{"ip": httpx.ClientIP(r), "device": deviceSummary(r.UserAgent()), "at": now.Format("2 Jan 2006 15:04 UTC")}}
	if err := h.d.Notify.Enqueue(context.WithoutCancel(ctx), n); err != nil {
		// The sign-in stands; a lost alert is logged.
		httpx.Logger(ctx).Error("new-device alert", "err", err, "userId", u.ID)
	}
}

var (
	browsers = []struct {
		re   *regexp.Regexp
		name string
	}{
		{regexp.MustCompile(`Edg/`), "Edge"}, {regexp.MustCompile(`Firefox/`), "Firefox"},
		{regexp.MustCompile(`Chrome/`), "Chrome"}, {regexp.MustCompile(`Safari/`), "Safari"},
		{regexp.MustCompile(`(?i)curl`), "curl"},
	}
	systems = []struct {
		re   *regexp.Regexp
		name string
	}{
		{regexp.MustCompile(`Android`), "Android"}, {regexp.MustCompile(`iPhone|iPad`), "iOS"},
		{regexp.MustCompile(`Windows`), "Windows"}, {regexp.MustCompile(`Mac OS X`), "macOS"},
		{regexp.MustCompile(`Linux`), "Linux"},
	}
)

// deviceSummary turns a User-Agent into "Firefox on Linux" (no version,
// no location), as the sessions list in the UI does.
func deviceSummary(ua string) string {
	b, os := "A browser", ""
	for _, c := range browsers {
		if c.re.MatchString(ua) {
			b = c.name
			break
		}
	}
	for _, c := range systems {
		if c.re.MatchString(ua) {
			os = c.name
			break
		}
	}
	if os == "" {
		return b
	}
	return b + " on " + os
}
