package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/admin"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// users is the accounts store's stand-in (accounts have their own tests).
type users map[string]*panel.User

func (u users) User(_ context.Context, id string) (*panel.User, error) {
	if x := u[id]; x != nil {
		return x, nil
	}
	return nil, panel.NotFound("user")
}

func (u users) Users(context.Context, string, int) ([]*panel.User, string, error) {
	var out []*panel.User
	for _, x := range u {
		out = append(out, x)
	}
	return out, "", nil
}

// FindUsers lists the map's users (the index queries have their own
// tests on DynamoDB Local).
func (u users) FindUsers(context.Context, panel.UserQuery) ([]*panel.User, string, error) {
	out, _, err := u.Users(context.Background(), "", 0)
	return out, "", err
}

func (u users) UsersByID(_ context.Context, ids []string) ([]*panel.User, error) {
	var out []*panel.User
	for _, id := range ids {
		if x := u[id]; x != nil {
			out = append(out, x)
		}
	}
	return out, nil
}

func (u users) UserByEmail(_ context.Context, email string) (*panel.User, error) {
	for _, x := range u {
		if x.Email == email {
			return x, nil
		}
	}
	return nil, panel.NotFound("user")
}

func (u users) SetBlocked(context.Context, string, bool) (*panel.User, error) { return nil, errUnused }
func (u users) SetRoleOverride(context.Context, string, string) (*panel.User, error) {
	return nil, errUnused
}
func (u users) LinkVirtFusion(context.Context, string, int64) (*panel.User, error) {
	return nil, errUnused
}

var errUnused = panel.Errorf(panel.EINTERNAL, "not used by these tests")

// noAccounts is an identity provider with no users and no sessions.
type noAccounts struct{}

func (noAccounts) SetBlocked(context.Context, *panel.User, bool) error        { return errUnused }
func (noAccounts) RevokeAccess(context.Context, string) error                 { return errUnused }
func (noAccounts) ResetPassword(context.Context, *panel.User) error           { return errUnused }
func (noAccounts) Erase(context.Context, *panel.User, string, string) error   { return errUnused }
func (noAccounts) Sessions(context.Context, string) ([]*panel.Session, error) { return nil, nil }

type adminEnv struct {
	store   dynamo.Store
	deps    admin.Deps
	vfCalls []int64
	vfErr   error
}

