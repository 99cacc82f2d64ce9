package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/config"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// consoleEnv is the auth and admin functions on DynamoDB Local with the
// Auth0 and VirtFusion simulators, behind one test server.
type consoleEnv struct {
	t      *testing.T
	url    string
	a0     *auth0sim.Server
	vf     *vfsim.Sim
	ledger *dynamo.Ledger
	audit  *dynamo.AuditLog
}

func newConsoleEnv(t *testing.T) *consoleEnv {
	t.Helper()
	_, table := dynamotest.NewTable(t)
	vf := vfsim.New(vfsim.Options{Token: "tok"})
	vfURL, err := vf.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vf.Close() })
	a0 := auth0sim.New(auth0sim.Options{})
	if err := a0.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a0.Close() })
	o := a0.Options()
	cfg := config.Config{Version: "test", Region: "us-east-1", DynamoEndpoint: dynamotest.Endpoint(t), TableName: table,
		VirtFusionURL: vfURL, VirtFusionToken: "tok", Currency: "USD", PublicURL: "http://127.0.0.1",
		Auth0Domain: a0.URL, Auth0ClientID: o.ClientID, Auth0ClientSecret: o.ClientSecret, Auth0Audience: o.Audience,
		Auth0Connection: o.Connection, Auth0RolesClaim: o.RolesClaim, SessionKey: "k"}
	d, err := NewDeps(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	authH, err := Auth(d)
	if err != nil {
		t.Fatal(err)
	}
	adminH, err := Admin(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/auth/", authH)
	mux.Handle("/api/admin/", adminH)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &consoleEnv{t: t, url: srv.URL, a0: a0, vf: vf, ledger: dynamo.NewLedger(d.Store), audit: dynamo.NewAuditLog(d.Store)}
}

// client is a signed-in browser.
type client struct {
	e    *consoleEnv
	http *http.Client
	csrf string
	user panel.User
}

func (e *consoleEnv) signIn(email, password string) *client {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{e: e, http: &http.Client{Jar: jar}}
	var out struct {
		User      panel.User `json:"user"`
		CSRFToken string     `json:"csrfToken"`
	}
	if code := c.do("POST", "/api/auth/login", map[string]string{"email": email, "password": password}, &out); code != 200 {
		e.t.Fatalf("sign in %s: got %d", email, code)
	}
	c.csrf, c.user = out.CSRFToken, out.User
	return c
}

func (c *client) do(method, path string, body, out any) int {
	c.e.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, c.e.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			c.e.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// TestConsoleRoutesNeedAdmin: every console route answers a customer 403.
func TestConsoleRoutesNeedAdmin(t *testing.T) {
	e := newConsoleEnv(t)
	e.a0.AddUser("carol@example.com", "Carol-Passw0rd!", "Carol")
	carol := e.signIn("carol@example.com", "Carol-Passw0rd!")
	id := carol.user.ID
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/admin/users"}, {"GET", "/api/admin/users/" + id}, {"GET", "/api/admin/users/" + id + "/transactions"},
		{"GET", "/api/admin/users/" + id + "/activity"}, {"GET", "/api/admin/users/" + id + "/notifications"},
		{"POST", "/api/admin/users/" + id + "/block"}, {"PUT", "/api/admin/users/" + id + "/role"},
		{"POST", "/api/admin/users/" + id + "/virtfusion-link"}, {"POST", "/api/admin/users/" + id + "/password-reset"},
		{"DELETE", "/api/admin/users/" + id}, {"GET", "/api/admin/servers"}, {"POST", "/api/admin/servers/1/power"},
		{"PUT", "/api/admin/servers/1/suspension"}, {"DELETE", "/api/admin/servers/1"}, {"POST", "/api/admin/servers/1/transfer"},
		{"GET", "/api/admin/audit"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			if got := carol.do(tc.method, tc.path, map[string]any{}, nil); got != http.StatusForbidden {
				t.Errorf("got %d, want 403", got)
			}
		})
	}
}

