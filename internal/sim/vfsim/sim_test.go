package vfsim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "test-token"

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type harness struct {
	sim   *Sim
	srv   *httptest.Server
	clock *fakeClock
}

// newHarness starts a sim on a fake clock (2026-11-22 12:00 UTC).
func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	opts.Token = testToken
	if opts.Clock == nil {
		opts.Clock = clk.Now
	}
	if opts.BuildDelay == 0 {
		opts.BuildDelay = 8 * time.Second
	}
	if opts.PowerDelay == 0 {
		opts.PowerDelay = 3 * time.Second
	}
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		srv.Close()
		_ = s.Close()
	})
	return &harness{sim: s, srv: srv, clock: clk}
}

// do calls the API and returns status, headers and the raw body.
func (h *harness) do(t *testing.T, method, path string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.srv.URL+"/api/v1"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// mustJSON calls the API, checks the status and decodes the body.
func (h *harness) mustJSON(t *testing.T, method, path string, body any, want int) map[string]any {
	t.Helper()
	code, _, b := h.do(t, method, path, body)
	if code != want {
		t.Fatalf("%s %s: got status %d, want %d; body %s", method, path, code, want, b)
	}
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, path, b, err)
		}
	}
	return out
}

func data(m map[string]any) map[string]any { d, _ := m["data"].(map[string]any); return d }

func num(v any) int { f, _ := v.(float64); return int(f) }

// mustUserServer creates a user through the API and an allocated server for it.
func (h *harness) mustUserServer(t *testing.T) (userID, serverID int) {
	t.Helper()
	u := data(h.mustJSON(t, "POST", "/users", map[string]any{"name": "Test User", "email": "t@example.com", "extRelationId": 42}, 201))
	if u["password"] == "" || u["password"] == nil {
		t.Fatalf("POST /users: got no password in %v", u)
	}
	userID = num(u["id"])
	sv := data(h.mustJSON(t, "POST", "/servers", map[string]any{"packageId": 1, "userId": userID, "hypervisorId": 1}, 201))
	return userID, num(sv["id"])
}