func newAdminEnv(t *testing.T) *adminEnv {
	t.Helper()
	ctx := context.Background()
	db, table := dynamotest.NewTable(t)
	store := dynamo.NewStore(db, table)
	ledger := dynamo.NewLedger(store)
	svc := billing.New(config.Config{Currency: "USD"}, ledger, nil, nil)
	now := time.Now().UTC().Truncate(time.Second)
	// 101 ordered as package 2 and running; 99 ordered earlier, deleted.
	if err := ledger.ImportServers(ctx, []*panel.BilledServer{
		{ServerID: 101, UserID: "u_alice", VFUserID: 7, Name: "web-1", PackageID: 2, HourlyMinor: 3, Currency: "USD", ActiveSince: now},
		{ServerID: 99, UserID: "u_alice", VFUserID: 7, Name: "old-1", PackageID: 1, HourlyMinor: 1, Currency: "USD",
			ActiveSince: now.Add(-48 * time.Hour), Status: panel.BilledStopped},
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Adjust(ctx, "u_admin", "u_alice", 500, "welcome credit", "adj-1"); err != nil {
		t.Fatal(err)
	}
	e := &adminEnv{store: store}
	e.deps = admin.Deps{Billing: svc, Users: users{
		"u_alice": {ID: "u_alice", Email: "alice@example.com", Name: "Alice", Role: panel.RoleCustomer, VFUserID: 7},
		"u_new":   {ID: "u_new", Email: "new@example.com", Name: "New", Role: panel.RoleCustomer},
	}}
	e.deps.UserServers = func(_ context.Context, vfUserID int64) ([]*panel.Server, error) {
		e.vfCalls = append(e.vfCalls, vfUserID)
		if e.vfErr != nil {
			return nil, e.vfErr
		}
		// 101 matches package 1's shape; 150 was made outside the panel.
		return []*panel.Server{
			{ID: 101, Name: "web-1", Power: panel.PowerUnknown, Provisioning: panel.ProvisionComplete,
				Package: &panel.ServerPackage{ID: 1, Name: "VPS Nano"}, IPv4: []string{"192.0.2.1"}, IPv6: []string{}},
			{ID: 150, Name: "manual-1", Power: panel.PowerUnknown, Provisioning: panel.ProvisionComplete, IPv4: []string{}, IPv6: []string{}},
		}, nil
	}
	return e
}

// handlers are the admin routes and the console's, the console on the
// env's stores (users from the map, the rest on DynamoDB Local).
func (e *adminEnv) handlers() map[string]http.Handler {
	out := map[string]http.Handler{}
	for p, h := range admin.Handlers(e.deps) {
		out[p] = h
	}
	u := e.deps.Users.(users)
	cd := admin.ConsoleDeps{Deps: e.deps, Store: u, Accounts: noAccounts{}, Audit: dynamo.NewAuditLog(e.store), Mail: dynamo.NewOutbox(e.store)}
	for p, h := range admin.ConsoleHandlers(cd) {
		out[p] = h
	}
	return out
}

func (e *adminEnv) get(t *testing.T, path string, role string) (int, map[string]any) {
	t.Helper()
	mux := http.NewServeMux()
	for pattern, h := range e.handlers() {
		mux.Handle(pattern, h)
	}
	req := httptest.NewRequest("GET", path, nil)
	req = req.WithContext(panel.WithPrincipal(req.Context(), &panel.Principal{UserID: "u_admin", Role: role}))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body is not JSON: %s", rec.Body)
	}
	return rec.Code, body
}

func ids(t *testing.T, body map[string]any) []float64 {
	t.Helper()
	var out []float64
	for _, s := range body["servers"].([]any) {
		out = append(out, s.(map[string]any)["id"].(float64))
	}
	return out
}

func TestUserDetail(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newAdminEnv(t)
		status, body := e.get(t, "/api/admin/users/u_alice", panel.RoleAdmin)
		if status != 200 {
			t.Fatalf("got %d %v", status, body)
		}
		if u := body["user"].(map[string]any); u["id"] != "u_alice" || u["vfUserId"] != float64(7) {
			t.Errorf("user: got %v", u)
		}
		if body["balanceMinor"] != float64(500) {
			t.Errorf("balanceMinor: got %v", body["balanceMinor"])
		}
		if len(e.vfCalls) != 1 || e.vfCalls[0] != 7 {
			t.Errorf("VirtFusion asked for %v, want the user's VF id 7 once", e.vfCalls)
		}
		if got := ids(t, body); len(got) != 3 || got[0] != 101 || got[1] != 150 || got[2] != 99 {
			t.Fatalf("servers: got %v, want VirtFusion's 101, 150 then billing's 99", got)
		}
		ss := body["servers"].([]any)
		web := ss[0].(map[string]any)
		if b, _ := web["billing"].(map[string]any); b == nil || b["status"] != panel.BilledActive || b["hourlyMinor"] != float64(3) {
			t.Errorf("101 billing: got %v", web["billing"])
		}
		if p := web["package"].(map[string]any); p["id"] != float64(2) {
			t.Errorf("101 package: got %v, want the ordered package 2", p)
		}
		if ips := web["ipv4"].([]any); len(ips) != 1 {
			t.Errorf("101 from VirtFusion: got %v", web)
		}
		if manual := ss[1].(map[string]any); manual["billing"] != nil {
			t.Errorf("150 billing: got %v, want null", manual["billing"])
		}
		old := ss[2].(map[string]any)
		if b := old["billing"].(map[string]any); b["status"] != panel.BilledStopped || old["stale"] != true {
			t.Errorf("99: got %v", old)
		}
		txs := body["transactions"].([]any)
		if len(txs) != 1 {
			t.Fatalf("transactions: got %v", txs)
		}
		if tx := txs[0].(map[string]any); tx["amountMinor"] != float64(500) || tx["type"] != panel.EntryAdjustment ||
			tx["balanceAfterMinor"] != float64(500) || tx["id"] == "" || tx["createdAt"] == "" {
			t.Errorf("transaction: got %v", tx)
		}
	})
	t.Run("OKVirtFusionDown", func(t *testing.T) {
		e := newAdminEnv(t)
		e.vfErr = panel.Errorf(panel.EUPSTREAM, "down")
		status, body := e.get(t, "/api/admin/users/u_alice", panel.RoleAdmin)
		if status != 200 {
			t.Fatalf("got %d %v", status, body)
		}
		if got := ids(t, body); len(got) != 2 {
			t.Errorf("servers: got %v, want billing's two", got)
		}
	})
	t.Run("OKNotLinked", func(t *testing.T) {
		e := newAdminEnv(t)
		status, body := e.get(t, "/api/admin/users/u_new", panel.RoleAdmin)
		if status != 200 || len(body["servers"].([]any)) != 0 || len(body["transactions"].([]any)) != 0 || len(e.vfCalls) != 0 {
			t.Errorf("got %d %v, VirtFusion calls %v", status, body, e.vfCalls)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		e := newAdminEnv(t)
		if status, body := e.get(t, "/api/admin/users/u_nobody", panel.RoleAdmin); status != 404 {
			t.Errorf("got %d %v", status, body)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		e := newAdminEnv(t)
		if status, body := e.get(t, "/api/admin/users/u_alice", panel.RoleCustomer); status != 403 {
			t.Errorf("got %d %v", status, body)
		}
		if len(e.vfCalls) != 0 {
			t.Errorf("VirtFusion asked for a customer")
		}
	})
}

func TestAdjustmentNeedsIdempotencyKey(t *testing.T) {
	e := newAdminEnv(t)
	mux := http.NewServeMux()
	for pattern, h := range e.handlers() {
		mux.Handle(pattern, h)
	}
	post := func(key string) (int, map[string]any) {
		req := httptest.NewRequest("POST", "/api/admin/users/u_alice/adjustments", strings.NewReader(`{"amountMinor":250,"reason":"goodwill"}`))
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		req = req.WithContext(panel.WithPrincipal(req.Context(), &panel.Principal{UserID: "u_admin", Role: panel.RoleAdmin}))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		var body map[string]any
		json.Unmarshal(rec.Body.Bytes(), &body)
		return rec.Code, body
	}
	t.Run("ErrNoKey", func(t *testing.T) {
		if status, body := post(""); status != http.StatusBadRequest {
			t.Errorf("got %d %v, want 400", status, body)
		}
	})
	t.Run("OKOnceForARetry", func(t *testing.T) {
		_, first := post("adj-retry")
		status, again := post("adj-retry")
		if status != http.StatusCreated || first["balanceMinor"] != float64(750) || again["balanceMinor"] != float64(750) {
			t.Errorf("got %d, first %v, retry %v; want both at 750 (500 + 250 once)", status, first, again)
		}
	})
}

// packageHost is a VirtFusion that has only the packages listed (the
// price route asks nothing else of it).
type packageHost struct {
	panel.ServerHost
	packages map[int64]bool
}

func (h packageHost) HasPackage(_ context.Context, id int64) (bool, error) {
	return h.packages[id], nil
}

func TestMoneyRoutes(t *testing.T) {
	e := newAdminEnv(t)
	e.deps.Billing.Host = packageHost{packages: map[int64]bool{1: true}}
	mux := http.NewServeMux()
	for pattern, h := range e.handlers() {
		mux.Handle(pattern, h)
	}
	do := func(method, path, key, body string) (int, map[string]any) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		req = req.WithContext(panel.WithPrincipal(req.Context(), &panel.Principal{UserID: "u_admin", Role: panel.RoleAdmin}))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		var out map[string]any
		json.Unmarshal(rec.Body.Bytes(), &out)
		code := ""
		if e, ok := out["error"].(map[string]any); ok {
			code, _ = e["code"].(string)
		}
		return rec.Code, map[string]any{"code": code, "body": out}
	}
	tests := []struct {
		name, method, path, key, body string
		status                        int
		code                          string
	}{
		{"OKAdjust", "POST", "/api/admin/users/u_alice/adjustments", "a1", `{"amountMinor":250,"reason":"goodwill"}`, 201, ""},
		{"OKAdjustRetry", "POST", "/api/admin/users/u_alice/adjustments", "a1", `{"amountMinor":250,"reason":"goodwill"}`, 201, ""},
		// Regression: a reused key with another body replayed silently.
		{"ErrKeyReused", "POST", "/api/admin/users/u_alice/adjustments", "a1", `{"amountMinor":25000,"reason":"goodwill"}`, 422, panel.EIDEMPOTENCYMISMATCH},
		// Regression: this wrapped the balance negative (statements 500).
		{"ErrOverflow", "POST", "/api/admin/users/u_alice/adjustments", "a2", `{"amountMinor":9223372036854775807,"reason":"overflow"}`, 422, panel.EAMOUNTRANGE},
		{"ErrTooLarge", "POST", "/api/admin/users/u_alice/adjustments", "a3", `{"amountMinor":100000001,"reason":"too much"}`, 422, panel.EAMOUNTRANGE},
		{"OKStatementsAfter", "GET", "/api/admin/users/u_alice", "", "", 200, ""},
		{"OKPrice", "PUT", "/api/admin/packages/1/price", "", `{"hourlyMinor":10,"monthlyCapMinor":5000}`, 200, ""},
		// Regression: a price could be set for a package that does not exist.
		{"ErrPriceNoPackage", "PUT", "/api/admin/packages/999/price", "", `{"hourlyMinor":10,"monthlyCapMinor":5000}`, 404, panel.ENOTFOUND},
		{"ErrPriceTooHigh", "PUT", "/api/admin/packages/1/price", "", `{"hourlyMinor":100000001,"monthlyCapMinor":0}`, 422, panel.EAMOUNTRANGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := do(tt.method, tt.path, tt.key, tt.body)
			if status != tt.status || got["code"] != tt.code {
				t.Fatalf("got %d %v, want %d %q", status, got["body"], tt.status, tt.code)
			}
		})
	}
	if _, got := do("GET", "/api/admin/users/u_alice", "", ""); got["body"].(map[string]any)["balanceMinor"] != float64(750) {
		t.Fatalf("got %v, want balance 750 (500 + 250 once)", got["body"])
	}
}

