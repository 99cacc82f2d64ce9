package servers_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vfpanel/vfpanel/internal/api/changes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"golang.org/x/crypto/ssh"

	"github.com/vfpanel/vfpanel/internal/alerts"
	"github.com/vfpanel/vfpanel/internal/api/servers"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

const (
	apiToken  = "test-token"
	hookToken = "hook-secret"
)

// fixedAuth signs every request in as one customer.
type fixedAuth struct{ p *panel.Principal }

func (a fixedAuth) Authenticate(*http.Request) (*panel.Principal, error) { return a.p, nil }

// recordingSink is billing's stand-in: it records events and can fail.
type recordingSink struct {
	mu   sync.Mutex
	evs  []panel.ServerEvent
	fail error
}

func (s *recordingSink) ServerEvent(_ context.Context, ev panel.ServerEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.evs = append(s.evs, ev)
	return nil
}

func (s *recordingSink) events() []panel.ServerEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]panel.ServerEvent(nil), s.evs...)
}

// env is the servers and webhooks functions behind the local runner, on
// DynamoDB Local and the VirtFusion simulator. Alice is signed in; Bob's
// things are the foreign ones.
type env struct {
	t        testing.TB
	sim      *vfsim.Sim
	vf       *virtfusion.Client
	rn       *localrun.Runner
	deps     servers.Deps
	sink     *recordingSink
	ledger   *dynamo.Ledger // billing's store: the ordered packages
	users    *dynamo.Users
	metrics  *dynamo.Metrics // the sampler's history
	alerts   *dynamo.Alerts
	outbox   *dynamo.Outbox
	firewall *dynamo.Firewall
	audit    *dynamo.AuditLog
	aliceVF  int64
	bobVF    int64
	aliceSrv int64 // running, built
	bobSrv   int64
}

type envOpts struct {
	cacheTTL time.Duration
	limits   servers.Limits
	servers  int // extra servers for Alice
	noSnaps  bool
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	store := dynamo.NewStore(db, table)
	sim := vfsim.New(vfsim.Options{Token: apiToken, PowerDelay: 5 * time.Second, BuildDelay: 5 * time.Second})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, sim: sim, sink: &recordingSink{}, ledger: dynamo.NewLedger(store), users: dynamo.NewUsers(store),
		metrics: dynamo.NewMetrics(store), alerts: dynamo.NewAlerts(store), outbox: dynamo.NewOutbox(store),
		firewall: dynamo.NewFirewall(store), audit: dynamo.NewAuditLog(store)}
	e.aliceVF = int64(sim.AddUser(vfsim.User{Name: "Alice", Email: "alice@example.com", ExtRelationID: "u_alice"}))
	e.bobVF = int64(sim.AddUser(vfsim.User{Name: "Bob", Email: "bob@example.com", ExtRelationID: "u_bob"}))
	e.aliceSrv = e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.aliceVF), Name: "web-1", Hostname: "web-1.example.com"})
	e.bobSrv = e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.bobVF), Name: "bob-1", Hostname: "bob-1.example.com"})
	for i := range o.servers {
		e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.aliceVF), Name: fmt.Sprintf("bulk-%d", i)})
	}
	e.vf, err = virtfusion.New(virtfusion.Config{PanelURL: url, Token: apiToken, Timeout: 400 * time.Millisecond,
		Retry: virtfusion.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ttl := o.cacheTTL
	if ttl == 0 {
		ttl = servers.DefaultCacheTTL
	}
	e.deps = servers.Deps{VirtFusion: e.vf, Audit: e.audit, Firewall: e.firewall, FirewallVF: e.vf, Limiter: dynamo.NewRateLimiter(store),
		Snapshots: dynamo.NewServerSnapshots(store), Events: dynamo.NewServerEvents(store), Sink: e.sink, Ordered: e.ledger, Unbilled: e.ledger,
		Owners: e.ledger, Users: e.users, Metrics: e.metrics,
		Alerts: e.alerts, AlertEvents: &alerts.Evaluator{Store: e.alerts, Users: e.users},
		WebhookToken: hookToken, Cache: servers.NewCache(ttl, nil), Limits: o.limits, RequestTimeout: 3 * time.Second}
	if o.noSnaps {
		e.deps.Snapshots = nil
	}
	stub := httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error { return httpx.NoContent(w) })
	srvH, err := httpx.Mount("servers", httpx.Merge(servers.Handlers(e.deps),
		httpx.Handlers{"POST /api/servers": stub, "DELETE /api/servers/{id}": stub},
		changes.Handlers(nil)), // resize and add-ons: billing's, tested there
		fixedAuth{&panel.Principal{UserID: "u_alice", VFUserID: e.aliceVF, Role: panel.RoleCustomer, Via: "bearer", EmailVerified: true}})
	if err != nil {
		t.Fatal(err)
	}
	hookH, err := httpx.Mount("webhooks", httpx.Merge(servers.WebhookHandlers(e.deps),
		httpx.Handlers{"POST /api/webhooks/paypal": stub}), nil)
	if err != nil {
		t.Fatal(err)
	}
	fns := map[string]localrun.LambdaHandler{}
	for _, f := range routes.Functions {
		fns[f] = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{StatusCode: 404}, nil
		}
	}
	fns["servers"], fns["webhooks"] = localrun.Adapt(srvH), localrun.Adapt(hookH)
	if e.rn, err = localrun.New(fns, ""); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) mustAdd(spec vfsim.ServerSpec) int64 {
	e.t.Helper()
	id, err := e.sim.AddServer(spec)
	if err != nil {
		e.t.Fatal(err)
	}
	return int64(id)
}

type resp struct {
	status int
	body   map[string]any
	header http.Header
}

func (r resp) code() string {
	if e, ok := r.body["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}

func (r resp) retryAfter() float64 {
	e, _ := r.body["error"].(map[string]any)
	f, _ := e["retryAfter"].(float64)
	return f
}

func (e *env) do(method, path string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.rn.ServeHTTP(rec, req)
	out := resp{status: rec.Code, header: rec.Header()}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out.body); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %s", method, path, rec.Body)
		}
	}
	return out
}

