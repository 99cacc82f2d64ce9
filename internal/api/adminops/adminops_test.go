package adminops_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/adminops"
	billingapi "github.com/vfpanel/vfpanel/internal/api/billing"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/settings"
)

// clock is an injectable clock shared by the "functions" of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type env struct {
	clock  *clock
	store  dynamo.Store
	ledger *dynamo.Ledger
	svc    *billing.Service
	deps   adminops.Deps
	audit  *dynamo.AuditLog
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	c := &clock{t: time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)}
	st := dynamo.NewStore(db, table)
	st.Now = c.Now
	e := &env{clock: c, store: st, ledger: dynamo.NewLedger(st), audit: dynamo.NewAuditLog(st)}
	cfg := config.Config{Currency: "USD", TopupMinMinor: 500, TopupMaxMinor: 100000, OrderPrepayHours: 24, DunningGraceDays: 7}
	e.svc = billing.New(cfg, e.ledger, nil, nil)
	e.svc.Now = c.Now
	e.svc.Runs = dynamo.NewBillingRuns(st)
	e.deps = adminops.Deps{Settings: dynamo.NewSettings(st), Defaults: settings.Defaults(cfg), Billing: e.svc,
		Ledger: e.ledger, Audit: e.audit, Now: c.Now, Runs: dynamo.NewBillingRuns(st),
		Reindex: dynamo.NewUsers(st).ReindexUsers,
		Packages: func(context.Context) ([]panel.Package, error) {
			return []panel.Package{{ID: 1, Name: "Nano"}, {ID: 2, Name: "Micro"}}, nil
		}}
	return e
}

func call(t *testing.T, hs httpx.Handlers, role, method, path, body string, hdr ...string) (int, string) {
	t.Helper()
	mux := http.NewServeMux()
	for p, h := range hs {
		mux.Handle(p, h)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if role != "" {
		req = req.WithContext(panel.WithPrincipal(req.Context(), &panel.Principal{UserID: "u_" + role, Role: role}))
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func validSettings(e *env) string {
	s := e.deps.Defaults
	s.TopupMinMinor, s.Announcement = 700, "New plans in Frankfurt"
	b, _ := json.Marshal(s)
	return string(b)
}

// TestRoutes: every console route refuses a customer (403) and works for
// an administrator.
func TestRoutes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.ledger.SetPrice(ctx, 1, panel.Price{HourlyMinor: 3, Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Adjust(ctx, "u_admin", "u_alice", 500, "welcome", "adj-1"); err != nil {
		t.Fatal(err)
	}
	hs := adminops.Handlers(e.deps)
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"GetSettings", "GET", "/api/admin/settings", "", 200, `"saved":false`},
		{"PutSettings", "PUT", "/api/admin/settings", validSettings(e), 200, `"topupMinMinor":700`},
		{"Topups", "GET", "/api/admin/topups?status=credited", "", 200, `"items":[]`},
		{"Revenue", "GET", "/api/admin/revenue?months=2", "", 200, `"adjustmentsMinor":500`},
		{"RevenueCSV", "GET", "/api/admin/revenue/csv?months=1", "", 200, "2026-11,USD,5.00,0.00,0.00,0.00,0.00,5.00,1"},
		{"Packages", "GET", "/api/admin/packages", "", 200, `"name":"Micro","cpuCores":0,"memoryMb":0,"storageGb":0,"price":null`},
		{"Hide", "PUT", "/api/admin/packages/1/visibility", `{"hidden":true}`, 200, `"hidden":true`},
		{"DeletePrice", "DELETE", "/api/admin/packages/1/price", "", 204, ""},
		{"Refund", "POST", "/api/admin/topups/tp_none/refunds", `{"amountMinor":0}`, 404, "not_found"},
		{"Rerun", "POST", "/api/admin/billing/runs", `{"hour":"2026-11-15T11:00:00Z"}`, 200, `"hour":"2026-11-15T11:00:00Z","servers":0`},
		{"RerunFuture", "POST", "/api/admin/billing/runs", `{"hour":"2026-11-15T13:00:00Z"}`, 400, `"hour"`},
		{"BillingRuns", "GET", "/api/admin/billing/runs?limit=5", "", 200, `"trigger":"rerun","by":"u_admin"`},
		{"Reindex", "POST", "/api/admin/users/search-index", "", 200, `"users":0`},
	}
	for _, tt := range tests {
		t.Run("ErrForbidden"+tt.name, func(t *testing.T) {
			if status, body := call(t, hs, panel.RoleCustomer, tt.method, tt.path, tt.body); status != 403 {
				t.Fatalf("customer: got %d %s, want 403", status, body)
			}
		})
		t.Run("OK"+tt.name, func(t *testing.T) {
			status, body := call(t, hs, panel.RoleAdmin, tt.method, tt.path, tt.body, "Idempotency-Key", "k1")
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("got %d %s, want %d containing %s", status, body, tt.status, tt.want)
			}
		})
	}
	// Each change is in the administrator's activity, with before and after.
	entries, _, err := e.audit.Activity(ctx, "u_admin", "", 20)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]panel.AuditEntry{}
	for _, a := range entries {
		got[string(a.Action)] = a
	}
	if a, ok := got["users.reindex"]; !ok || a.After != `{"users":0}` {
		t.Errorf("reindex audit: got %+v", a)
	}
	for _, action := range []string{"settings.update", "package.visibility", "package.price.delete"} {
		if a, ok := got[action]; !ok || a.Before == "" {
			t.Errorf("audit %s: got %+v, want an entry with before", action, a)
		}
	}
	reruns := 0
	for _, a := range entries {
		if a.Action == "billing.rerun" && a.Outcome == panel.OutcomeOK {
			reruns++
			if a.Target != "billing:2026-11-15T11:00:00Z" || !strings.Contains(a.After, `"hoursCharged":0`) {
				t.Errorf("re-run audit: got %+v", a)
			}
		}
	}
	if reruns != 1 {
		t.Errorf("got %d successful re-run audit entries, want 1", reruns)
	}
	if a := got["settings.update"]; !strings.Contains(a.Before, `"topupMinMinor":500`) || !strings.Contains(a.After, `"topupMinMinor":700`) {
		t.Errorf("settings audit: before %s after %s", a.Before, a.After)
	}
}

