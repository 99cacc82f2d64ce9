// Package notifications serves a customer's mail preferences and history,
// the one-click unsubscribe link, and the admins' list of failed
// notifications with retry. The routes are not in the route table yet; the
// patterns below are what Handlers serves:
//
//	GET  /api/account/notifications             preferences (user)
//	PUT  /api/account/notifications             change preferences (user)
//	GET  /api/account/mail                      mail history, newest first (user)
//	GET  /api/notifications/unsubscribe         confirmation page (public, signed link)
//	POST /api/notifications/unsubscribe         unsubscribe: RFC 8058 one-click or the page's button (public, signed link)
//	GET  /api/admin/notifications/failed        failed notifications (admin)
//	POST /api/admin/notifications/{id}/retry    queue a failed one again (admin)
package notifications

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/notify"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Deps are what the handlers use. UnsubscribeKey is the key that signed
// the links (the session key).
type Deps struct {
	Outbox         panel.Outbox
	UnsubscribeKey []byte
	CompanyName    string
}

// PrefsRequest is the body of PUT /api/account/notifications.
type PrefsRequest struct {
	NonEssentialOff *bool `json:"nonEssentialOff"`
}

// Valid implements httpx.Validator.
func (r *PrefsRequest) Valid() map[string]string {
	if r.NonEssentialOff == nil {
		return map[string]string{"nonEssentialOff": "Send true or false."}
	}
	return nil
}

// MailItem is one message in a customer's history: what and when, never
// the content (it may carry a server's first password).
type MailItem struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Subject   string `json:"subject"`
	State     string `json:"state"`
	CreatedAt string `json:"createdAt"`
	SentAt    string `json:"sentAt,omitempty"`
}

// MailPage is a page of mail history.
type MailPage struct {
	Items      []MailItem `json:"items"`
	NextCursor string     `json:"nextCursor"`
}

// FailedItem is a failed notification as admins see it.
type FailedItem struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	UserID    string `json:"userId,omitempty"`
	Email     string `json:"email,omitempty"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"lastError"`
	CreatedAt string `json:"createdAt"`
}

// FailedPage is a page of failed notifications.
type FailedPage struct {
	Items      []FailedItem `json:"items"`
	NextCursor string       `json:"nextCursor"`
}

const timeFormat = "2006-01-02T15:04:05Z07:00"

// Handlers returns the handlers by route pattern.
func Handlers(d Deps) httpx.Handlers {
	f := func(fn httpx.HandlerFunc) http.Handler { return fn }
	return httpx.Handlers{
		"GET /api/account/notifications":           f(d.prefs),
		"PUT /api/account/notifications":           f(d.setPrefs),
		"GET /api/account/mail":                    f(d.history),
		"GET /api/notifications/unsubscribe":       f(d.unsubscribePage),
		"POST /api/notifications/unsubscribe":      f(d.unsubscribe),
		"GET /api/admin/notifications/failed":      f(d.failed),
		"POST /api/admin/notifications/{id}/retry": f(d.retry),
	}
}

func caller(r *http.Request) (*panel.Principal, error) {
	p := panel.PrincipalFrom(r.Context())
	if p == nil {
		return nil, panel.Errorf(panel.EUNAUTHORIZED, "Sign in first.")
	}
	return p, nil
}

func (d Deps) prefs(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	prefs, err := d.Outbox.Prefs(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, prefs)
}

func (d Deps) setPrefs(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[PrefsRequest](r)
	if err != nil {
		return err
	}
	if err := d.Outbox.SetPrefs(r.Context(), p.UserID, panel.NotificationPrefs{NonEssentialOff: *req.NonEssentialOff}); err != nil {
		return err
	}
	return d.prefs(w, r)
}

func limitOf(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 25, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		return 0, panel.Invalid(map[string]string{"limit": "Want a number from 1 to 100."})
	}
	return n, nil
}