func (h *harness) mustBuilt(t *testing.T) (userID, serverID int) {
	t.Helper()
	userID, serverID = h.mustUserServer(t)
	h.mustJSON(t, "POST", "/servers/"+itoa(serverID)+"/build", map[string]any{"operatingSystemId": 46, "hostname": "t1.example.com"}, 200)
	h.sim.Advance()
	return userID, serverID
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestAuth(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"OK", "Bearer " + testToken, 200},
		{"ErrMissing", "", 401},
		{"ErrWrongToken", "Bearer nope", 401},
		{"ErrNotBearer", "Basic " + testToken, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/connect", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("got %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 401 && len(b) != 0 {
				t.Errorf("got 401 body %q, want empty", b)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	h := newHarness(t, Options{})
	uid := h.sim.AddUser(User{Name: "Many", Email: "many@example.com", ExtRelationID: "7"})
	for range 45 {
		if _, err := h.sim.AddServer(ServerSpec{OwnerID: uid}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name                  string
		query                 string
		count, page, lastPage int
		from, to              any
		next, prev            bool
	}{
		{"OKDefault", "", 20, 1, 3, 1.0, 20.0, true, false},
		{"OKPage2", "?results=20&page=2", 20, 2, 3, 21.0, 40.0, true, true},
		{"OKLast", "?results=20&page=3", 5, 3, 3, 41.0, 45.0, false, true},
		{"OKBeyond", "?results=20&page=9", 0, 9, 3, nil, nil, false, true},
		{"OKBigPage", "?results=500", 45, 1, 1, 1.0, 45.0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := h.mustJSON(t, "GET", "/servers"+tt.query, nil, 200)
			if _, ok := m["meta"]; ok {
				t.Error("got a meta wrapper, want paginator at top level")
			}
			items, _ := m["data"].([]any)
			if len(items) != tt.count {
				t.Errorf("got %d items, want %d", len(items), tt.count)
			}
			if num(m["current_page"]) != tt.page || num(m["last_page"]) != tt.lastPage || num(m["total"]) != 45 {
				t.Errorf("got page %v/%v total %v", m["current_page"], m["last_page"], m["total"])
			}
			if m["from"] != tt.from || m["to"] != tt.to {
				t.Errorf("got from/to %v/%v, want %v/%v", m["from"], m["to"], tt.from, tt.to)
			}
			if (m["next_page_url"] != nil) != tt.next || (m["prev_page_url"] != nil) != tt.prev {
				t.Errorf("got next %v prev %v", m["next_page_url"], m["prev_page_url"])
			}
			links := m["links"].([]any)
			if l := links[0].(map[string]any)["label"]; l != "&laquo; Previous" {
				t.Errorf("got first link label %q", l)
			}
			if tt.count > 0 {
				it := items[0].(map[string]any)
				if _, ok := it["commissioned"]; !ok {
					t.Errorf("list item lacks commissioned: %v", it)
				}
				if _, ok := it["commissionStatus"]; ok {
					t.Errorf("list item has commissionStatus: %v", it)
				}
				if _, ok := it["owner"].(float64); !ok {
					t.Errorf("got owner %v, want an int", it["owner"])
				}
			}
		})
	}
	t.Run("OKKeepsQuery", func(t *testing.T) {
		m := h.mustJSON(t, "GET", "/servers?results=10&page=2", nil, 200)
		if want := h.srv.URL + "/api/v1/servers?results=10&page=3"; m["next_page_url"] != want {
			t.Errorf("got next %v, want %v", m["next_page_url"], want)
		}
	})
}

func TestBuildStateMachine(t *testing.T) {
	h := newHarness(t, Options{})
	uid, sid := h.mustUserServer(t)
	id := "/servers/" + itoa(sid)

	created := data(h.mustJSON(t, "GET", id, nil, 200))
	if created["state"] != "allocated" || num(created["commissionStatus"]) != 0 || created["built"] != nil || created["name"] != "" {
		t.Fatalf("after create: state %v commission %v built %v name %q", created["state"], created["commissionStatus"], created["built"], created["name"])
	}

	t.Run("ErrBadTemplate", func(t *testing.T) {
		m := h.mustJSON(t, "POST", id+"/build", map[string]any{"operatingSystemId": 9999}, 422)
		if errs, _ := m["errors"].([]any); len(errs) == 0 {
			t.Errorf("got %v, want errors array", m)
		}
	})
	t.Run("ErrWindowsTooSmall", func(t *testing.T) {
		h.mustJSON(t, "POST", id+"/build", map[string]any{"operatingSystemId": 81}, 422)
	})

	key := data(h.mustJSON(t, "POST", "/ssh_keys", map[string]any{"userId": uid, "name": "k", "publicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFake t@x"}, 201))
	b := data(h.mustJSON(t, "POST", id+"/build", map[string]any{"operatingSystemId": 46, "name": "My Box", "sshKeys": []int{num(key["id"])}, "ipv6": true}, 200))
	if b["state"] != "queued" || num(b["commissionStatus"]) != 1 {
		t.Fatalf("build response: state %v commission %v", b["state"], b["commissionStatus"])
	}
	pw, _ := b["settings"].(map[string]any)["decryptedPassword"].(string)
	if len(pw) < 12 {
		t.Fatalf("got decryptedPassword %q", pw)
	}

	t.Run("ErrPowerDuringBuild", func(t *testing.T) {
		m := h.mustJSON(t, "POST", id+"/power/boot", nil, 423)
		if _, ok := m["msg"].(string); !ok {
			t.Errorf("got %v, want msg", m)
		}
	})
	t.Run("ErrRebuildDuringBuild", func(t *testing.T) {
		h.mustJSON(t, "POST", id+"/build", map[string]any{"operatingSystemId": 46}, 423)
	})

	h.clock.Add(7 * time.Second)
	if st := data(h.mustJSON(t, "GET", id, nil, 200))["state"]; st != "queued" {
		t.Fatalf("before BuildDelay: got state %v, want queued", st)
	}
	h.clock.Add(2 * time.Second)
	got := data(h.mustJSON(t, "GET", id+"?remoteState=true", nil, 200))
	if got["state"] != "complete" || num(got["commissionStatus"]) != 3 || got["built"] == nil || got["name"] != "My Box" {
		t.Fatalf("after BuildDelay: state %v commission %v built %v name %v", got["state"], got["commissionStatus"], got["built"], got["name"])
	}
	if _, ok := got["settings"].(map[string]any)["decryptedPassword"]; ok {
		t.Error("GET returned decryptedPassword; want it only once, in the build response")
	}
	if rs := got["remoteState"].(map[string]any); rs["running"] != true || rs["state"] != "running" {
		t.Errorf("after build: got remoteState %v", rs)
	}
	iface := got["network"].(map[string]any)["interfaces"].([]any)[0].(map[string]any)
	if v6 := iface["ipv6"].([]any); len(v6) != 1 || !strings.HasPrefix(v6[0].(map[string]any)["subnet"].(string), "2001:db8:") {
		t.Errorf("got ipv6 %v, want one 2001:db8:: subnet", v6)
	}
	if v4 := iface["ipv4"].([]any); len(v4) != 1 || !strings.HasPrefix(v4[0].(map[string]any)["address"].(string), "203.0.113.") {
		t.Errorf("got ipv4 %v", v4)
	}
	if keys := got["sshKeys"].([]any); len(keys) != 1 {
		t.Errorf("got sshKeys %v", keys)
	}

	t.Run("OKReinstall", func(t *testing.T) {
		b := data(h.mustJSON(t, "POST", id+"/build", map[string]any{"operatingSystemId": 52}, 200))
		pw2 := b["settings"].(map[string]any)["decryptedPassword"]
		if b["state"] != "queued" || pw2 == pw {
			t.Fatalf("reinstall: state %v, password reused %v", b["state"], pw2 == pw)
		}
		// As the spec's build response: no "os" and no "remoteState",
		// tasks.active with an empty pending list.
		tasks := b["tasks"].(map[string]any)
		_, hasOS := b["os"]
		_, hasRS := b["remoteState"]
		if hasOS || hasRS || tasks["active"] != true || len(tasks["actions"].(map[string]any)["pending"].([]any)) != 0 {
			t.Errorf("build response: os %v remoteState %v, tasks %v", hasOS, hasRS, tasks)
		}
		h.clock.Add(8 * time.Second)
		got := data(h.mustJSON(t, "GET", id, nil, 200))
		// The spec's server detail has no "os": the template id names it.
		if _, ok := got["os"]; got["state"] != "complete" || ok || got["settings"].(map[string]any)["osTemplateInstallId"] != 52.0 {
			t.Errorf("after reinstall: state %v os %v settings %v", got["state"], got["os"], got["settings"])
		}
	})
}

func TestCreateServer(t *testing.T) {
	h := newHarness(t, Options{})
	uid := h.sim.AddUser(User{Name: "A", Email: "a@example.com", ExtRelationID: "1"})
	tests := []struct {
		name   string
		query  string
		body   map[string]any
		status int
		errSub string
	}{
		{"OK", "", map[string]any{"packageId": 2, "userId": uid, "hypervisorId": 2}, 201, ""},
		{"OKDryRun", "?dryRun=true", map[string]any{"packageId": 2, "userId": uid, "hypervisorId": 1}, 200, ""},
		{"ErrUnknownPackage", "", map[string]any{"packageId": 99, "userId": uid, "hypervisorId": 1}, 422, "package"},
		{"ErrDisabledPackage", "", map[string]any{"packageId": 6, "userId": uid, "hypervisorId": 1}, 422, "package"},
		{"ErrUnknownUser", "", map[string]any{"packageId": 1, "userId": 999, "hypervisorId": 1}, 422, "user"},
		{"ErrUnknownGroup", "", map[string]any{"packageId": 1, "userId": uid, "hypervisorId": 77}, 422, "hypervisor"},
		{"ErrOutOfStock", "", map[string]any{"packageId": 4, "userId": uid, "hypervisorId": 3}, 422, "resources"},
		{"ErrOutOfStockDryRun", "?dryRun=true", map[string]any{"packageId": 5, "userId": uid, "hypervisorId": 3}, 422, "resources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.sim.servers)
			code, _, b := h.do(t, "POST", "/servers"+tt.query, tt.body)
			if code != tt.status {
				t.Fatalf("got %d, want %d: %s", code, tt.status, b)
			}
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			switch {
			case tt.status == 422:
				errs, _ := m["errors"].([]any)
				if len(errs) == 0 || !strings.Contains(strings.ToLower(errs[0].(string)), tt.errSub) {
					t.Errorf("got %s, want errors mentioning %q", b, tt.errSub)
				}
			case tt.status == 201:
				d := data(m)
				if _, ok := d["remoteState"]; ok {
					t.Error("create response has remoteState; want no key")
				}
				if cfg, ok := d["settings"].(map[string]any)["config"].([]any); !ok || len(cfg) != 0 {
					t.Errorf("got settings.config %v, want PHP []", d["settings"].(map[string]any)["config"])
				}
				if len(d["network"].(map[string]any)["interfaces"].([]any)[0].(map[string]any)["ipv4"].([]any)) != 1 {
					t.Error("want one IPv4 assigned on create")
				}
			case tt.status == 200:
				if len(h.sim.servers) != before {
					t.Error("dryRun created a server")
				}
			}
		})
	}
	t.Run("OKSmallFitsNearlyFull", func(t *testing.T) {
		h.mustJSON(t, "POST", "/servers", map[string]any{"packageId": 1, "userId": uid, "hypervisorId": 3}, 201)
	})
}

func TestPower(t *testing.T) {
	h := newHarness(t, Options{})
	_, sid := h.mustBuilt(t)
	id := "/servers/" + itoa(sid)
	running := func() bool {
		return data(h.mustJSON(t, "GET", id+"?remoteState=true", nil, 200))["remoteState"].(map[string]any)["running"] == true
	}
	tests := []struct {
		action      string
		wantRunning bool
	}{
		{"shutdown", false},
		{"boot", true},
		{"poweroff", false},
		{"boot", true},
		{"restart", true},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			before := running()
			qid := num(data(h.mustJSON(t, "POST", id+"/power/"+tt.action, nil, 200))["queueId"])
			if qid == 0 {
				t.Fatal("got no queueId")
			}
			if m := h.mustJSON(t, "POST", id+"/power/boot", nil, 423); m["msg"] == nil {
				t.Errorf("got %v, want {msg}", m)
			}
			h.mustJSON(t, "POST", id+"/suspend", nil, 423)
			q := data(h.mustJSON(t, "GET", "/queue/"+itoa(qid), nil, 200))
			if q["finished"] != nil || q["failed"] != false {
				t.Errorf("pending queue item: finished %v failed %v", q["finished"], q["failed"])
			}
			if running() != before {
				t.Error("remoteState flipped before PowerDelay")
			}
			h.clock.Add(3 * time.Second)
			q = data(h.mustJSON(t, "GET", "/queue/"+itoa(qid), nil, 200))
			if q["finished"] == nil || num(q["progress"]) != 100 {
				t.Errorf("done queue item: finished %v progress %v", q["finished"], q["progress"])
			}
			if got := running(); got != tt.wantRunning {
				t.Errorf("got running %v, want %v", got, tt.wantRunning)
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		m := h.mustJSON(t, "POST", "/servers/9999/power/boot", nil, 404)
		if m["msg"] != "server not found" {
			t.Errorf("got %v", m)
		}
	})
	t.Run("ErrUnbuilt", func(t *testing.T) {
		sv := data(h.mustJSON(t, "POST", "/servers", map[string]any{"packageId": 1, "userId": 1, "hypervisorId": 1}, 201))
		h.mustJSON(t, "POST", "/servers/"+itoa(num(sv["id"]))+"/power/boot", nil, 422)
	})
}

func TestRemoteState(t *testing.T) {
	h := newHarness(t, Options{})
	_, sid := h.mustBuilt(t)
	tests := []struct {
		name, query string
		wantObject  bool
	}{
		{"OKDefault", "", false},
		{"OKFalse", "?remoteState=false", false},
		{"OKTrue", "?remoteState=true", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := data(h.mustJSON(t, "GET", "/servers/"+itoa(sid)+tt.query, nil, 200))["remoteState"]
			if obj, ok := rs.(map[string]any); ok != tt.wantObject {
				t.Fatalf("got remoteState %v", rs)
			} else if ok {
				if _, ok := obj["memory"].(map[string]any)["memtotal"]; !ok {
					t.Errorf("memory lacks memtotal: %v", obj["memory"])
				}
			} else if rs != false {
				t.Errorf("got %v, want false", rs)
			}
		})
	}
	t.Run("OKStatsMove", func(t *testing.T) {
		get := func() (float64, float64) {
			rs := data(h.mustJSON(t, "GET", "/servers/"+itoa(sid)+"?remoteState=true", nil, 200))["remoteState"].(map[string]any)
			return rs["cpu"].(float64), rs["disk"].(map[string]any)["vda"].(map[string]any)["rd.bytes"].(float64)
		}
		tr := func() float64 {
			return data(h.mustJSON(t, "GET", "/servers/"+itoa(sid)+"/traffic", nil, 200))["monthly"].([]any)[0].(map[string]any)["total"].(float64)
		}
		c1, d1 := get()
		t1 := tr()
		h.clock.Add(17 * time.Second)
		c2, d2 := get()
		t2 := tr()
		if c1 == c2 || d2 <= d1 || t2 <= t1 {
			t.Errorf("stats did not move: cpu %v→%v disk %v→%v traffic %v→%v", c1, c2, d1, d2, t1, t2)
		}
	})
}

