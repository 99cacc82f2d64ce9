package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/mailpittest"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// TestStackSmoke starts the whole local stack (simulators in memory, DynamoDB
// Local) behind the runner and walks a customer's first steps.
func TestStackSmoke(t *testing.T) {
	_, table := dynamotest.NewTable(t)
	srv := httptest.NewUnstartedServer(nil)
	publicURL := "http://" + srv.Listener.Addr().String()
	st, err := StartStack(context.Background(), StackOptions{DynamoEndpoint: dynamotest.Endpoint(t), PublicURL: publicURL, Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rn, err := st.Runner("")
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = rn
	srv.Start()
	defer srv.Close()

	call := func(method, path, body string, hdr map[string]string, cookies []*http.Cookie) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res, out
	}

	if res, body := call("GET", "/api/health", "", nil, nil); res.StatusCode != 200 {
		t.Fatalf("health: %d %v", res.StatusCode, body)
	}
	if res, body := call("GET", "/api/catalog/packages", "", nil, nil); res.StatusCode != 200 || len(body["packages"].([]any)) == 0 {
		t.Fatalf("packages: %d %v", res.StatusCode, body)
	}
	res, body := call("POST", "/api/auth/login", `{"email":"`+DemoEmail+`","password":"`+DemoPassword+`"}`, nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("login: %d %v", res.StatusCode, body)
	}
	cookies := res.Cookies()
	csrf, _ := body["csrfToken"].(string)
	if res, body := call("GET", "/api/servers", "", nil, cookies); res.StatusCode != 200 {
		t.Fatalf("servers: %d %v", res.StatusCode, body)
	}
	if res, body := call("GET", "/api/billing/balance", "", nil, cookies); res.StatusCode != 200 {
		t.Fatalf("balance: %d %v", res.StatusCode, body)
	}
	res, body = call("POST", "/api/billing/topups", `{"amount":"25.00"}`, map[string]string{"X-CSRF-Token": csrf}, cookies)
	if res.StatusCode != 201 || body["approveUrl"] == "" {
		t.Fatalf("topup: %d %v", res.StatusCode, body)
	}
	// JSON errors in our words, duplicate names refused (issue 12, item 14).
	for _, tt := range []struct{ body, field, msg string }{
		{`{"amount":25}`, "amount", "Must be a string."},
		{`{"amount":"5.00","amount":"1000.00"}`, "amount", "Appears more than once; send it once."},
	} {
		res, body := call("POST", "/api/billing/topups", tt.body, map[string]string{"X-CSRF-Token": csrf}, cookies)
		e, _ := body["error"].(map[string]any)
		fields, _ := e["fields"].(map[string]any)
		if res.StatusCode != 400 || fields[tt.field] != tt.msg {
			t.Errorf("topup %s: got %d %v, want 400 with %s: %q", tt.body, res.StatusCode, body, tt.field, tt.msg)
		}
	}
	if res, body := call("GET", "/api/admin/users", "", nil, cookies); res.StatusCode != 403 {
		t.Fatalf("admin as customer: got %d %v, want 403", res.StatusCode, body)
	}
	// The demo admin (roles claim, and on ADMIN_EMAILS with an email the
	// simulator seeds as verified) is still an admin.
	res, body = call("POST", "/api/auth/login", `{"email":"`+AdminEmail+`","password":"`+AdminPassword+`"}`, nil, nil)
	if res.StatusCode != 200 {
		t.Fatalf("admin login: %d %v", res.StatusCode, body)
	}
	if res, body := call("GET", "/api/admin/users", "", nil, res.Cookies()); res.StatusCode != 200 {
		t.Fatalf("admin as the demo admin: got %d %v, want 200", res.StatusCode, body)
	}

	// What no route matches gets our JSON 404 from the $default route, as in
	// the deployed stack: no bare {"message":"Not Found"}, 405 or redirect.
	for _, mp := range [][2]string{{"GET", "/api/nope"}, {"PUT", "/api/health"}, {"GET", "/api//servers"}, {"GET", "/api/servers/"}} {
		res, body := call(mp[0], mp[1], "", nil, nil)
		e, _ := body["error"].(map[string]any)
		if res.StatusCode != 404 || e["code"] != "not_found" || e["requestId"] == "" {
			t.Errorf("%s %s: got %d %v, want our JSON 404", mp[0], mp[1], res.StatusCode, body)
		}
	}
	// CloudFront's security headers, on the API as on the UI.
	res, _ = call("GET", "/api/health", "", nil, nil)
	for k, v := range routes.SiteHeaders(st.Config.VirtFusionURL) {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s: got %q, want %q", k, got, v)
		}
	}
	// The jobs function runs against the stack (re-delivery, cleanups, billing).
	if err := st.Jobs(context.Background(), json.RawMessage(`{"job":"hourly-billing"}`)); err != nil {
		t.Errorf("jobs run: %v", err)
	}
}

// TestRunSchedules: the runner sends the jobs function each schedule's
// EventBridge event at once and on every tick, until stopped.
func TestRunSchedules(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	got := make(chan string)
	done := make(chan struct{})
	go func() {
		runSchedules(ctx, tick, func(_ context.Context, ev json.RawMessage) error {
			got <- string(ev)
			return nil
		})
		close(done)
	}()
	var want []string
	for _, s := range routes.Schedules {
		if s.Function == "jobs" {
			b, _ := json.Marshal(map[string]string{"job": s.Name})
			want = append(want, string(b))
		}
	}
	if len(want) == 0 {
		t.Fatal("no jobs schedules in routes.Schedules")
	}
	for run := range 3 {
		if run > 0 {
			tick <- time.Now()
		}
		for _, w := range want {
			if ev := <-got; ev != w {
				t.Errorf("run %d: got %s, want %s", run, ev, w)
			}
		}
	}
	cancel()
	<-done
}

// TestStackMail: with Mail, the runner starts Mailpit, and a message queued
// in the outbox reaches it through DynamoDB Local's stream and the notify
// function's handler, as in AWS.
func TestStackMail(t *testing.T) {
	_, table := dynamotest.NewTable(t)
	st, err := StartStack(context.Background(), StackOptions{DynamoEndpoint: dynamotest.Endpoint(t),
		PublicURL: "http://127.0.0.1:1", Table: table, Mail: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Mailpit == nil || !strings.Contains(strings.Join(st.Banner, "\n"), st.Mailpit.APIURL) {
		t.Fatalf("the banner does not name Mailpit: %q", st.Banner)
	}
	n := panel.Notification{ID: panel.NotificationID(panel.NotifyWelcome, "u_mail"), Kind: panel.NotifyWelcome,
		UserID: "u_mail", Email: "mail@example.com", Name: "Mel", CreatedAt: time.Now()}
	if err := dynamo.NewOutbox(st.Deps.Store).Enqueue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	mp := mailpittest.Server{Server: st.Mailpit}
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := mp.To(t, "mail@example.com")
		if len(got) == 1 && got[0].Subject == "Welcome to vfpanel" {
			return
		}
		if len(got) > 1 || time.Now().After(deadline) {
			t.Fatalf("got mail %+v, want the one welcome", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
