package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/routes"
)

func TestBuildersCoverEveryHTTPFunction(t *testing.T) {
	for _, f := range routes.Functions {
		if f == "jobs" {
			continue
		}
		if Builders[f] == nil {
			t.Errorf("function %s has no builder in the local runner", f)
		}
	}
}

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
	rn, err := localrun.New(st.Functions, "")
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
}