func TestSettingsInvalid(t *testing.T) {
	e := newEnv(t)
	hs := adminops.Handlers(e.deps)
	for _, tt := range []struct {
		name  string
		edit  func(*panel.Settings)
		field string
	}{
		{"MinAboveMax", func(s *panel.Settings) { s.TopupMinMinor = 200000 }, "topupMaxMinor"},
		{"Colour", func(s *panel.Settings) { s.PrimaryColor = "blue" }, "primaryColor"},
		{"Discord", func(s *panel.Settings) { s.DiscordURL = "https://evil.example/x" }, "discordUrl"},
		{"Thresholds", func(s *panel.Settings) { s.LowBalanceHours = []int{24, 72} }, "lowBalanceHours"},
		{"CompanyName", func(s *panel.Settings) { s.CompanyName = " " }, "companyName"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := e.deps.Defaults
			tt.edit(&st)
			body, _ := json.Marshal(st)
			status, out := call(t, hs, panel.RoleAdmin, "PUT", "/api/admin/settings", string(body))
			if status != 400 || !strings.Contains(out, `"`+tt.field+`"`) {
				t.Fatalf("got %d %s, want 400 naming %s", status, out, tt.field)
			}
		})
	}
	t.Run("ErrConflict", func(t *testing.T) {
		if status, out := call(t, hs, panel.RoleAdmin, "PUT", "/api/admin/settings", validSettings(e)); status != 200 {
			t.Fatalf("first save: %d %s", status, out)
		}
		// A second admin who loaded version 0 too.
		if status, out := call(t, hs, panel.RoleAdmin, "PUT", "/api/admin/settings", validSettings(e)); status != 409 {
			t.Fatalf("got %d %s, want 409", status, out)
		}
	})
}

// TestSettingsReachOtherFunctions: a save in the admin function reaches the
// billing function (its own cache) within a minute, not before its cache
// ages, and the public settings too.
func TestSettingsReachOtherFunctions(t *testing.T) {
	e := newEnv(t)
	// The billing function: its own service and settings cache.
	cache := &settings.Cache{Store: dynamo.NewSettings(e.store), Defaults: e.deps.Defaults, Now: e.clock.Now}
	svc := billing.New(config.Config{Currency: "USD", TopupMinMinor: 500, TopupMaxMinor: 100000}, e.ledger, nil, nil)
	svc.Settings = cache
	billingFn := billingapi.WithCheckout(billingapi.Handlers(svc), config.Config{Currency: "USD"}, svc)
	publicFn := adminops.PublicHandlers(&settings.Cache{Store: dynamo.NewSettings(e.store), Defaults: e.deps.Defaults, Now: e.clock.Now})
	limits := func() (int64, string) {
		_, body := call(t, billingFn, panel.RoleCustomer, "GET", "/api/billing/checkout", "")
		var c struct{ TopupMinMinor int64 }
		json.Unmarshal([]byte(body), &c)
		_, pub := call(t, publicFn, "", "GET", "/api/settings", "")
		return c.TopupMinMinor, pub
	}
	if min, pub := limits(); min != 500 || strings.Contains(pub, "Frankfurt") {
		t.Fatalf("before: got %d %s", min, pub)
	}
	if status, out := call(t, adminops.Handlers(e.deps), panel.RoleAdmin, "PUT", "/api/admin/settings", validSettings(e)); status != 200 {
		t.Fatalf("save: %d %s", status, out)
	}
	e.clock.add(59 * time.Second)
	if min, _ := limits(); min != 500 {
		t.Fatalf("59 s later: got min %d, want the cached 500", min)
	}
	if _, err := svc.ParseAmount(context.Background(), "6.00"); err != nil {
		t.Fatalf("59 s later 6.00 refused: %v", err)
	}
	e.clock.add(time.Second)
	min, pub := limits()
	if min != 700 || !strings.Contains(pub, "Frankfurt") {
		t.Fatalf("60 s later: got %d %s, want 700 and the announcement", min, pub)
	}
	if _, err := svc.ParseAmount(context.Background(), "6.00"); panel.ErrorCode(err) != panel.EINVALID {
		t.Fatalf("60 s later 6.00: got %v, want invalid", err)
	}
}