func TestDelete(t *testing.T) {
	h := newHarness(t, Options{})
	uid := h.sim.AddUser(User{Name: "D", Email: "d@example.com", ExtRelationID: "5"})
	tests := []struct {
		name     string
		query    string
		goneNow  bool
		goneAt   time.Duration
		wantCode int
	}{
		{"OKNow", "?delay=0", true, 0, 204},
		{"OKDefaultFiveMinutes", "", false, 5 * time.Minute, 204},
		{"OKDelay10", "?delay=10", false, 10 * time.Minute, 204},
		{"ErrBadDelay", "?delay=99999", false, 0, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sid, err := h.sim.AddServer(ServerSpec{OwnerID: uid})
			if err != nil {
				t.Fatal(err)
			}
			id := "/servers/" + itoa(sid)
			if code, _, b := h.do(t, "DELETE", id+tt.query, nil); code != tt.wantCode || (code == 204 && len(b) != 0) {
				t.Fatalf("got %d %q, want %d", code, b, tt.wantCode)
			}
			if tt.wantCode != 204 {
				return
			}
			code, _, _ := h.do(t, "GET", id, nil)
			if (code == 404) != tt.goneNow {
				t.Fatalf("right after delete: got %d", code)
			}
			if tt.goneNow {
				return
			}
			h.clock.Add(tt.goneAt - time.Second)
			if code, _, _ := h.do(t, "GET", id, nil); code != 200 {
				t.Fatalf("before the delay: got %d", code)
			}
			h.clock.Add(time.Second)
			m := h.mustJSON(t, "GET", id, nil, 404)
			if m["msg"] != "server not found" {
				t.Errorf("got %v", m)
			}
		})
	}
	t.Run("ErrUserHasServers", func(t *testing.T) {
		h.sim.AddServer(ServerSpec{OwnerID: uid})
		h.mustJSON(t, "DELETE", "/users/5/byExtRelation", nil, 409)
	})
}

