package status

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/health"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func allOK() health.Report {
	var cs []health.CheckResult
	for _, n := range []string{health.CheckDynamoDB, health.CheckVirtFusion, health.CheckPayPal, health.CheckAuth0, health.CheckSMTP} {
		cs = append(cs, health.CheckResult{Name: n, State: health.StateOK})
	}
	return health.Report{CheckedAt: now, Checks: cs}
}

func with(name, state string) health.Report {
	r := allOK()
	for i := range r.Checks {
		if r.Checks[i].Name == name {
			r.Checks[i].State = state
		}
	}
	return r
}

func newDeps(t *testing.T, rep health.Report) (Deps, dynamo.Store) {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	st := dynamo.Store{DB: db, Table: table, Now: func() time.Time { return now }}
	return Deps{Store: dynamo.NewStatus(st), Audit: dynamo.NewAuditLog(st), Now: st.Now,
		Checks: func(context.Context) health.Report { return rep }, StatusPageURL: "https://status.example.com"}, st
}

func getStatus(t *testing.T, d Deps) Response {
	t.Helper()
	rec := httptest.NewRecorder()
	PublicHandlers(d)["GET /api/status"].ServeHTTP(rec, httptest.NewRequest("GET", "/api/status", nil))
	if rec.Code != 200 {
		t.Fatalf("got %d: %s", rec.Code, rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=30, s-maxage=30" {
		t.Errorf("Cache-Control: got %q", cc)
	}
	var r Response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func stateOf(r Response, name string) string {
	for _, c := range r.Components {
		if c.Name == name {
			return c.State
		}
	}
	return "missing"
}

func TestStatusComponents(t *testing.T) {
	tests := []struct {
		name      string
		rep       health.Report
		run       *panel.JobRun // recorded billing run: LastRunAt, LastOK, LastSuccessAt
		component string
		want      string
		overall   string
	}{
		{"AllOK", allOK(), &panel.JobRun{LastRunAt: now.Add(-time.Hour), LastOK: true}, ComponentBilling, Operational, Operational},
		{"BillingNeverRan", allOK(), nil, ComponentBilling, Unknown, Operational},
		{"BillingLastFailed", allOK(), &panel.JobRun{LastRunAt: now.Add(-2*time.Hour - 30*time.Minute), LastOK: false}, ComponentBilling, Degraded, Degraded},
		{"BillingStale", allOK(), &panel.JobRun{LastRunAt: now.Add(-4 * time.Hour), LastOK: true}, ComponentBilling, Outage, Outage},
		{"VirtFusionDown", with(health.CheckVirtFusion, health.StateDown), nil, ComponentServerControl, Outage, Outage},
		{"PayPalDown", with(health.CheckPayPal, health.StateDown), nil, ComponentPayments, Outage, Outage},
		{"Auth0Down", with(health.CheckAuth0, health.StateDown), nil, ComponentSignIn, Outage, Outage},
		{"PayPalUnconfigured", with(health.CheckPayPal, health.StateUnconfigured), nil, ComponentPayments, Unknown, Operational},
		{"DynamoDown", with(health.CheckDynamoDB, health.StateDown), nil, ComponentAPI, Outage, Outage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := newDeps(t, tt.rep)
			ctx := context.Background()
			if tt.run != nil {
				// A success at LastSuccessAt, then the last run's outcome.
				succ := tt.run.LastRunAt
				if !tt.run.LastOK {
					succ = tt.run.LastRunAt.Add(-time.Hour + 30*time.Minute) // 2 h before now
				}
				if err := d.Store.RecordJobRun(ctx, BillingJob, succ, true); err != nil {
					t.Fatal(err)
				}
				if !tt.run.LastOK {
					if err := d.Store.RecordJobRun(ctx, BillingJob, now.Add(-5*time.Minute), false); err != nil {
						t.Fatal(err)
					}
				}
			}
			r := getStatus(t, d)
			if got := stateOf(r, tt.component); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.component, got, tt.want)
			}
			if r.Status != tt.overall {
				t.Errorf("overall: got %q, want %q", r.Status, tt.overall)
			}
			if len(r.Components) != 5 || r.StatusPageURL != "https://status.example.com" {
				t.Errorf("got %+v", r)
			}
		})
	}
}

func adminReq(method, body string, p *panel.Principal) *http.Request {
	r := httptest.NewRequest(method, "/api/admin/status-message", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r.WithContext(panel.WithPrincipal(r.Context(), p))
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	httpx.Wrap(h).ServeHTTP(rec, r)
	return rec
}

func TestStatusMessage(t *testing.T) {
	d, _ := newDeps(t, allOK())
	hs := AdminHandlers(d)
	put, del := hs["PUT /api/admin/status-message"], hs["DELETE /api/admin/status-message"]
	adm := &panel.Principal{UserID: "u_admin", Role: panel.RoleAdmin}
	ctx := context.Background()

	t.Run("ErrInvalid", func(t *testing.T) {
		rec := serve(put, adminReq("PUT", `{"kind":"party","text":""}`, adm))
		var body httpx.ErrorBody
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != 400 || body.Error.Fields["kind"] == "" || body.Error.Fields["text"] == "" {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("ErrNotAdmin", func(t *testing.T) {
		rec := serve(put, adminReq("PUT", `{"kind":"incident","text":"x"}`, &panel.Principal{UserID: "u_c", Role: panel.RoleCustomer}))
		if rec.Code != 403 {
			t.Errorf("got %d, want 403", rec.Code)
		}
	})
	t.Run("Maintenance", func(t *testing.T) {
		rec := serve(put, adminReq("PUT", `{"kind":"maintenance","text":"  Hypervisor upgrade 02:00-03:00 UTC "}`, adm))
		if rec.Code != 200 {
			t.Fatalf("got %d %s", rec.Code, rec.Body)
		}
		r := getStatus(t, d)
		if r.Status != Maintenance || r.Message == nil || r.Message.Text != "Hypervisor upgrade 02:00-03:00 UTC" {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("Incident", func(t *testing.T) {
		if rec := serve(put, adminReq("PUT", `{"kind":"incident","text":"Console is slow"}`, adm)); rec.Code != 200 {
			t.Fatalf("got %d", rec.Code)
		}
		if r := getStatus(t, d); r.Status != Degraded || r.Message.Kind != panel.StatusIncident {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("Clear", func(t *testing.T) {
		if rec := serve(del, adminReq("DELETE", "", adm)); rec.Code != 204 {
			t.Fatalf("got %d", rec.Code)
		}
		if r := getStatus(t, d); r.Status != Operational || r.Message != nil {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		entries, _, err := d.Audit.Activity(ctx, "u_admin", "", 10)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, string(e.Action))
		}
		// The store's clock is fixed, so the three share a time: compare as a set.
		slices.Sort(actions)
		if strings.Join(actions, ",") != "status.message.clear,status.message.set,status.message.set" {
			t.Errorf("got %v", actions)
		}
	})
}