func (e *env) srvPath(id int64, suffix string) string {
	return "/api/servers/" + strconv.FormatInt(id, 10) + suffix
}

func (e *env) activity() []map[string]any {
	e.t.Helper()
	r := e.do("GET", "/api/account/activity", nil)
	if r.status != 200 {
		e.t.Fatalf("activity: got %d %v", r.status, r.body)
	}
	var out []map[string]any
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func (e *env) callsTo(prefix string) int {
	n := 0
	for _, c := range e.sim.Calls() {
		if strings.HasPrefix(c.Path, "/api/v1"+prefix) {
			n++
		}
	}
	return n
}

func TestList(t *testing.T) {
	e := newEnv(t, envOpts{servers: 3})
	t.Run("OK", func(t *testing.T) {
		e.sim.ResetCalls()
		r := e.do("GET", "/api/servers", nil)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		list := r.body["servers"].([]any)
		if len(list) != 4 {
			t.Fatalf("got %d servers, want Alice's 4", len(list))
		}
		first := list[0].(map[string]any)
		if first["id"].(float64) != float64(e.aliceSrv) || first["name"] != "web-1" || first["power"] != "running" ||
			first["provisioning"] != "complete" || first["suspended"] != false {
			t.Errorf("got %v", first)
		}
		if loc := first["location"].(map[string]any); loc["name"] != "London" {
			t.Errorf("location: got %v", loc)
		}
		if pkg := first["package"].(map[string]any); pkg["name"] != "VPS Nano" {
			t.Errorf("package: got %v", pkg)
		}
		if os := first["os"].(map[string]any); !strings.HasPrefix(os["name"].(string), "Ubuntu") || os["icon"] != "ubuntu" {
			t.Errorf("os: got %v", os)
		}
		if ips := first["ipv4"].([]any); len(ips) != 1 {
			t.Errorf("ipv4: got %v", ips)
		}
		if res := first["resources"].(map[string]any); res["memoryMb"] != float64(1024) || res["cpuCores"] != float64(1) {
			t.Errorf("resources: got %v", res)
		}
		if n := e.callsTo("/servers/user/"); n != 1 {
			t.Errorf("list calls: got %d, want 1", n)
		}
		if n := e.callsTo("/servers/") - 1; n != 4 {
			t.Errorf("per-server calls: got %d, want 4", n)
		}
	})
	t.Run("OKCached", func(t *testing.T) {
		e.sim.ResetCalls()
		if r := e.do("GET", "/api/servers", nil); r.status != 200 {
			t.Fatalf("got %d", r.status)
		}
		if n := e.callsTo("/servers/"); n != 1 {
			t.Errorf("got %d VirtFusion server calls, want only the list", n)
		}
	})
	t.Run("OKOneServerFailsShowsSnapshot", func(t *testing.T) {
		e.deps.Cache.Invalidate(e.aliceSrv)
		e.sim.SetFault(vfsim.Fault{Status: 500, PathPrefix: "/servers/" + strconv.FormatInt(e.aliceSrv, 10)})
		defer e.sim.ClearFaults()
		r := e.do("GET", "/api/servers", nil)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		first := r.body["servers"].([]any)[0].(map[string]any)
		if first["power"] != "unknown" || first["stale"] != true || first["name"] != "web-1" {
			t.Errorf("got %v", first)
		}
		if loc, _ := first["location"].(map[string]any); loc["name"] != "London" {
			t.Errorf("location from snapshot: got %v", first["location"])
		}
	})
	faults := []struct {
		name  string
		fault vfsim.Fault
		code  string
		retry float64 // want at least
	}{
		{"ErrUpstream5xx", vfsim.Fault{Status: 503}, panel.EUNAVAILABLE, 1},
		{"ErrUpstream500", vfsim.Fault{Status: 500}, panel.EUPSTREAM, 1},
		{"ErrRateLimited429", vfsim.Fault{RateLimit: 7}, panel.EUNAVAILABLE, 7},
		{"ErrTimeout", vfsim.Fault{Timeout: true}, panel.ETIMEOUT, 1},
	}
	for _, tt := range faults {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fault
			f.PathPrefix = "/servers/user/"
			e.sim.SetFault(f)
			defer e.sim.ClearFaults()
			r := e.do("GET", "/api/servers", nil)
			if r.code() != tt.code || r.retryAfter() < tt.retry {
				t.Errorf("got %d %v, want code %s with retryAfter ≥ %v", r.status, r.body, tt.code, tt.retry)
			}
		})
	}
	t.Run("OKLatency", func(t *testing.T) {
		for _, id := range []int64{e.aliceSrv} {
			e.deps.Cache.Invalidate(id)
		}
		e.sim.SetFault(vfsim.Fault{Latency: 20 * time.Millisecond})
		defer e.sim.ClearFaults()
		if r := e.do("GET", "/api/servers", nil); r.status != 200 {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
}

func TestDetail(t *testing.T) {
	e := newEnv(t, envOpts{})
	t.Run("OK", func(t *testing.T) {
		r := e.do("GET", e.srvPath(e.aliceSrv, ""), nil)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		s := r.body["server"].(map[string]any)
		tr := s["traffic"].(map[string]any)
		if s["name"] != "web-1" || s["power"] != "running" || tr["usedBytes"] == nil || tr["limitGb"] != float64(1000) {
			t.Errorf("got %v", s)
		}
		if b := s["build"].(map[string]any); b["state"] != "complete" || b["progress"] != float64(100) {
			t.Errorf("build: got %v", b)
		}
		if _, ok := s["vncEnabled"]; !ok {
			t.Errorf("no vncEnabled in %v", s)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if r := e.do("GET", e.srvPath(999999, ""), nil); r.status != 404 || r.code() != panel.ENOTFOUND {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrBusy423", func(t *testing.T) {
		// 423 from VirtFusion becomes 409 server_busy: a second power action
		// while the first runs.
		if r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "restart"}); r.status != 202 {
			t.Fatalf("first: got %d %v", r.status, r.body)
		}
		r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "restart"})
		if r.status != 409 || r.code() != panel.ESERVERBUSY || r.retryAfter() < 1 {
			t.Errorf("got %d %v", r.status, r.body)
		}
		e.sim.Advance()
	})
}