func TestErrors(t *testing.T) {
	h := newHarness(t, Options{Seed: true})
	tests := []struct {
		name, method, path string
		body               any
		status             int
		key                string // top-level key the body must have
	}{
		{"ServerNotFound", "GET", "/servers/424242", nil, 404, "msg"},
		{"UserNotFound", "GET", "/users/999/byExtRelation", nil, 404, "msg"},
		{"UserStringNeedsRelStr", "GET", "/users/cus_7Hq2/byExtRelation", nil, 404, "msg"},
		{"UserRelStr", "GET", "/users/cus_7Hq2/byExtRelation?relStr=true", nil, 200, "data"},
		{"DuplicateEmail", "POST", "/users", map[string]any{"name": "X", "email": "alice@example.com"}, 409, "errors"},
		{"DuplicateExt", "POST", "/users", map[string]any{"name": "X", "email": "x@example.com", "extRelationId": 1001}, 409, "errors"},
		{"UserValidation", "POST", "/users", map[string]any{"email": "nope"}, 422, "errors"},
		// POST /users types extRelationId as an integer; a string goes in relStr.
		{"ErrUserStringExtRelation", "POST", "/users", map[string]any{"name": "S", "email": "s@example.com", "extRelationId": "u_s"}, 422, "errors"},
		{"UserNumericStringExtRelation", "POST", "/users", map[string]any{"name": "N", "email": "n@example.com", "extRelationId": "7001"}, 201, "data"},
		{"UserRelStrCreate", "POST", "/users", map[string]any{"name": "R", "email": "r@example.com", "relStr": "u_r"}, 201, "data"},
		{"UserRelStrLookup", "GET", "/users/u_r/byExtRelation?relStr=true", nil, 200, "data"},
		{"ErrUserRelStrNotInteger", "GET", "/users/7001/byExtRelation?relStr=true", nil, 404, "msg"},
		{"ErrUserRelStrNumber", "POST", "/users", map[string]any{"name": "Q", "email": "q@example.com", "relStr": 5}, 422, "errors"},
		{"UnsuspendNotSuspended", "POST", "/servers/101/unsuspend", nil, 409, "errors"},
		{"OldRenamePath", "PATCH", "/servers/101/name", map[string]any{"name": "x"}, 404, "message"},
		{"ListUsers", "GET", "/users", nil, 405, "message"},
		{"PowerSuspended", "POST", "/servers/104/power/boot", nil, 423, "msg"},
		{"ResetPasswordStopped", "POST", "/servers/103/resetPassword", map[string]any{"user": "root"}, 422, "errors"},
		{"SuspendOK", "POST", "/servers/101/suspend", nil, 204, ""},
		{"UnsuspendOK", "POST", "/servers/101/unsuspend", nil, 204, ""},
		{"ResetPasswordOK", "POST", "/servers/101/resetPassword", map[string]any{"user": "root"}, 200, "data"},
		{"SuspendLocked", "POST", "/servers/101/suspend", nil, 423, "msg"},
		{"RenameOK", "PUT", "/servers/101/modify/name", map[string]any{"name": "renamed"}, 201, ""},
		{"RenameTooLong", "PUT", "/servers/101/modify/name", map[string]any{"name": strings.Repeat("x", 64)}, 422, "errors"},
		{"PackageChange", "PUT", "/servers/102/package/3", nil, 200, "info"},
		{"PackageUnknown", "PUT", "/servers/102/package/99", nil, 422, "errors"},
		{"Owner", "PUT", "/servers/102/owner/2", nil, 201, ""},
		{"BackupPlan", "PUT", "/servers/101/backups/plan/0", nil, 201, ""},
		{"QueueNotFound", "GET", "/queue/1", nil, 404, "msg"},
		{"CreditOK", "POST", "/selfService/credit/byUserExtRelationId/1001", map[string]any{"tokens": 500}, 201, "data"},
		{"CreditNoTokens", "POST", "/selfService/credit/byUserExtRelationId/1001", map[string]any{}, 422, "errors"},
		{"CreditCancelUnknown", "DELETE", "/selfService/credit/77", nil, 404, "msg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hdr, b := h.do(t, tt.method, tt.path, tt.body)
			if code != tt.status {
				t.Fatalf("got %d, want %d: %s", code, tt.status, b)
			}
			if tt.key == "" {
				return
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Errorf("got Content-Type %q", ct)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("bad JSON %s", b)
			}
			if _, ok := m[tt.key]; !ok {
				t.Errorf("got %s, want key %q", b, tt.key)
			}
			if tt.key == "errors" {
				var errs []string
				if err := json.Unmarshal(m["errors"], &errs); err != nil || len(errs) == 0 {
					t.Errorf("errors is not a non-empty string array: %s", m["errors"])
				}
			}
		})
	}
}

