package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/vfpanel/vfpanel/internal/apispec"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/localrun"
	"github.com/vfpanel/vfpanel/internal/openapi"
	"github.com/vfpanel/vfpanel/internal/routes"
)

// TestContract walks the whole local stack (simulators, DynamoDB Local,
// every function behind the runner) through the validator: every answer,
// successes and errors alike, must match the OpenAPI document the panel
// serves at /api/openapi.json. A handler whose body, status or error code
// differs from the document fails here.
func TestContract(t *testing.T) {
	_, table := dynamotest.NewTable(t)
	public := httptest.NewUnstartedServer(nil)
	st, err := StartStack(context.Background(), StackOptions{DynamoEndpoint: dynamotest.Endpoint(t),
		PublicURL: "http://" + public.Listener.Addr().String(), Table: table,
		BuildDelay: 200 * time.Millisecond, PowerDelay: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rn, err := localrun.New(st.Functions, "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := apispec.NewValidator(openapi.JSON)
	if err != nil {
		t.Fatal(err)
	}
	h := v.Middleware(func(err error) { t.Error(err) }, rn)
	seed, err := SeedDemo(context.Background(), st, h)
	if err != nil {
		t.Fatal(err)
	}
	if seed.ServerID == 0 {
		t.Fatalf("the demo seed ordered no server: %s", seed.OrderNote)
	}

	ctx := context.Background()
	anon := &demoClient{h: h}
	call := func(c *demoClient, method, path, body string, want int) map[string]any {
		t.Helper()
		var out any
		dst := &out
		if want == http.StatusNoContent || want == http.StatusFound || strings.HasSuffix(path, "/pdf") {
			dst = nil
		}
		var err error
		if dst == nil {
			err = c.do(ctx, method, path, body, want, nil)
		} else {
			err = c.do(ctx, method, path, body, want, dst)
		}
		if err != nil {
			t.Errorf("%v", err)
		}
		m, _ := out.(map[string]any)
		return m
	}
	signIn := func(email, password string) *demoClient {
		t.Helper()
		c := &demoClient{h: h}
		var in struct {
			CSRFToken string `json:"csrfToken"`
		}
		creds, _ := json.Marshal(map[string]string{"email": email, "password": password})
		if err := c.do(ctx, "POST", "/api/auth/login", string(creds), http.StatusOK, &in); err != nil {
			t.Fatal(err)
		}
		c.csrf = in.CSRFToken
		return c
	}

	// Public routes.
	call(anon, "GET", "/api/health", "", 200)
	var served bytes.Buffer
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	served.Write(rec.Body.Bytes())
	if rec.Code != 200 || !bytes.Equal(served.Bytes(), openapi.JSON) {
		t.Errorf("GET /api/openapi.json: got %d and %d bytes, want 200 and the embedded document", rec.Code, served.Len())
	}
	call(anon, "GET", "/api/catalog/locations", "", 200)
	pkgs := call(anon, "GET", "/api/catalog/packages", "", 200)
	pkgID := int64(pkgs["packages"].([]any)[0].(map[string]any)["id"].(float64))
	call(anon, "GET", fmt.Sprintf("/api/catalog/packages/%d/templates", pkgID), "", 200)
	call(anon, "GET", "/api/catalog/packages/999999/templates", "", 404)
	call(anon, "GET", "/api/servers", "", 401)
	call(anon, "POST", "/api/auth/login", `{"email":"`+DemoEmail+`","password":"wrong-password"}`, 401)
	call(anon, "POST", "/api/auth/login", `{"email":"not-an-email"}`, 400)
	call(anon, "POST", "/api/auth/register", `{"email":"new@example.com","password":"a-long-passw0rd","name":"New Customer"}`, 202)
	call(anon, "POST", "/api/auth/password-reset", `{"email":"new@example.com"}`, 202)
	call(anon, "GET", "/api/auth/authorize?returnTo=/servers", "", 302)
	call(anon, "GET", "/api/auth/callback?code=x&state=y", "", 302)
	call(anon, "POST", "/api/webhooks/virtfusion", `{"event":"server.create"}`, 401)
	call(anon, "POST", "/api/webhooks/paypal", `{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}`, 401)
	call(anon, "GET", "/api/nope", "", 404)

	// A customer.
	c := signIn(DemoEmail, DemoPassword)
	call(c, "GET", "/api/auth/me", "", 200)
	call(c, "GET", "/api/account/sessions", "", 200)
	call(c, "PATCH", "/api/account/profile", `{"name":"Demo Customer"}`, 200)
	call(c, "PATCH", "/api/account/profile", `{"name":""}`, 400)
	call(c, "DELETE", "/api/account/sessions/"+strings.Repeat("0", 64), "", 404)
	call(c, "GET", "/api/servers", "", 200)
	sid := fmt.Sprint(seed.ServerID)
	srv := "/api/servers/" + sid
	for deadline := time.Now().Add(20 * time.Second); ; {
		d := call(c, "GET", srv, "", 200)
		if s, _ := d["server"].(map[string]any); s["provisioning"] == "complete" || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	call(c, "GET", "/api/servers/999999", "", 404)
	call(c, "PATCH", srv, `{"name":"`+seed.ServerName+`"}`, 200)
	task := call(c, "POST", srv+"/power", `{"action":"boot"}`, 202)
	call(c, "POST", srv+"/power", `{"action":"explode"}`, 400)
	if tk, ok := task["task"].(map[string]any); ok {
		// Wait for the boot to finish: the actions below refuse a busy server.
		for deadline := time.Now().Add(20 * time.Second); ; {
			got := call(c, "GET", srv+"/tasks/"+tk["id"].(string), "", 200)
			if s, _ := got["task"].(map[string]any); s["status"] == "done" || s["status"] == "failed" || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	call(c, "GET", srv+"/tasks/999999", "", 404)
	call(c, "GET", srv+"/templates", "", 200)
	call(c, "GET", srv+"/traffic", "", 200)
	call(c, "GET", srv+"/metrics", "", 200)
	call(c, "GET", srv+"/backups", "", 200)
	call(c, "POST", srv+"/console", "", 200)
	call(c, "POST", srv+"/sso", "", 200)
	call(c, "POST", srv+"/reset-password", "", 200)
	call(c, "POST", srv+"/reinstall", `{"templateId":1,"hostname":"x","confirm":"not the name"}`, 400)
	call(c, "POST", srv+"/reinstall", `{"templateId":999999,"hostname":"web-1.example.com","confirm":"`+seed.ServerName+`"}`, 400)

	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	sshPub, _ := ssh.NewPublicKey(pub)
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub)))
	key := call(c, "POST", "/api/account/ssh-keys", `{"name":"laptop","publicKey":"`+line+`"}`, 201)
	call(c, "POST", "/api/account/ssh-keys", `{"name":"laptop","publicKey":"`+line+`"}`, 409)
	call(c, "GET", "/api/account/ssh-keys", "", 200)
	if k, ok := key["key"].(map[string]any); ok {
		call(c, "DELETE", fmt.Sprintf("/api/account/ssh-keys/%v", k["id"]), "", 204)
	}
	call(c, "DELETE", "/api/account/ssh-keys/999999", "", 404)
	call(c, "GET", "/api/account/activity", "", 200)

	call(c, "GET", "/api/billing/balance", "", 200)
	call(c, "GET", "/api/billing/checkout", "", 200)
	call(c, "GET", "/api/billing/transactions?limit=5", "", 200)
	call(c, "GET", "/api/billing/transactions?type=nope", "", 400)
	call(c, "GET", "/api/billing/invoices", "", 200)
	call(c, "GET", "/api/billing/invoices/"+time.Now().UTC().Format("2006-01")+"/pdf", "", 200)
	top := call(c, "POST", "/api/billing/topups", `{"amount":"25.00"}`, 201)
	call(c, "POST", "/api/billing/topups", `{"amount":"0.01"}`, 400)
	if id, ok := top["orderId"].(string); ok {
		// Not approved by the buyer: PayPal refuses the capture.
		res := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/api/billing/topups/"+id+"/capture", nil)
		r.Header.Set("X-CSRF-Token", c.csrf)
		for _, ck := range c.cookies {
			r.AddCookie(ck)
		}
		h.ServeHTTP(res, r)
		if res.Code < 400 {
			t.Errorf("capture of an unapproved order: got %d, want an error", res.Code)
		}
	}
	call(c, "POST", "/api/servers", `{"packageId":1}`, 400)
	call(c, "GET", "/api/admin/users", "", 403)
	noCSRF := &demoClient{h: h, cookies: c.cookies}
	call(noCSRF, "POST", srv+"/power", `{"action":"boot"}`, 403)

	// An administrator.
	a := signIn(AdminEmail, AdminPassword)
	call(a, "GET", "/api/admin/users", "", 200)
	call(a, "GET", "/api/admin/users/"+seed.UserID, "", 200)
	adj := &demoClient{h: idempotent(h, "contract-adjustment"), cookies: a.cookies, csrf: a.csrf}
	call(adj, "POST", "/api/admin/users/"+seed.UserID+"/adjustments", `{"amountMinor":100,"reason":"contract test"}`, 201)
	call(a, "PUT", fmt.Sprintf("/api/admin/packages/%d/price", pkgID), `{"hourlyMinor":2,"monthlyCapMinor":1000}`, 200)
	call(a, "POST", "/api/auth/logout-all", "", 204)

	// The customer deletes the server and signs out.
	call(c, "DELETE", srv, `{"confirm":"`+seed.ServerName+`"}`, 202)
	call(c, "POST", "/api/auth/logout", "", 204)

	seen := v.Seen()
	var missed []string
	for _, rt := range routes.Table {
		hit := false
		for k := range seen {
			if strings.HasPrefix(k, rt.Pattern()+" ") {
				hit = true
			}
		}
		if !hit {
			missed = append(missed, rt.Pattern())
		}
	}
	sort.Strings(missed)
	t.Logf("checked %d route/status pairs; routes not exercised: %v", len(seen), missed)
}

// idempotent adds an Idempotency-Key to every request.
func idempotent(h http.Handler, key string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Idempotency-Key", key)
		h.ServeHTTP(w, r)
	})
}