// TestConsoleBlockAndTransfer: an admin finds a customer by a name prefix,
// transfers the customer's server to another customer (VirtFusion owner
// and billing record), blocks the customer (Auth0 blocked; the session
// ends at once; sign-in refused) and unblocks; every step is in the audit log.
func TestConsoleBlockAndTransfer(t *testing.T) {
	e := newConsoleEnv(t)
	ctx := context.Background()
	e.a0.AddUser("boss@example.com", "Boss-Passw0rd!", "Boss", "admin")
	e.a0.AddUser("alice@example.com", "Alice-Passw0rd!", "Alice Liddell")
	e.a0.AddUser("bob@example.com", "Bob-Passw0rd!", "Bob Stone")
	boss := e.signIn("boss@example.com", "Boss-Passw0rd!")
	alice := e.signIn("alice@example.com", "Alice-Passw0rd!")
	bob := e.signIn("bob@example.com", "Bob-Passw0rd!")
	if boss.user.Role != panel.RoleAdmin || !alice.user.Linked() || !bob.user.Linked() {
		t.Fatalf("setup: boss %s, alice linked %v, bob linked %v", boss.user.Role, alice.user.Linked(), bob.user.Linked())
	}
	sid, err := e.vf.AddServer(vfsim.ServerSpec{OwnerID: int(alice.user.VFUserID), Name: "alice-web"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := e.ledger.ImportServers(ctx, []*panel.BilledServer{{ServerID: int64(sid), UserID: alice.user.ID,
		VFUserID: alice.user.VFUserID, Name: "alice-web", PackageID: 1, HourlyMinor: 2, Currency: "USD",
		ActiveSince: now, BilledThrough: now.Truncate(time.Hour).Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}

	t.Run("Search", func(t *testing.T) {
		var page struct {
			Items []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"items"`
		}
		for q, want := range map[string]string{"lidd": alice.user.ID, "bob@": bob.user.ID, "EXAMPLE.COM": "", alice.user.ID[:8]: alice.user.ID} {
			if code := boss.do("GET", "/api/admin/users?q="+q, nil, &page); code != 200 {
				t.Fatalf("q=%s: got %d", q, code)
			}
			if want == "" {
				if len(page.Items) != 3 {
					t.Errorf("q=%s: got %d users, want 3", q, len(page.Items))
				}
				continue
			}
			if len(page.Items) != 1 || page.Items[0].ID != want {
				t.Errorf("q=%s: got %+v, want only %s", q, page.Items, want)
			}
		}
		if code := boss.do("GET", "/api/admin/users?q=x", nil, nil); code != 400 {
			t.Errorf("one-letter search: got %d, want 400", code)
		}
	})

	t.Run("Transfer", func(t *testing.T) {
		var out struct {
			To struct {
				ID string `json:"id"`
			} `json:"to"`
		}
		path := "/api/admin/servers/" + itoa(int64(sid)) + "/transfer"
		if code := boss.do("POST", path, map[string]string{"userId": bob.user.ID}, &out); code != 200 || out.To.ID != bob.user.ID {
			t.Fatalf("got %d %+v", code, out)
		}
		snap, _ := e.vf.Server(sid)
		if int64(snap.OwnerID) != bob.user.VFUserID {
			t.Errorf("VirtFusion owner: got %d, want bob's %d", snap.OwnerID, bob.user.VFUserID)
		}
		bs, err := e.ledger.BilledServer(ctx, int64(sid))
		if err != nil || bs.UserID != bob.user.ID || bs.VFUserID != bob.user.VFUserID {
			t.Errorf("billing record: got %+v, %v; want bob's", bs, err)
		}
		mine, _ := e.ledger.UserServers(ctx, bob.user.ID)
		theirs, _ := e.ledger.UserServers(ctx, alice.user.ID)
		if len(mine) != 1 || len(theirs) != 0 {
			t.Errorf("customer index: bob %d, alice %d servers; want 1 and 0", len(mine), len(theirs))
		}
		// Again: the server is bob's already.
		if code := boss.do("POST", path, map[string]string{"userId": bob.user.ID}, nil); code != 400 {
			t.Errorf("transfer to the owner: got %d, want 400", code)
		}
	})

	t.Run("Block", func(t *testing.T) {
		if code := alice.do("GET", "/api/auth/me", nil, nil); code != 200 {
			t.Fatalf("alice before the block: got %d", code)
		}
		var out struct {
			User panel.User `json:"user"`
		}
		if code := boss.do("POST", "/api/admin/users/"+alice.user.ID+"/block", map[string]bool{"blocked": true}, &out); code != 200 || !out.User.Blocked {
			t.Fatalf("block: got %d %+v", code, out)
		}
		if !e.a0.Blocked("alice@example.com") {
			t.Error("Auth0 does not have alice blocked")
		}
		if code := alice.do("GET", "/api/auth/me", nil, nil); code != 401 {
			t.Errorf("alice's next call: got %d, want 401", code)
		}
		jar, _ := cookiejar.New(nil)
		again := &client{e: e, http: &http.Client{Jar: jar}}
		if code := again.do("POST", "/api/auth/login", map[string]string{"email": "alice@example.com", "password": "Alice-Passw0rd!"}, nil); code < 400 {
			t.Errorf("blocked sign-in: got %d, want refused", code)
		}
		var blocked struct {
			Items []struct{ ID string } `json:"items"`
		}
		boss.do("GET", "/api/admin/users?blocked=true", nil, &blocked)
		if len(blocked.Items) != 1 || blocked.Items[0].ID != alice.user.ID {
			t.Errorf("blocked filter: got %+v, want alice", blocked.Items)
		}
		if code := boss.do("POST", "/api/admin/users/"+alice.user.ID+"/block", map[string]bool{"blocked": false}, &out); code != 200 || out.User.Blocked {
			t.Fatalf("unblock: got %d %+v", code, out)
		}
		if e.a0.Blocked("alice@example.com") {
			t.Error("Auth0 still has alice blocked")
		}
		if code := boss.do("POST", "/api/admin/users/"+boss.user.ID+"/block", map[string]bool{"blocked": true}, nil); code != 409 {
			t.Errorf("blocking yourself: got %d, want 409", code)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		var page struct {
			Items []struct {
				Action, Actor, UserID, Before, After, Outcome string
			} `json:"items"`
		}
		if code := boss.do("GET", "/api/admin/audit?actor=boss@example.com&action=admin.", nil, &page); code != 200 {
			t.Fatalf("got %d", code)
		}
		got := map[string]int{}
		for _, it := range page.Items {
			if it.Actor != boss.user.ID || it.Outcome != panel.OutcomeOK {
				t.Errorf("entry %+v: want actor boss, outcome ok", it)
			}
			got[it.Action]++
		}
		// The transfer is in both customers' logs.
		if got["admin.server.transfer"] != 2 || got["admin.user.block"] != 1 || got["admin.user.unblock"] != 1 {
			t.Errorf("got actions %v", got)
		}
		var signins struct {
			Items []struct{ UserID string } `json:"items"`
		}
		boss.do("GET", "/api/admin/audit?action=auth.signin&user="+bob.user.ID, nil, &signins)
		if len(signins.Items) != 1 || signins.Items[0].UserID != bob.user.ID {
			t.Errorf("bob's sign-ins: got %+v, want 1", signins.Items)
		}
		if code := boss.do("GET", "/api/admin/audit?from=yesterday", nil, nil); code != 400 {
			t.Errorf("bad date: got %d, want 400", code)
		}
	})
}
