package orders_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/api/orders"
	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// users signs requests in by their X-Test-User header (none: signed out).
type users map[string]*panel.Principal

func (u users) Authenticate(r *http.Request) (*panel.Principal, error) {
	if p := u[r.Header.Get("X-Test-User")]; p != nil {
		return p, nil
	}
	return nil, panel.Errorf(panel.EUNAUTHORIZED, "Please sign in.")
}

type env struct {
	h     http.Handler
	svc   *billing.Service
	store *dynamo.Ledger
	vf    *vfsim.Sim
	users users
}

// newEnv is the orders routes on DynamoDB Local and the VirtFusion
// simulator: rich has 100.00, poor 1.00, eve owns nothing here; package 1
// costs 0.10 an hour.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, table := dynamotest.NewTable(t)
	e := &env{store: dynamo.NewLedger(dynamo.NewStore(db, table)), users: users{}}
	e.vf = vfsim.New(vfsim.Options{Token: "test", BuildDelay: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	url, err := e.vf.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.vf.Close() })
	vfc, err := virtfusion.New(virtfusion.Config{PanelURL: url, Token: "test", Retry: virtfusion.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = &billing.Service{Store: e.store, Host: virtfusion.Host{C: vfc}, Currency: "USD", OrderPrepayHours: 24,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := e.svc.SetPrice(ctx, 1, panel.Price{HourlyMinor: 10, MonthlyCapMinor: 5000}); err != nil {
		t.Fatal(err)
	}
	for name, funds := range map[string]int64{"rich": 10000, "poor": 100, "eve": 10000} {
		id := e.vf.AddUser(vfsim.User{Name: name, Email: name + "@example.com", ExtRelationID: "u_" + name})
		e.users[name] = &panel.Principal{UserID: "u_" + name, Email: name + "@example.com", Role: panel.RoleCustomer, VFUserID: int64(id), EmailVerified: true}
		if _, _, err := e.svc.Adjust(ctx, "admin", "u_"+name, funds, "test funds", "fund"); err != nil {
			t.Fatal(err)
		}
	}
	// The servers function's other routes are not under test here.
	hs := orders.Handlers(e.svc)
	for _, rt := range routes.ForFunction("servers") {
		if hs[rt.Pattern()] == nil {
			hs[rt.Pattern()] = http.NotFoundHandler()
		}
	}
	if e.h, err = httpx.Mount("servers", hs, e.users); err != nil {
		t.Fatal(err)
	}
	return e
}

type reply struct {
	status int
	code   string
	fields map[string]string
	body   string
}

func (e *env) do(t *testing.T, user, method, path, key, body string) reply {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	var eb httpx.ErrorBody
	json.Unmarshal(w.Body.Bytes(), &eb)
	return reply{status: w.Code, code: eb.Error.Code, fields: eb.Error.Fields, body: w.Body.String()}
}

func (e *env) balance(t *testing.T, user string) int64 {
	t.Helper()
	b, err := e.store.Balance(context.Background(), "u_"+user)
	if err != nil {
		t.Fatal(err)
	}
	return b.BalanceMinor
}

const okOrder = `{"packageId":1,"locationId":1,"templateId":52,"hostname":"web-1.example.com","name":"web-1"}`

func TestPlaceOrder(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, user, key, body string
		status                int
		code                  string
		field                 string // a field the error names
		balance               int64  // the user's balance after
	}{
		{name: "ErrSignedOut", key: "k0", body: okOrder, status: 401, code: panel.EUNAUTHORIZED},
		{name: "ErrNoKey", user: "rich", body: okOrder, status: 400, code: panel.EINVALID, field: "Idempotency-Key", balance: 10000},
		{name: "ErrKeyTooLong", user: "rich", key: strings.Repeat("k", 201), body: okOrder, status: 400, code: panel.EINVALID, field: "Idempotency-Key", balance: 10000},
		{name: "ErrNotJSON", user: "rich", key: "k1", body: `{"packageId":`, status: 400, code: panel.EINVALID, balance: 10000},
		{name: "ErrNoPlan", user: "rich", key: "k2", body: `{"locationId":1,"templateId":52,"hostname":"a.example.com","name":"a"}`,
			status: 400, code: panel.EINVALID, field: "packageId", balance: 10000},
		{name: "ErrBadHostname", user: "rich", key: "k3", body: `{"packageId":1,"locationId":1,"templateId":52,"hostname":"-bad-","name":"a"}`,
			status: 400, code: panel.EINVALID, field: "hostname", balance: 10000},
		{name: "ErrNotForSale", user: "rich", key: "k4", body: `{"packageId":2,"locationId":1,"templateId":52,"hostname":"a.example.com","name":"a"}`,
			status: 400, code: panel.EINVALID, field: "packageId", balance: 10000},
		{name: "ErrPaymentRequired", user: "poor", key: "k5", body: okOrder, status: 402, code: panel.EPAYMENTREQUIRED, balance: 100},
		{name: "OK", user: "rich", key: "k6", body: okOrder, status: 201, balance: 9990},
		{name: "OKReplay", user: "rich", key: "k6", body: okOrder, status: 201, balance: 9990},
		{name: "OKReplaySpacing", user: "rich", key: "k6", body: " " + okOrder + "\n", status: 201, balance: 9990},
		// Regression: a reused key with another body was not told apart.
		{name: "ErrKeyReused", user: "rich", key: "k6", body: strings.Replace(okOrder, "web-1", "web-2", 2), status: 422,
			code: panel.EIDEMPOTENCYMISMATCH, balance: 9990},
		{name: "OKSameKeyOtherCustomer", user: "eve", key: "k6", body: okOrder, status: 201, balance: 9990},
		{name: "OKPoorAfterRefusal", user: "poor", key: "k5", body: okOrder, status: 402, code: panel.EPAYMENTREQUIRED, balance: 100},
	}
	var first string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.user, "POST", "/api/servers", tt.key, tt.body)
			if r.status != tt.status || r.code != tt.code {
				t.Fatalf("got %d %s, want %d %q", r.status, r.body, tt.status, tt.code)
			}
			if tt.field != "" && r.fields[tt.field] == "" {
				t.Errorf("got fields %v, want %q named", r.fields, tt.field)
			}
			if tt.status == 201 {
				var res billing.OrderResult
				if err := json.Unmarshal([]byte(r.body), &res); err != nil || res.RootPassword == "" || !bytes.Contains(res.Server, []byte(`"name":"web-1"`)) {
					t.Fatalf("got %s, want the server and its password", r.body)
				}
				if tt.user == "rich" {
					if first == "" {
						first = r.body
					} else if r.body != first {
						t.Errorf("replay: got %s, want %s", r.body, first)
					}
				}
			}
			if tt.user != "" {
				if got := e.balance(t, tt.user); got != tt.balance {
					t.Errorf("got balance %d, want %d", got, tt.balance)
				}
			}
		})
	}
}