// TestForeignServer asks for Bob's server (and a missing one) on every
// route: each must answer 404 not_found and change nothing.
func TestForeignServer(t *testing.T) {
	e := newEnv(t, envOpts{})
	bobKey, err := e.vf.CreateSSHKey(context.Background(), e.bobVF, "bob", mustKey(t))
	if err != nil {
		t.Fatal(err)
	}
	bobQueue, err := e.vf.Power(context.Background(), e.bobSrv, "restart")
	if err != nil {
		t.Fatal(err)
	}
	e.sim.Advance()
	before, _ := e.sim.Server(int(e.bobSrv))
	routesToTry := []struct {
		method, suffix string
		body           any
	}{
		{"GET", "", nil},
		{"PATCH", "", map[string]string{"name": "mine now"}},
		{"POST", "/power", map[string]string{"action": "poweroff"}},
		{"GET", "/tasks/" + strconv.FormatInt(bobQueue, 10), nil},
		{"GET", "/tasks/build", nil},
		{"GET", "/templates", nil},
		{"POST", "/reinstall", map[string]any{"templateId": 52, "hostname": "x.example.com", "confirm": "bob-1"}},
		{"POST", "/reset-password", nil},
		{"GET", "/traffic", nil},
		{"GET", "/metrics", nil},
		{"POST", "/console", nil},
		{"POST", "/sso", nil},
		{"GET", "/backups", nil},
	}
	for _, id := range []int64{e.bobSrv, 999999} {
		for _, rt := range routesToTry {
			name := fmt.Sprintf("ErrNotFound %s %s on %d", rt.method, rt.suffix, id)
			t.Run(name, func(t *testing.T) {
				r := e.do(rt.method, e.srvPath(id, rt.suffix), rt.body)
				if r.status != 404 || r.code() != panel.ENOTFOUND {
					t.Errorf("got %d %v", r.status, r.body)
				}
				if msg := r.body["error"].(map[string]any)["message"]; msg != "server not found" {
					t.Errorf("message %q reveals more than a missing server", msg)
				}
			})
		}
	}
	t.Run("ErrNotFoundForeignTaskOnOwnServer", func(t *testing.T) {
		r := e.do("GET", e.srvPath(e.aliceSrv, "/tasks/"+strconv.FormatInt(bobQueue, 10)), nil)
		if r.status != 404 {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrNotFoundForeignSSHKey", func(t *testing.T) {
		r := e.do("DELETE", "/api/account/ssh-keys/"+strconv.FormatInt(int64(bobKey.ID), 10), nil)
		if r.status != 404 {
			t.Errorf("got %d %v", r.status, r.body)
		}
		if _, err := e.vf.SSHKey(context.Background(), int64(bobKey.ID)); err != nil {
			t.Errorf("Bob's key is gone: %v", err)
		}
	})
	t.Run("NothingChanged", func(t *testing.T) {
		after, _ := e.sim.Server(int(e.bobSrv))
		if after.Name != before.Name || after.Running != before.Running || after.ActiveTaskID != 0 || after.VNCEnabled != before.VNCEnabled {
			t.Errorf("Bob's server changed: %+v → %+v", before, after)
		}
		if got := e.activity(); len(got) != 0 {
			t.Errorf("activity: got %v", got)
		}
	})
}

func TestPower(t *testing.T) {
	e := newEnv(t, envOpts{limits: servers.Limits{Power: servers.Limit{N: 2, Window: time.Hour}}})
	t.Run("OK", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "shutdown"}, "X-Forwarded-For", "ignored")
		if r.status != 202 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		task := r.body["task"].(map[string]any)
		if task["action"] != "shutdown" || task["status"] != "pending" {
			t.Errorf("got %v", task)
		}
		e.sim.Advance()
		r = e.do("GET", e.srvPath(e.aliceSrv, "/tasks/"+task["id"].(string)), nil)
		if got := r.body["task"].(map[string]any); r.status != 200 || got["status"] != "done" || got["progress"] != float64(100) || got["finishedAt"] == nil {
			t.Errorf("task: got %d %v", r.status, r.body)
		}
		r = e.do("GET", e.srvPath(e.aliceSrv, ""), nil)
		if p := r.body["server"].(map[string]any)["power"]; p != "stopped" {
			t.Errorf("power after shutdown: got %v", p)
		}
		act := e.activity()
		if len(act) != 1 || act[0]["action"] != "server.power" || act[0]["outcome"] != "ok" ||
			act[0]["target"] != "server:"+strconv.FormatInt(e.aliceSrv, 10) || act[0]["ip"] == "" || act[0]["detail"] != "shutdown" {
			t.Errorf("activity: got %v", act)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "explode"})
		if r.status != 400 || r.body["error"].(map[string]any)["fields"].(map[string]any)["action"] == nil {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "boot"})
		e.sim.Advance()
		r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "boot"})
		if r.status != 429 || r.code() != panel.ERATELIMITED || r.retryAfter() < 1 {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrSuspended", func(t *testing.T) {
		id := e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.aliceVF), Name: "susp", Suspended: true})
		for _, rt := range []struct {
			suffix string
			body   any
		}{
			{"/power", map[string]string{"action": "boot"}},
			{"/reinstall", map[string]any{"templateId": 52, "hostname": "a.example.com", "confirm": "susp"}},
			{"/reset-password", nil},
			{"/console", nil},
			{"/sso", nil},
		} {
			r := e.do("POST", e.srvPath(id, rt.suffix), rt.body)
			if r.status != 409 || r.code() != panel.ESERVERSUSPENDED {
				t.Errorf("%s: got %d %v", rt.suffix, r.status, r.body)
			}
		}
	})
	t.Run("ErrUpstream", func(t *testing.T) {
		e2 := newEnv(t, envOpts{})
		e2.sim.SetFault(vfsim.Fault{Status: 502, PathPrefix: "/servers/" + strconv.FormatInt(e2.aliceSrv, 10) + "/power"})
		r := e2.do("POST", e2.srvPath(e2.aliceSrv, "/power"), map[string]string{"action": "restart"})
		if r.status != 503 || r.code() != panel.EUNAVAILABLE || r.retryAfter() < 1 {
			t.Errorf("got %d %v", r.status, r.body)
		}
		if act := e2.activity(); len(act) != 1 || act[0]["outcome"] != "error" {
			t.Errorf("activity: got %v", act)
		}
	})
}