func TestShapes(t *testing.T) {
	h := newHarness(t, Options{Seed: true})
	t.Run("UserServersVNCInt", func(t *testing.T) {
		items := h.mustJSON(t, "GET", "/servers/user/3", nil, 200)["data"].([]any)
		it := items[0].(map[string]any)
		if v := it["vnc"].(map[string]any)["enabled"]; v != 1.0 {
			t.Errorf("got vnc.enabled %v, want int 1", v)
		}
		if _, ok := it["backup_level"]; !ok {
			t.Error("missing backup_level")
		}
		if _, ok := it["resources"].(map[string]any)["memory"]; !ok {
			t.Error("missing top-level resources")
		}
	})
	t.Run("DetailVNCBool", func(t *testing.T) {
		d := data(h.mustJSON(t, "GET", "/servers/106", nil, 200))
		if v := d["vnc"].(map[string]any)["enabled"]; v != true {
			t.Errorf("got vnc.enabled %v, want true", v)
		}
		if ss, ok := d["selfServiceSettings"].([]any); !ok || len(ss) != 0 {
			t.Errorf("got selfServiceSettings %v, want []", d["selfServiceSettings"])
		}
	})
	t.Run("Templates", func(t *testing.T) {
		small := h.mustJSON(t, "GET", "/media/templates/fromServerPackageSpec/1", nil, 200)["data"].([]any)
		big := h.mustJSON(t, "GET", "/media/templates/fromServerPackageSpec/4", nil, 200)["data"].([]any)
		if len(small) != 4 || len(big) != 5 {
			t.Errorf("got %d/%d groups, want 4 (no Windows) / 5", len(small), len(big))
		}
		g := small[0].(map[string]any)
		if g["icon"] != "debian_logo.png" || len(g["templates"].([]any)) < 2 {
			t.Errorf("got first group %v", g)
		}
	})
	t.Run("Resources", func(t *testing.T) {
		m := h.mustJSON(t, "GET", "/compute/hypervisors/groups/3/resources", nil, 200)
		r := m["data"].([]any)[0].(map[string]any)["resources"].(map[string]any)["memory"].(map[string]any)
		if r["percent"].(float64) < 85 {
			t.Errorf("Frankfurt memory %v%%, want nearly full", r["percent"])
		}
	})
	t.Run("SSHKeys", func(t *testing.T) {
		k := data(h.mustJSON(t, "POST", "/ssh_keys", map[string]any{"userId": 2, "name": "bob", "publicKey": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ bob@pc"}, 201))
		if k["createdAt"] == nil || k["type"] != "OpenSSH" {
			t.Errorf("got %v", k)
		}
		if n := len(h.mustJSON(t, "GET", "/ssh_keys/user/2", nil, 200)["data"].([]any)); n != 1 {
			t.Errorf("got %d keys", n)
		}
		h.mustJSON(t, "GET", "/ssh_keys/"+itoa(num(k["id"])), nil, 200)
		h.mustJSON(t, "DELETE", "/ssh_keys/"+itoa(num(k["id"])), nil, 204)
		h.mustJSON(t, "GET", "/ssh_keys/"+itoa(num(k["id"])), nil, 404)
		h.mustJSON(t, "POST", "/ssh_keys", map[string]any{"userId": 2, "name": "bad", "publicKey": "hello"}, 422)
	})
	t.Run("Backups", func(t *testing.T) {
		if n := len(h.mustJSON(t, "GET", "/backups/server/101", nil, 200)["data"].([]any)); n < 2 {
			t.Errorf("got %d backups", n)
		}
	})
	t.Run("Traffic", func(t *testing.T) {
		mo := data(h.mustJSON(t, "GET", "/servers/101/traffic", nil, 200))["monthly"].([]any)
		if len(mo) < 2 {
			t.Fatalf("got %d periods", len(mo))
		}
		if s := mo[0].(map[string]any)["start"].(string); len(s) != 19 || s[10] != ' ' {
			t.Errorf("got start %q, want YYYY-MM-DD HH:MM:SS", s)
		}
	})
	t.Run("VNCBothBodies", func(t *testing.T) {
		for _, body := range []map[string]any{{"action": "enable"}, {"vnc": false}, {"vnc": true}, {"action": "disable"}} {
			want := body["action"] == "enable" || body["vnc"] == true
			d := data(h.mustJSON(t, "POST", "/servers/101/vnc", body, 200))
			if d["vnc"].(map[string]any)["enabled"] != want || d["queueId"] != nil {
				t.Errorf("%v: got %v", body, d)
			}
		}
		h.mustJSON(t, "POST", "/servers/101/vnc", map[string]any{"enabled": true}, 422)
	})
}

func TestFaults(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		fault  Fault
		path   string
		status int
		check  func(t *testing.T, hdr http.Header, body []byte)
	}{
		{"Status503", Fault{Status: 503}, "/connect", 503, nil},
		{"RateLimit", Fault{RateLimit: 7}, "/connect", 429, func(t *testing.T, hdr http.Header, _ []byte) {
			if hdr.Get("Retry-After") != "7" {
				t.Errorf("got Retry-After %q", hdr.Get("Retry-After"))
			}
		}},
		{"Malformed", Fault{MalformedJSON: true}, "/packages", 200, func(t *testing.T, _ http.Header, b []byte) {
			if json.Valid(b) {
				t.Errorf("got valid JSON %s", b)
			}
		}},
		{"Latency", Fault{Latency: 20 * time.Millisecond}, "/connect", 200, nil},
		{"PrefixMiss", Fault{Status: 500, PathPrefix: "/servers"}, "/connect", 200, nil},
		{"PrefixHit", Fault{Status: 500, PathPrefix: "/packages"}, "/packages", 500, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.sim.SetFault(tt.fault)
			defer h.sim.ClearFaults()
			code, hdr, b := h.do(t, "GET", tt.path, nil)
			if code != tt.status {
				t.Fatalf("got %d, want %d", code, tt.status)
			}
			if tt.check != nil {
				tt.check(t, hdr, b)
			}
		})
	}
	t.Run("Times", func(t *testing.T) {
		h.sim.SetFault(Fault{Status: 502, Times: 2})
		var got []int
		for range 3 {
			code, _, _ := h.do(t, "GET", "/connect", nil)
			got = append(got, code)
		}
		if got[0] != 502 || got[1] != 502 || got[2] != 200 {
			t.Errorf("got %v, want [502 502 200]", got)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		h.sim.SetFault(Fault{Timeout: true})
		defer h.sim.ClearFaults()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/api/v1/connect", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		_, err := http.DefaultClient.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want deadline exceeded", err)
		}
	})
	t.Run("Calls", func(t *testing.T) {
		h.sim.ResetCalls()
		h.do(t, "GET", "/packages", nil)
		h.do(t, "GET", "/servers?results=5", nil)
		calls := h.sim.Calls()
		if len(calls) != 2 || calls[1].Method != "GET" || calls[1].Path != "/api/v1/servers" || calls[1].Query != "results=5" {
			t.Errorf("got %+v", calls)
		}
	})
}