func (d Deps) history(w http.ResponseWriter, r *http.Request) error {
	p, err := caller(r)
	if err != nil {
		return err
	}
	limit, err := limitOf(r)
	if err != nil {
		return err
	}
	list, next, err := d.Outbox.History(r.Context(), p.UserID, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	page := MailPage{Items: []MailItem{}, NextCursor: next}
	for _, m := range list {
		it := MailItem{ID: m.ID, Kind: string(m.Kind), Subject: m.Subject, State: m.State,
			CreatedAt: m.CreatedAt.UTC().Format(timeFormat)}
		if !m.SentAt.IsZero() {
			it.SentAt = m.SentAt.UTC().Format(timeFormat)
		}
		page.Items = append(page.Items, it)
	}
	return httpx.Encode(w, http.StatusOK, page)
}

// signedUser returns the user id of a valid unsubscribe link.
func (d Deps) signedUser(r *http.Request) (string, error) {
	q := r.URL.Query()
	u := q.Get("u")
	if !notify.VerifyUnsubscribe(d.UnsubscribeKey, u, q.Get("t")) {
		return "", panel.Errorf(panel.EFORBIDDEN, "This unsubscribe link is not valid.")
	}
	return u, nil
}

// page is the unsubscribe landing. It is served here rather than by the UI
// so it works without scripts or a session, and the button posts to the very
// link (RFC 8058). It looks like the panel (dark glass card) and links to the
// account's email settings, where the same choice can be undone.
var page = template.Must(template.New("unsubscribe").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="color-scheme" content="dark">
<title>{{.Company}}: mail settings</title>
<style>
body{font-family:system-ui,sans-serif;line-height:1.5;max-width:32rem;margin:3rem auto;padding:0 1rem;background:#0b1020;color:#e5e7eb}
main{background:rgba(255,255,255,.06);border:1px solid rgba(255,255,255,.12);border-radius:1rem;padding:1.5rem}
h1{font-size:1.25rem;margin:0 0 .75rem}
button{font:inherit;font-weight:600;background:#2563eb;color:#fff;border:0;border-radius:.5rem;padding:.6rem 1rem;cursor:pointer}
a{color:#93c5fd}
button:focus-visible,a:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
</style></head>
<body><main>
{{if .Done}}<h1>You are unsubscribed</h1>
<p>You will no longer get updates and receipts from {{.Company}}. Low-balance warnings, statements, security and billing mail still come.</p>
{{else}}<h1>Stop updates and receipts?</h1>
<p>{{.Company}} will stop sending top-up receipts, "server ready" and "running again" mail. Low-balance warnings, statements, security and billing mail still come.</p>
<form method="post"><button type="submit">Unsubscribe</button></form>{{end}}
<p><a href="` + AccountEmailPath + `">Change your email settings</a> (after signing in).</p>
</main></body></html>`))

// AccountEmailPath is the UI page with the same setting as the unsubscribe
// link (web/src/app/routes/account.tsx, tab "notifications").
const AccountEmailPath = "/account/notifications"

// unsubscribePage shows a confirmation: mail scanners follow GET links,
// so only the POST changes anything (RFC 8058 section 3.2).
func (d Deps) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	if _, err := d.signedUser(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	return page.Execute(w, map[string]any{"Company": d.CompanyName})
}

// unsubscribe turns off non-essential mail for the link's customer. Mail
// clients POST "List-Unsubscribe=One-Click" (RFC 8058); the page's button
// posts an empty form. Both carry the signed link as the query.
func (d Deps) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	uid, err := d.signedUser(r)
	if err != nil {
		return err
	}
	if err := d.Outbox.SetPrefs(r.Context(), uid, panel.NotificationPrefs{NonEssentialOff: true}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	return page.Execute(w, map[string]any{"Company": d.CompanyName, "Done": true})
}

func (d Deps) failed(w http.ResponseWriter, r *http.Request) error {
	limit, err := limitOf(r)
	if err != nil {
		return err
	}
	list, next, err := d.Outbox.Failed(r.Context(), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	out := FailedPage{Items: []FailedItem{}, NextCursor: next}
	for _, m := range list {
		out.Items = append(out.Items, FailedItem{ID: m.ID, Kind: string(m.Kind), UserID: m.UserID, Email: m.Email,
			Attempts: m.Attempts, LastError: m.LastError, CreatedAt: m.CreatedAt.UTC().Format(timeFormat)})
	}
	return httpx.Encode(w, http.StatusOK, out)
}

func (d Deps) retry(w http.ResponseWriter, r *http.Request) error {
	if err := d.Outbox.Retry(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	return httpx.NoContent(w)
}
