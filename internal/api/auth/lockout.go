package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Password sign-in limits failures, not attempts, so that nobody can lock
// an owner out by failing on purpose (OWASP's "device cookies" scheme):
//
//   - From a browser that has signed in to this account before (it holds a
//     device cookie bound to the email), only that device's own failures
//     count: 10 per window. Failures from elsewhere never lock it out.
//   - From anywhere else, failures count per email (10 per window) and per
//     IP (30 per window, across all emails). An attacker can lock out only
//     other unknown devices, for one window.
//
// Each attempt is counted before Auth0 is asked, so concurrent guesses
// cannot slip past a limit, and given back unless the password was wrong.
// Auth0's own brute-force protection (per user and IP) still applies.

const deviceCookieTTL = 180 * 24 * time.Hour

func deviceCookieName(secure bool) string {
	if secure {
		return "__Host-vfp_device"
	}
	return "vfp_device"
}

// deviceMAC binds a device id to an email under a key derived from StateKey.
func (d *Deps) deviceMAC(device, email string) []byte {
	key := sha256.Sum256([]byte("vfpanel device v1\x00" + d.StateKey))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(device + "\x00" + strings.ToLower(email)))
	return m.Sum(nil)
}

// knownDevice returns the device id of the request's device cookie when it
// was issued by a successful sign-in to email, else "".
func (d *Deps) knownDevice(r *http.Request, email string) string {
	c, err := r.Cookie(deviceCookieName(d.CookieSecure))
	if err != nil || len(c.Value) > 128 {
		return ""
	}
	device, sig, ok := strings.Cut(c.Value, ".")
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if !ok || device == "" || err != nil || !hmac.Equal(mac, d.deviceMAC(device, email)) {
		return ""
	}
	return device
}

// setDeviceCookie marks the browser as one that signed in to email; it
// keeps the browser's device id when it has one for that email.
func (d *Deps) setDeviceCookie(w http.ResponseWriter, r *http.Request, email string) {
	device := d.knownDevice(r, email)
	if device == "" {
		device = randomToken(16)
	}
	v := device + "." + base64.RawURLEncoding.EncodeToString(d.deviceMAC(device, email))
	http.SetCookie(w, &http.Cookie{Name: deviceCookieName(d.CookieSecure), Value: v, Path: "/",
		MaxAge: int(deviceCookieTTL / time.Second), HttpOnly: true, Secure: d.CookieSecure, SameSite: http.SameSiteLaxMode})
}

type limit struct {
	key string
	n   int
}

// signInLimits are the failure counters a password sign-in for email
// from r counts against.
func (d *Deps) signInLimits(r *http.Request, email string) []limit {
	if device := d.knownDevice(r, email); device != "" {
		return []limit{{"auth:fail:device:" + email + "|" + device, d.Limits.PerEmail}}
	}
	return []limit{
		{"auth:fail:ip:" + httpx.ClientIP(r), d.Limits.PerIP},
		{"auth:fail:email:" + email, d.Limits.PerEmail},
	}
}

// reserve counts one attempt against each limit. When one refuses, the
// attempts already counted are given back and its error returned;
// otherwise release gives them all back (call it unless the attempt
// failed).
func (d *Deps) reserve(ctx context.Context, limits []limit) (release func(), err error) {
	var counted []string
	release = func() {
		for _, k := range counted {
			if err := d.Limiter.Undo(context.WithoutCancel(ctx), k, d.Limits.Window); err != nil {
				httpx.Logger(ctx).Warn("rate limit undo", "err", err)
			}
		}
	}
	for _, l := range limits {
		if err := d.Limiter.Allow(ctx, l.key, l.n, d.Limits.Window); err != nil {
			if panel.ErrorCode(err) == panel.ERATELIMITED {
				counted = append(counted, l.key) // refused, so it tried no password
			}
			release()
			return nil, err
		}
		counted = append(counted, l.key)
	}
	return release, nil
}