func TestDeleteServer(t *testing.T) {
	e := newEnv(t)
	r := e.do(t, "rich", "POST", "/api/servers", "k1", okOrder)
	if r.status != 201 {
		t.Fatalf("order: got %d %s", r.status, r.body)
	}
	var res struct {
		Server struct{ ID int64 }
	}
	json.Unmarshal([]byte(r.body), &res)
	e.vf.Advance()
	path := "/api/servers/" + strconv.FormatInt(res.Server.ID, 10)
	tests := []struct {
		name, user, path, body string
		status                 int
		code                   string
	}{
		{"ErrSignedOut", "", path, `{"confirm":"web-1"}`, 401, panel.EUNAUTHORIZED},
		{"ErrBadID", "rich", "/api/servers/abc", `{"confirm":"web-1"}`, 404, panel.ENOTFOUND},
		{"ErrZeroID", "rich", "/api/servers/0", `{"confirm":"web-1"}`, 404, panel.ENOTFOUND},
		{"ErrNoSuchServer", "rich", "/api/servers/999999", `{"confirm":"web-1"}`, 404, panel.ENOTFOUND},
		{"ErrForeign", "eve", path, `{"confirm":"web-1"}`, 404, panel.ENOTFOUND},
		{"ErrNoConfirm", "rich", path, `{}`, 400, panel.EINVALID},
		{"ErrWrongConfirm", "rich", path, `{"confirm":"web-2"}`, 400, panel.EINVALID},
		{"OK", "rich", path, `{"confirm":"web-1"}`, 202, ""},
		{"OKAgain", "rich", path, `{"confirm":"web-1"}`, 202, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.user, "DELETE", tt.path, "", tt.body)
			if r.status != tt.status || r.code != tt.code {
				t.Fatalf("got %d %s, want %d %q", r.status, r.body, tt.status, tt.code)
			}
			_, exists := e.vf.Server(int(res.Server.ID))
			if deleted := tt.status == 202; exists == deleted {
				t.Fatalf("server exists: %v after %s", exists, tt.name)
			}
		})
	}
	bs, err := e.store.BilledServer(context.Background(), res.Server.ID)
	if err != nil || bs.Status != panel.BilledStopped {
		t.Fatalf("billing: got %+v, %v, want stopped", bs, err)
	}
	if got := e.balance(t, "rich"); got != 9990 {
		t.Fatalf("got balance %d, want 9990", got)
	}
}
