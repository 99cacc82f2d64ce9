package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// audit serves GET /api/admin/audit: actor (a user id or email), user
// (whose log), action (a prefix), target, from/to (RFC 3339 or a date),
// newest first, paged.
func (h *console) audit(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	bad := map[string]string{}
	when := func(key string, end bool) time.Time {
		v := q.Get(key)
		if v == "" {
			return time.Time{}
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			bad[key] = "Use a date (2006-01-02) or an RFC 3339 time."
			return time.Time{}
		}
		if end {
			t = t.AddDate(0, 0, 1) // a "to" date includes that day
		}
		return t
	}
	aq := panel.AuditQuery{Actor: q.Get("actor"), UserID: q.Get("user"), Action: strings.TrimSpace(q.Get("action")),
		Target: strings.TrimSpace(q.Get("target")), From: when("from", false), To: when("to", true),
		Cursor: q.Get("cursor"), Limit: queryLimit(r, 50)}
	if len(bad) > 0 {
		return panel.Invalid(bad)
	}
	for _, ref := range []*string{&aq.Actor, &aq.UserID} {
		if strings.Contains(*ref, "@") {
			u, err := h.d.Store.UserByEmail(r.Context(), *ref)
			if err != nil {
				return err
			}
			*ref = u.ID
		}
	}
	es, next, err := h.d.Audit.SearchAudit(r.Context(), aq)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(auditView(es), next))
}