func TestRename(t *testing.T) {
	e := newEnv(t, envOpts{})
	tests := []struct {
		name, newName string
		status        int
	}{
		{"OK", "db primary ✓", 200},
		{"ErrEmpty", "  ", 400},
		{"ErrTooLong", strings.Repeat("a", 64), 400},
		{"ErrControl", "bad\x07name", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("PATCH", e.srvPath(e.aliceSrv, ""), map[string]string{"name": tt.newName})
			if r.status != tt.status {
				t.Fatalf("got %d %v", r.status, r.body)
			}
			if tt.status == 200 {
				if got := r.body["server"].(map[string]any)["name"]; got != tt.newName {
					t.Errorf("got %v", got)
				}
				if s, _ := e.sim.Server(int(e.aliceSrv)); s.Name != tt.newName {
					t.Errorf("VirtFusion has %q", s.Name)
				}
			}
		})
	}
}

func TestReinstallAndPassword(t *testing.T) {
	e := newEnv(t, envOpts{})
	ctx := context.Background()
	key, err := e.vf.CreateSSHKey(ctx, e.aliceVF, "laptop", mustKey(t))
	if err != nil {
		t.Fatal(err)
	}
	bobKey, err := e.vf.CreateSSHKey(ctx, e.bobVF, "bob", mustKey(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OKResetPassword", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/reset-password"), nil)
		if r.status != 200 || len(r.body["password"].(string)) < 8 || r.body["task"] == nil {
			t.Errorf("got %d %v", r.status, r.body)
		}
		e.sim.Advance()
	})
	t.Run("ErrConfirm", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/reinstall"), map[string]any{"templateId": 46, "hostname": "a.example.com", "confirm": "WEB-1"})
		if r.status != 400 || r.body["error"].(map[string]any)["fields"].(map[string]any)["confirm"] == nil {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrForeignKey", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/reinstall"), map[string]any{"templateId": 46, "hostname": "a.example.com",
			"confirm": "web-1", "sshKeyIds": []int64{int64(bobKey.ID)}})
		if r.status != 400 || r.body["error"].(map[string]any)["fields"].(map[string]any)["sshKeyIds"] == nil {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrTemplate", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/reinstall"), map[string]any{"templateId": 81, "hostname": "a.example.com", "confirm": "web-1"})
		if r.status != 400 {
			t.Errorf("Windows on 1 GB: got %d %v", r.status, r.body)
		}
	})
	t.Run("OK", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/reinstall"), map[string]any{"templateId": 46, "hostname": "deb.example.com",
			"confirm": "web-1", "sshKeyIds": []int64{int64(key.ID)}})
		if r.status != 202 || len(r.body["rootPassword"].(string)) < 8 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		task := r.body["task"].(map[string]any)
		password := r.body["rootPassword"].(string)
		// VirtFusion's build response names no queue item (tasks.active,
		// empty pending), so the task follows the build state.
		if task["id"] != "build" {
			t.Fatalf("task id %q, want the build-state task", task["id"])
		}
		r = e.do("GET", e.srvPath(e.aliceSrv, "/tasks/"+task["id"].(string)), nil)
		if got := r.body["task"].(map[string]any)["status"]; got == "done" {
			t.Errorf("build task done at once: %v", r.body)
		}
		e.sim.Advance()
		r = e.do("GET", e.srvPath(e.aliceSrv, "/tasks/"+task["id"].(string)), nil)
		if got := r.body["task"].(map[string]any); got["status"] != "done" || got["action"] != "reinstall" || got["progress"] != float64(100) {
			t.Errorf("after build: got %v", r.body)
		}
		if s, _ := e.sim.Server(int(e.aliceSrv)); s.TemplateID != 46 || s.Hostname != "deb.example.com" {
			t.Errorf("VirtFusion has %+v", s)
		}
		found := false
		for _, a := range e.activity() {
			if a["action"] == "server.reinstall" && a["outcome"] == "ok" {
				// The OS by the name people know, not "template 46".
				if want := "Debian 12 (Bookworm), hostname deb.example.com"; a["detail"] != want {
					t.Errorf("reinstall detail: got %q, want %q", a["detail"], want)
				}
				found = true
			}
			if strings.Contains(fmt.Sprint(a), password) {
				t.Errorf("password in activity")
			}
		}
		if !found {
			t.Errorf("no reinstall in activity")
		}
	})
}