// countingLedger counts the wallet reads of the admin views.
type countingLedger struct {
	panel.LedgerStore
	balance, balances int
}

func (c *countingLedger) Balance(ctx context.Context, userID string) (*panel.Balance, error) {
	c.balance++
	return c.LedgerStore.Balance(ctx, userID)
}

func (c *countingLedger) Balances(ctx context.Context, ids []string) (map[string]*panel.Balance, error) {
	c.balances++
	return c.LedgerStore.Balances(ctx, ids)
}

// TestUserListReadsWalletsOnce: the list reads the page's wallets in one
// batch, not once per user (issue 13).
func TestUserListReadsWalletsOnce(t *testing.T) {
	e := newAdminEnv(t)
	counted := &countingLedger{LedgerStore: e.deps.Billing.Store}
	e.deps.Billing.Store = counted
	status, body := e.get(t, "/api/admin/users", panel.RoleAdmin)
	if status != 200 {
		t.Fatalf("got %d %v", status, body)
	}
	got := map[string]float64{}
	for _, u := range body["items"].([]any) {
		m := u.(map[string]any)
		got[m["id"].(string)] = m["balanceMinor"].(float64)
	}
	if got["u_alice"] != 500 || got["u_new"] != 0 || len(got) != 2 {
		t.Errorf("got balances %v, want u_alice 500 and u_new 0", got)
	}
	if counted.balance != 0 || counted.balances != 1 {
		t.Errorf("got %d single and %d batch wallet reads, want 0 and 1", counted.balance, counted.balances)
	}
}
