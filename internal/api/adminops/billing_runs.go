package adminops

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// RerunRequest is the body of POST /api/admin/billing/runs.
type RerunRequest struct {
	// Hour is the last hour to charge (truncated to the hour); it must have started.
	Hour time.Time `json:"hour"`
}

// Valid reports each bad field.
func (r RerunRequest) Valid() map[string]string {
	if r.Hour.IsZero() {
		return map[string]string{"hour": "Choose the hour to re-run."}
	}
	return nil
}

// RerunResult is the answer to POST /api/admin/billing/runs.
type RerunResult struct {
	Hour           time.Time `json:"hour"`
	Servers        int       `json:"servers"`
	ServersCharged int       `json:"serversCharged"`
	ServersFailed  int       `json:"serversFailed"`
	HoursCharged   int       `json:"hoursCharged"`
	ChargedMinor   int64     `json:"chargedMinor"`
}

// billingRuns serves GET /api/admin/billing/runs?cursor=&limit=.
func (h *handlers) billingRuns(w http.ResponseWriter, r *http.Request) error {
	if _, err := admin(r); err != nil {
		return err
	}
	limit := 25
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return panel.Invalid(map[string]string{"limit": "Between 1 and 100."})
		}
		limit = n
	}
	runs, next, err := h.d.Runs.BillingRuns(r.Context(), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, panel.NewPage(runs, next))
}

// rerun serves POST /api/admin/billing/runs: charges every active server's
// unbilled hours up to the hour given, in this request. Idempotent: an
// hour already charged is behind the server's billing cursor, which the
// charge's condition checks, so a re-run (or a retry of one) never charges
// it again.
func (h *handlers) rerun(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	req, err := httpx.Decode[RerunRequest](r)
	if err != nil {
		return err
	}
	hour := req.Hour.UTC().Truncate(time.Hour)
	st, err := h.d.Billing.RerunHour(r.Context(), hour, p.UserID)
	res := RerunResult{Hour: hour, Servers: st.Servers, ServersCharged: st.ServersCharged, ServersFailed: st.ServersFailed,
		HoursCharged: st.Charged, ChargedMinor: st.ChargedMinor}
	h.audit(r, p, panel.ActBillingRerun, "billing:"+hour.Format(time.RFC3339), nil, res, err)
	if err != nil {
		return err
	}
	return httpx.Encode(w, http.StatusOK, res)
}