func TestReadRoutes(t *testing.T) {
	e := newEnv(t, envOpts{})
	tests := []struct {
		name, suffix, key string
	}{
		{"OKTemplates", "/templates", "groups"},
		{"OKTraffic", "/traffic", "periods"},
		{"OKBackups", "/backups", "backups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("GET", e.srvPath(e.aliceSrv, tt.suffix), nil)
			if r.status != 200 || r.body[tt.key] == nil {
				t.Errorf("got %d %v", r.status, r.body)
			}
		})
	}
	t.Run("OKMetrics", func(t *testing.T) {
		r := e.do("GET", e.srvPath(e.aliceSrv, "/metrics"), nil)
		mem := r.body["memory"].(map[string]any)
		disk := r.body["disk"].(map[string]any)
		if r.status != 200 || r.body["running"] != true || mem["totalBytes"].(float64) < 900<<20 ||
			mem["usedBytes"].(float64) <= 0 || disk["totalBytes"].(float64) < 10<<30 || disk["readBytes"].(float64) <= 0 {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("OKConsole", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/console"), nil)
		u, _ := r.body["url"].(string)
		if r.status != 200 || !strings.HasPrefix(u, "ws://127.0.0.1:") || !strings.Contains(u, "/vnc/?token=") || r.body["password"] == "" {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("OKSSO", func(t *testing.T) {
		r := e.do("POST", e.srvPath(e.aliceSrv, "/sso"), nil)
		if u, _ := r.body["url"].(string); r.status != 200 || !strings.Contains(u, "/token_authenticate/?1=") {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("ErrTrafficUpstream", func(t *testing.T) {
		e.sim.SetFault(vfsim.Fault{Status: 504, PathPrefix: "/servers/" + strconv.FormatInt(e.aliceSrv, 10) + "/traffic"})
		defer e.sim.ClearFaults()
		r := e.do("GET", e.srvPath(e.aliceSrv, "/traffic"), nil)
		if r.status != 504 || r.code() != panel.ETIMEOUT || r.retryAfter() < 1 {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
}

func mustKey(t testing.TB) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk))) + " me@laptop"
}

func TestSSHKeys(t *testing.T) {
	e := newEnv(t, envOpts{})
	key := mustKey(t)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	smallPK, _ := ssh.NewPublicKey(&small.PublicKey)
	var id float64
	t.Run("OKCreate", func(t *testing.T) {
		r := e.do("POST", "/api/account/ssh-keys", map[string]string{"name": "laptop", "publicKey": key})
		if r.status != 201 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		k := r.body["key"].(map[string]any)
		if k["type"] != "ssh-ed25519" || !strings.HasPrefix(k["fingerprint"].(string), "SHA256:") || k["name"] != "laptop" {
			t.Errorf("got %v", k)
		}
		id = k["id"].(float64)
	})
	tests := []struct {
		name, key string
		status    int
	}{
		{"ErrDuplicate", key, 409},
		{"ErrRSA1024", string(ssh.MarshalAuthorizedKey(smallPK)), 400},
		{"ErrGarbage", "ssh-ed25519 notbase64", 400},
		{"ErrPrivate", "-----BEGIN OPENSSH PRIVATE KEY-----", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("POST", "/api/account/ssh-keys", map[string]string{"name": "x", "publicKey": tt.key})
			if r.status != tt.status {
				t.Errorf("got %d %v", r.status, r.body)
			}
		})
	}
	t.Run("OKList", func(t *testing.T) {
		r := e.do("GET", "/api/account/ssh-keys", nil)
		keys := r.body["keys"].([]any)
		if len(keys) != 1 || keys[0].(map[string]any)["type"] != "ssh-ed25519" {
			t.Errorf("got %v", r.body)
		}
	})
	t.Run("OKDelete", func(t *testing.T) {
		r := e.do("DELETE", "/api/account/ssh-keys/"+strconv.Itoa(int(id)), nil)
		if r.status != 204 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if r := e.do("GET", "/api/account/ssh-keys", nil); len(r.body["keys"].([]any)) != 0 {
			t.Errorf("got %v", r.body)
		}
	})
}

func TestActivity(t *testing.T) {
	e := newEnv(t, envOpts{})
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour)
	for i := range 30 {
		if err := e.deps.Audit.RecordAudit(ctx, panel.AuditEntry{UserID: "u_alice", Actor: "u_alice", Action: "server.power",
			Target: "server:1", Outcome: panel.OutcomeOK, Detail: strconv.Itoa(i), At: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	e.deps.Audit.RecordAudit(ctx, panel.AuditEntry{UserID: "u_bob", Action: "server.power", Outcome: "ok"})
	r := e.do("GET", "/api/account/activity", nil)
	items := r.body["items"].([]any)
	if len(items) != 25 || items[0].(map[string]any)["detail"] != "29" || r.body["nextCursor"] == "" {
		t.Fatalf("page 1: got %d items, first %v, cursor %v", len(items), items[0], r.body["nextCursor"])
	}
	r = e.do("GET", "/api/account/activity?cursor="+r.body["nextCursor"].(string), nil)
	items = r.body["items"].([]any)
	if len(items) != 5 || items[4].(map[string]any)["detail"] != "0" || r.body["nextCursor"] != "" {
		t.Errorf("page 2: got %v", r.body)
	}
	if r := e.do("GET", "/api/account/activity?cursor=!!", nil); r.status != 400 {
		t.Errorf("bad cursor: got %d", r.status)
	}
}

func webhookBody(event, delivery string, serverID int64, serverName, ext string) map[string]any {
	return webhookBodyVF(event, delivery, serverID, serverName, ext, 1, 1)
}

// webhookBodyVF is a delivery naming a server (with its ownerId) and a
// user (VirtFusion id and relation).
func webhookBodyVF(event, delivery string, serverID int64, serverName, ext string, ownerVF, userVF int64) map[string]any {
	return map[string]any{"event": event, "created": "2026-11-22T10:00:00Z", "hookId": 1, "hookEventId": delivery,
		"eventStatus": "success", "controlDomain": "vf.example.com",
		"data": map[string]any{"server": map[string]any{"id": serverID, "ownerId": ownerVF, "name": serverName, "state": "complete",
			"commissionStatus": 3, "suspended": event == "server.suspend"},
			"user": map[string]any{"id": userVF, "extRelationId": ext}}}
}

// TestWebhookOwner: a delivery that names one customer's server and
// another customer's user writes nobody's activity (issue 12 item 15).
func TestWebhookOwner(t *testing.T) {
	e := newEnv(t, envOpts{servers: 1})
	e.recordOwners()
	e.linkUser("u_alice", e.aliceVF)
	e.linkUser("u_bob", e.bobVF)
	unordered := e.mustAdd(vfsim.ServerSpec{OwnerID: int(e.aliceVF), Name: "side"}) // not in billing's records
	enc := "aG9vay1zZWNyZXQ="
	tests := []struct {
		name            string
		server          int64
		ext             string
		ownerVF, userVF int64
		want            string // whose activity is written; "" = nobody's
	}{
		{"OKOrdered", e.aliceSrv, "u_alice", e.aliceVF, e.aliceVF, "u_alice"},
		{"OKOrderedNoRelation", e.aliceSrv, "", e.aliceVF, e.aliceVF, "u_alice"},
		{"ErrOrderedOtherRelation", e.aliceSrv, "u_bob", e.aliceVF, e.aliceVF, ""},
		{"ErrOrderedOtherUser", e.aliceSrv, "u_bob", e.aliceVF, e.bobVF, ""},
		{"ErrOrderedOtherOwner", e.aliceSrv, "", e.bobVF, e.bobVF, ""},
		{"OKUnorderedConfirmed", unordered, "u_alice", e.aliceVF, e.aliceVF, "u_alice"},
		{"ErrUnorderedOtherUser", unordered, "u_bob", e.bobVF, e.bobVF, ""},
		{"ErrUnorderedUnknownUser", unordered, "u_nobody", e.aliceVF, e.aliceVF, ""},
		{"ErrUnorderedNoRelation", unordered, "", e.aliceVF, e.aliceVF, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := map[string]int{"u_alice": len(e.activityOf("u_alice")), "u_bob": len(e.activityOf("u_bob"))}
			id := fmt.Sprintf("own-%d", i)
			r := e.do("POST", "/api/webhooks/virtfusion", webhookBodyVF("server.suspend", id, tt.server, "x", tt.ext, tt.ownerVF, tt.userVF),
				hookHeaders(id, enc)...)
			if r.status != 200 {
				t.Fatalf("got %d %v", r.status, r.body)
			}
			for _, u := range []string{"u_alice", "u_bob"} {
				got := len(e.activityOf(u)) - before[u]
				if want := map[bool]int{true: 1, false: 0}[u == tt.want]; got != want {
					t.Errorf("%s: %d new activity entries, want %d", u, got, want)
				}
			}
			evs, _ := e.deps.Events.ServerEventsFor(context.Background(), tt.server, 50)
			var stored *panel.ServerEvent
			for i := range evs {
				if evs[i].ID == id {
					stored = &evs[i]
				}
			}
			if stored == nil || stored.UserID != tt.want {
				t.Errorf("stored event: got %+v, want userId %q", stored, tt.want)
			}
		})
	}
}

// TestWebhookIDs: ids may be numbers or strings (the docs say "<id>"); a
// number is no reason to refuse, and an over-long id is refused before it
// reaches DynamoDB.
func TestWebhookIDs(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.recordOwners()
	enc := "aG9vay1zZWNyZXQ="
	post := func(body map[string]any, hdr ...string) resp {
		return e.do("POST", "/api/webhooks/virtfusion", body, append([]string{"Authorization", "Bearer " + enc}, hdr...)...)
	}
	t.Run("OKNumericHookEventID", func(t *testing.T) {
		body := webhookBody("server.suspend", "", e.aliceSrv, "web-1", "")
		body["hookEventId"], body["hookId"] = 48213, 7
		if r := post(body); r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		evs, _ := e.deps.Events.ServerEventsFor(context.Background(), e.aliceSrv, 10)
		if len(evs) != 1 || evs[0].ID != "48213" {
			t.Errorf("stored: %+v", evs)
		}
	})
	t.Run("OKStringServerAndUserIDs", func(t *testing.T) {
		body := webhookBody("server.boot", "ids-as-strings", e.aliceSrv, "web-1", "")
		data := body["data"].(map[string]any)
		data["server"].(map[string]any)["id"] = strconv.FormatInt(e.aliceSrv, 10)
		data["server"].(map[string]any)["ownerId"] = strconv.FormatInt(e.aliceVF, 10)
		data["user"] = map[string]any{"id": strconv.FormatInt(e.aliceVF, 10), "extRelationId": nil}
		if r := post(body); r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		evs, _ := e.deps.Events.ServerEventsFor(context.Background(), e.aliceSrv, 10)
		if len(evs) != 2 || evs[0].ServerID != e.aliceSrv || evs[0].UserID != "u_alice" {
			t.Errorf("stored: %+v", evs)
		}
	})
	t.Run("OKLooseShapes", func(t *testing.T) {
		// The docs: "server object/false"; PHP writes an empty object as
		// []; a date the panel cannot read. None is worth a retry loop.
		for i, data := range []any{[]any{}, false, map[string]any{"server": false, "user": false},
			map[string]any{"server": []any{}, "user": []any{}}} {
			body := map[string]any{"event": "server.boot", "hookEventId": fmt.Sprintf("loose-%d", i), "created": "yesterday", "data": data}
			if r := post(body); r.status != 200 {
				t.Errorf("%v: got %d %v", data, r.status, r.body)
			}
		}
	})
	huge := strings.Repeat("9", 100<<10)
	for _, tt := range []struct {
		name string
		body map[string]any
		hdr  []string
	}{
		{"ErrHugeHookEventID", map[string]any{"event": "server.boot", "hookEventId": huge}, nil},
		{"ErrHugeHookEventIDString", map[string]any{"event": "server.boot", "hookEventId": "x" + huge}, nil},
		{"ErrHugeHeaderID", map[string]any{"event": "server.boot"}, []string{"X-VirtFusion-Hook-Event", strings.Repeat("a", 4000)}},
		{"ErrHugeEvent", map[string]any{"event": strings.Repeat("e", 1000), "hookEventId": "ok-1"}, nil},
		{"ErrControlCharsID", map[string]any{"event": "server.boot", "hookEventId": "a\u0000b"}, nil},
		{"ErrObjectID", map[string]any{"event": "server.boot", "hookEventId": map[string]any{"x": 1}}, nil},
		{"ErrNoID", map[string]any{"event": "server.boot"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := post(tt.body, tt.hdr...)
			if r.status != 400 || r.code() != panel.EINVALID {
				t.Fatalf("got %d %v", r.status, r.body)
			}
		})
	}
}

func hookHeaders(delivery, token string) []string {
	return []string{"Authorization", "Bearer " + token, "X-VirtFusion-Hook-Event", delivery, "X-VirtFusion-Event", "server.suspend"}
}

// recordOwners gives billing's records Alice's and Bob's servers, as an
// order through the panel would.
func (e *env) recordOwners() {
	e.t.Helper()
	err := e.ledger.ImportServers(context.Background(), []*panel.BilledServer{
		{ServerID: e.aliceSrv, UserID: "u_alice", VFUserID: e.aliceVF, Name: "web-1", Currency: "USD", ActiveSince: time.Now()},
		{ServerID: e.bobSrv, UserID: "u_bob", VFUserID: e.bobVF, Name: "bob-1", Currency: "USD", ActiveSince: time.Now()},
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// linkUser stores a panel user linked to a VirtFusion user.
func (e *env) linkUser(id string, vfID int64) {
	e.t.Helper()
	ctx := context.Background()
	u := &panel.User{ID: id, Email: id + "@example.com", Name: id, Role: panel.RoleCustomer, CreatedAt: time.Now()}
	if _, _, err := e.users.ClaimLink(ctx, u, "tok", time.Now(), time.Minute); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.users.CompleteLink(ctx, id, "tok", vfID); err != nil {
		e.t.Fatal(err)
	}
}

// activityOf lists a user's activity straight from the log.
func (e *env) activityOf(userID string) []panel.AuditEntry {
	e.t.Helper()
	out, _, err := e.deps.Audit.Activity(context.Background(), userID, "", 50)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func TestWebhook(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.recordOwners()
	enc := "aG9vay1zZWNyZXQ=" // base64("hook-secret")
	ctx := context.Background()
	t.Run("ErrUnauthorized", func(t *testing.T) {
		for _, tok := range []string{"", "wrong", "aG9vay1zZWNyZXQ"} {
			r := e.do("POST", "/api/webhooks/virtfusion", webhookBody("server.suspend", "d0", e.aliceSrv, "web-1", "u_alice"), hookHeaders("d0", tok)...)
			if r.status != 401 {
				t.Errorf("token %q: got %d", tok, r.status)
			}
		}
	})
	t.Run("OK", func(t *testing.T) {
		r := e.do("POST", "/api/webhooks/virtfusion", webhookBody("server.suspend", "d1", e.aliceSrv, "web-1", "u_alice"), hookHeaders("d1", enc)...)
		if r.status != 200 || r.body["duplicate"] != false {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		evs := e.sink.events()
		if len(evs) != 1 || evs[0].Kind != panel.ServerEventSuspended || evs[0].ServerID != e.aliceSrv || evs[0].UserID != "u_alice" {
			t.Errorf("sink: got %+v", evs)
		}
		stored, _ := e.deps.Events.ServerEventsFor(ctx, e.aliceSrv, 10)
		if len(stored) != 1 || stored[0].ID != "d1" {
			t.Errorf("stored: got %+v", stored)
		}
		if pend, _ := e.deps.Events.PendingServerEvents(ctx, 10); len(pend) != 0 {
			t.Errorf("pending after delivery: %+v", pend)
		}
		act := e.activity()
		if len(act) != 1 || act[0]["action"] != string(panel.ActServerSuspended) || act[0]["detail"] != "web-1 was suspended." {
			t.Errorf("activity: got %v", act)
		}
	})
	t.Run("OKDuplicate", func(t *testing.T) {
		r := e.do("POST", "/api/webhooks/virtfusion", webhookBody("server.suspend", "d1", e.aliceSrv, "web-1", "u_alice"), hookHeaders("d1", enc)...)
		if r.status != 200 || r.body["duplicate"] != true || len(e.sink.events()) != 1 || len(e.activity()) != 1 {
			t.Errorf("got %d %v, sink %d", r.status, r.body, len(e.sink.events()))
		}
	})
	t.Run("ErrSinkFailsThenRetry", func(t *testing.T) {
		e.sink.mu.Lock()
		e.sink.fail = errors.New("ledger down")
		e.sink.mu.Unlock()
		body := webhookBody("server.delete", "d2", e.aliceSrv, "web-1", "u_alice")
		if r := e.do("POST", "/api/webhooks/virtfusion", body, hookHeaders("d2", enc)...); r.status != 503 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		if pend, _ := e.deps.Events.PendingServerEvents(ctx, 10); len(pend) != 1 || pend[0].Kind != panel.ServerEventDeleted {
			t.Errorf("pending: %+v", pend)
		}
		e.sink.mu.Lock()
		e.sink.fail = nil
		e.sink.mu.Unlock()
		if r := e.do("POST", "/api/webhooks/virtfusion", body, hookHeaders("d2", enc)...); r.status != 200 {
			t.Fatalf("retry: got %d %v", r.status, r.body)
		}
		if evs := e.sink.events(); len(evs) != 2 || evs[1].Kind != panel.ServerEventDeleted {
			t.Errorf("sink: %+v", evs)
		}
	})
	t.Run("OKUnknownEvent", func(t *testing.T) {
		body := map[string]any{"event": "user.create", "hookEventId": "d3", "data": map[string]any{"user": map[string]any{"id": 9}}}
		if r := e.do("POST", "/api/webhooks/virtfusion", body, hookHeaders("d3", enc)...); r.status != 200 {
			t.Errorf("got %d %v", r.status, r.body)
		}
	})
	t.Run("OKFromSimulator", func(t *testing.T) {
		srv := httptest.NewServer(e.rn)
		defer srv.Close()
		e.sim.EmitWebhooks(srv.URL+"/api/webhooks/virtfusion", hookToken)
		if err := e.vf.Suspend(ctx, e.bobSrv); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			evs, _ := e.deps.Events.ServerEventsFor(ctx, e.bobSrv, 10)
			if len(evs) == 1 && evs[0].Kind == panel.ServerEventSuspended && evs[0].UserID == "u_bob" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no suspend event stored: %+v", evs)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func TestMain(m *testing.M) {
	// Request logs drown test failures; warnings and errors still show.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}

func TestOrderedPackage(t *testing.T) {
	e := newEnv(t, envOpts{servers: 1})
	ctx := context.Background()
	pkgs, err := e.vf.Packages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// web-1 has VPS Nano's shape; billing says it was ordered as another
	// package (e.g. one since resized), which wins over the guess.
	var other *virtfusion.Package
	for i := range pkgs {
		if pkgs[i].Name != "VPS Nano" {
			other = &pkgs[i]
			break
		}
	}
	if other == nil {
		t.Fatal("the simulator has a single package")
	}
	if err := e.ledger.ImportServers(ctx, []*panel.BilledServer{{ServerID: e.aliceSrv, UserID: "u_alice", VFUserID: e.aliceVF,
		Name: "web-1", PackageID: int64(other.ID), HourlyMinor: 1, Currency: "USD", ActiveSince: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": float64(other.ID), "name": string(other.Name)}
	check := func(t *testing.T, got any, want map[string]any) {
		t.Helper()
		if p, _ := got.(map[string]any); p == nil || p["id"] != want["id"] || p["name"] != want["name"] {
			t.Errorf("package: got %v, want %v", got, want)
		}
	}
	t.Run("OKList", func(t *testing.T) {
		r := e.do("GET", "/api/servers", nil)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		for _, it := range r.body["servers"].([]any) {
			s := it.(map[string]any)
			if s["id"] == float64(e.aliceSrv) {
				check(t, s["package"], want)
			} else {
				// Not ordered through the panel: guessed from its shape.
				check(t, s["package"], map[string]any{"id": s["package"].(map[string]any)["id"], "name": "VPS Nano"})
			}
		}
	})
	t.Run("OKDetail", func(t *testing.T) {
		r := e.do("GET", e.srvPath(e.aliceSrv, ""), nil)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		check(t, r.body["server"].(map[string]any)["package"], want)
	})
	t.Run("OKStoreDown", func(t *testing.T) {
		// Billing's store failing falls back to the guess, not an error.
		d := e.deps
		d.Ordered = failingOrdered{}
		h := servers.Handlers(d)["GET /api/servers/{id}"]
		req := httptest.NewRequest("GET", e.srvPath(e.aliceSrv, ""), nil)
		req.SetPathValue("id", strconv.FormatInt(e.aliceSrv, 10))
		req = req.WithContext(panel.WithPrincipal(req.Context(), &panel.Principal{UserID: "u_alice", VFUserID: e.aliceVF}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var body struct {
			Server struct {
				Package map[string]any `json:"package"`
			} `json:"server"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Server.Package["name"] != "VPS Nano" {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	})
}

type failingOrdered struct{}

func (failingOrdered) OrderedPackageIDs(context.Context, []int64) (map[int64]int64, error) {
	return nil, panel.Errorf(panel.EUNAVAILABLE, "down")
}

// TestServerActivity: GET /api/servers/{id}/activity lists only that
// server's entries, pages through a log where they are rare, and is 404
// for a server the caller does not own.
func TestServerActivity(t *testing.T) {
	e := newEnv(t, envOpts{})
	ctx := context.Background()
	t0 := time.Now().Add(-time.Hour)
	mine, other := "server:"+strconv.FormatInt(e.aliceSrv, 10), "server:999999"
	// 3 entries about the server among 60 about another.
	for i := range 63 {
		target, detail := other, "other"
		if i%21 == 0 {
			target, detail = mine, "mine-"+strconv.Itoa(i)
		}
		if err := e.deps.Audit.RecordAudit(ctx, panel.AuditEntry{UserID: "u_alice", Actor: "u_alice", Action: panel.ActServerPower,
			Target: target, Outcome: panel.OutcomeOK, Detail: detail, At: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	cursor := ""
	for range 10 {
		r := e.do("GET", e.srvPath(e.aliceSrv, "/activity?cursor="+cursor), nil)
		if r.status != 200 {
			t.Fatalf("got %d %v", r.status, r.body)
		}
		for _, it := range r.body["items"].([]any) {
			m := it.(map[string]any)
			if m["target"] != mine {
				t.Errorf("entry for %v in the server's activity", m["target"])
			}
			got = append(got, m["detail"].(string))
		}
		if cursor = r.body["nextCursor"].(string); cursor == "" {
			break
		}
	}
	if want := []string{"mine-42", "mine-21", "mine-0"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if r := e.do("GET", e.srvPath(e.bobSrv, "/activity"), nil); r.status != 404 {
			t.Errorf("someone else's server: got %d, want 404", r.status)
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		if r := e.do("GET", e.srvPath(e.aliceSrv, "/activity?cursor=!!"), nil); r.status != 400 {
			t.Errorf("got %d, want 400", r.status)
		}
	})
}

// TestPowerActivityOnce: a power action asked through the panel is one
// entry, not a second one when VirtFusion's webhook reports it; a power
// change made in VirtFusion itself is written, with the action.
func TestPowerActivityOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.recordOwners()
	enc := "aG9vay1zZWNyZXQ="
	if r := e.do("POST", e.srvPath(e.aliceSrv, "/power"), map[string]string{"action": "shutdown"}); r.status != 202 {
		t.Fatalf("power: got %d %v", r.status, r.body)
	}
	hook := func(event, delivery string, at time.Time) map[string]any {
		b := webhookBody(event, delivery, e.aliceSrv, "web-1", "u_alice")
		b["created"] = at.UTC().Format(time.RFC3339)
		return b
	}
	if r := e.do("POST", "/api/webhooks/virtfusion", hook("server.shutdown", "p1", time.Now()), hookHeaders("p1", enc)...); r.status != 200 {
		t.Fatalf("webhook: got %d %v", r.status, r.body)
	}
	act := e.activity()
	if len(act) != 1 || act[0]["action"] != string(panel.ActServerPower) || act[0]["detail"] != "shutdown" {
		t.Fatalf("after a panel shutdown: got %v, want one server.power entry", act)
	}
	// A shutdown long after the panel's is not the same one.
	if r := e.do("POST", "/api/webhooks/virtfusion", hook("server.shutdown", "p2", time.Now().Add(time.Hour)), hookHeaders("p2", enc)...); r.status != 200 {
		t.Fatalf("webhook: got %d %v", r.status, r.body)
	}
	if r := e.do("POST", "/api/webhooks/virtfusion", hook("server.boot", "p3", time.Now().Add(2*time.Hour)), hookHeaders("p3", enc)...); r.status != 200 {
		t.Fatalf("webhook: got %d %v", r.status, r.body)
	}
	act = e.activity()
	if len(act) != 3 || act[0]["action"] != string(panel.ActServerPowerChanged) || act[0]["detail"] != "boot" ||
		act[1]["action"] != string(panel.ActServerPowerChanged) || act[1]["detail"] != "shutdown" {
		t.Errorf("after a boot made in VirtFusion: got %v", act)
	}
}