func TestSSO(t *testing.T) {
	h := newHarness(t, Options{Seed: true})
	login := func(t *testing.T, path string) string {
		a := data(h.mustJSON(t, "POST", path, nil, 200))["authentication"].(map[string]any)
		if num(a["expiry"].(map[string]any)["ttl"]) != 60 || a["endpoint"] != "/token_authenticate" {
			t.Fatalf("got %v", a)
		}
		return a["endpoint_complete"].(string)
	}
	get := func(t *testing.T, u string) (int, string) {
		resp, err := http.Get(h.srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	t.Run("OKOnce", func(t *testing.T) {
		u := login(t, "/users/1001/authenticationTokens")
		if code, body := get(t, u); code != 200 || !strings.Contains(body, "Alice Example") {
			t.Fatalf("got %d %s", code, body)
		}
		if code, _ := get(t, u); code != 403 {
			t.Errorf("reuse: got %d, want 403", code)
		}
	})
	t.Run("OKServer", func(t *testing.T) {
		u := login(t, "/users/1001/serverAuthenticationTokens/101")
		if code, body := get(t, u); code != 200 || !strings.Contains(body, "web-01") {
			t.Fatalf("got %d %s", code, body)
		}
	})
	t.Run("ErrServerNotOwned", func(t *testing.T) {
		h.mustJSON(t, "POST", "/users/1001/serverAuthenticationTokens/104", nil, 404)
	})
	t.Run("ErrExpired", func(t *testing.T) {
		u := login(t, "/users/1001/authenticationTokens")
		h.clock.Add(61 * time.Second)
		if code, _ := get(t, u); code != 403 {
			t.Errorf("got %d, want 403", code)
		}
	})
}

func TestWebhooks(t *testing.T) {
	type hook struct {
		hdr  http.Header
		body map[string]any
	}
	var (
		mu    sync.Mutex
		got   []hook
		fails = 1 // first delivery fails, to exercise retries
	)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 {
			fails--
			w.WriteHeader(500)
			return
		}
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		got = append(got, hook{r.Header.Clone(), m})
	}))
	defer recv.Close()

	h := newHarness(t, Options{WebhookRetryDelay: time.Millisecond, BuildDelay: time.Millisecond, PowerDelay: time.Millisecond, Clock: time.Now})
	h.sim.EmitWebhooks(recv.URL, "s3cret")
	_, sid := h.mustBuilt(t)
	id := "/servers/" + itoa(sid)
	h.mustJSON(t, "POST", id+"/power/shutdown", nil, 200)
	h.sim.Advance()
	h.mustJSON(t, "POST", id+"/suspend", nil, 204)
	h.mustJSON(t, "POST", id+"/unsuspend", nil, 204)
	h.mustJSON(t, "DELETE", id+"?delay=0", nil, 204)

	want := []string{"server.create", "server.build", "server.shutdown", "server.suspend", "server.unsuspend", "server.delete"}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= len(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	events := map[string]hook{}
	ids := map[string]bool{}
	for _, g := range got {
		events[g.hdr.Get("X-VirtFusion-Event")] = g
		ids[g.hdr.Get("X-VirtFusion-Hook-Event")] = true
	}
	if len(ids) != len(got) {
		t.Errorf("delivery ids not unique: %v", ids)
	}
	for _, ev := range want {
		t.Run(ev, func(t *testing.T) {
			g, ok := events[ev]
			if !ok {
				t.Fatalf("no %s webhook (got %d deliveries)", ev, len(got))
			}
			if g.hdr.Get("Authorization") != "Bearer "+base64.StdEncoding.EncodeToString([]byte("s3cret")) {
				t.Errorf("got Authorization %q", g.hdr.Get("Authorization"))
			}
			if g.hdr.Get("User-Agent") != "VirtFusion-Hookshot/1.0" || g.hdr.Get("X-VirtFusion-Hook") == "" ||
				g.hdr.Get("X-VirtFusion-Created") == "" || g.hdr.Get("X-VirtFusion-Event-Status") != "success" {
				t.Errorf("got headers %v", g.hdr)
			}
			if g.body["event"] != ev || g.body["hookEventId"] != g.hdr.Get("X-VirtFusion-Hook-Event") || g.body["controlDomain"] == nil {
				t.Errorf("got body %v", g.body)
			}
			d := g.body["data"].(map[string]any)
			if num(d["server"].(map[string]any)["id"]) != sid || d["user"].(map[string]any)["email"] != "t@example.com" {
				t.Errorf("got data %v", d)
			}
		})
	}
}
