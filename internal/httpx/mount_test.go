package httpx

import (
	"context"

	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

type fakeAuth struct {
	p   *panel.Principal
	err error
}

func (f fakeAuth) Authenticate(*http.Request) (*panel.Principal, error) { return f.p, f.err }

func ok() http.Handler {
	return HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		return Encode(w, 200, map[string]string{"user": panel.PrincipalFrom(r.Context()).UserID})
	})
}

func adminHandlers() Handlers {
	// Every admin route of the table, so new admin routes need no edit here.
	hs := Handlers{}
	for _, r := range routes.ForFunction("admin") {
		hs[r.Pattern()] = ok()
	}
	return hs
}

func TestCheck(t *testing.T) {
	if err := Check("admin", adminHandlers()); err != nil {
		t.Errorf("OK: got %v", err)
	}
	missing := adminHandlers()
	delete(missing, "GET /api/admin/users")
	if err := Check("admin", missing); err == nil || !strings.Contains(err.Error(), "not served: GET /api/admin/users") {
		t.Errorf("missing: got %v", err)
	}
	extra := adminHandlers()
	extra["GET /api/admin/secret"] = ok()
	if err := Check("admin", extra); err == nil || !strings.Contains(err.Error(), "not in the route table") {
		t.Errorf("extra: got %v", err)
	}
}

func TestMountAuth(t *testing.T) {
	tests := []struct {
		name   string
		auth   fakeAuth
		status int
		code   string
	}{
		{"OK", fakeAuth{p: &panel.Principal{UserID: "u1", Role: panel.RoleAdmin}}, 200, ""},
		{"ErrUnauthorized", fakeAuth{err: panel.Errorf(panel.EUNAUTHORIZED, "Sign in first.")}, 401, "unauthorized"},
		{"ErrForbidden", fakeAuth{p: &panel.Principal{UserID: "u1", Role: panel.RoleCustomer}}, 403, "forbidden"},
		{"ErrCSRF", fakeAuth{err: panel.Errorf(panel.ECSRF, "Missing CSRF token.")}, 403, "csrf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Mount("admin", adminHandlers(), tt.auth)
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/admin/users", nil))
			if rec.Code != tt.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				var body ErrorBody
				json.Unmarshal(rec.Body.Bytes(), &body)
				if body.Error.Code != tt.code || body.Error.RequestID == "" {
					t.Errorf("got %+v, want code %s and a request id", body.Error, tt.code)
				}
			}
		})
	}
}

func TestWriteErrorHidesInternals(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, httptest.NewRequest("GET", "/", nil), errors.New("dynamo: secret detail"))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret detail") {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

type req struct {
	Name string `json:"name"`
}

func (r *req) Valid() map[string]string {
	if r.Name == "" {
		return map[string]string{"name": "is required"}
	}
	return nil
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, body, code string
	}{
		{"OK", `{"name":"x"}`, ""},
		{"ErrEmpty", ``, panel.EINVALID},
		{"ErrUnknownField", `{"name":"x","zz":1}`, panel.EINVALID},
		{"ErrInvalid", `{"name":""}`, panel.EINVALID},
		{"ErrTrailing", `{"name":"x"} {}`, panel.EINVALID},
		{"ErrTooLarge", `{"name":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, panel.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			h := Wrap(HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
				_, got = Decode[req](r)
				return NoContent(w)
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader(tt.body)))
			if panel.ErrorCode(got) != tt.code {
				t.Errorf("got %v, want code %q", got, tt.code)
			}
		})
	}
}

func TestRecoverPanic(t *testing.T) {
	h := Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("got %d %v", rec.Code, rec.Header())
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.1:5555"
	if got := ClientIP(r); got != "10.0.0.1" {
		t.Errorf("got %q, want 10.0.0.1", got)
	}
}

func TestMountAnswersJSONForUnknownRoutes(t *testing.T) {
	h, err := Mount("admin", adminHandlers(), fakeAuth{p: &panel.Principal{UserID: "u1", Role: panel.RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, method, path string }{
		{"ErrUnknownPath", "GET", "/api/admin/nothing"},
		{"ErrWrongMethod", "DELETE", "/api/admin/users"},
		{"ErrTrailingSlash", "GET", "/api/admin/users/"},
		{"ErrDoubleSlash", "GET", "/api//admin/users"},
		{"ErrDotSegment", "POST", "/api/admin/./users/u1/adjustments"},
		{"ErrDotDot", "GET", "/api/admin/x/../users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			var body ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 404 || body.Error.Code != panel.ENOTFOUND {
				t.Errorf("got %d %q, want a JSON 404", rec.Code, rec.Body)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/admin/users/u1", nil))
		if rec.Code != 200 {
			t.Errorf("got %d %s", rec.Code, rec.Body)
		}
	})
}

func TestClientIPBehindCloudFront(t *testing.T) {
	const key = "originkey0123456789"
	tests := []struct {
		name, xff, source, key, verify, want string
	}{
		{"ViewerLast", "6.6.6.6, 1.2.3.4", "130.176.0.1", key, key, "1.2.3.4"},
		{"GatewayAppendsEdge", "6.6.6.6, 1.2.3.4, 130.176.0.1", "130.176.0.1", key, key, "1.2.3.4"},
		{"NoHeader", "", "9.9.9.9", key, key, "9.9.9.9"},
		// Issue 12 item 11: with no key set nothing vouches for the
		// header, so it is ignored (the local runner's source IP is the
		// client's own).
		{"NoKeySetIgnored", "6.6.6.6, 1.2.3.4", "5.5.5.5", "", "", "5.5.5.5"},
		{"NoKeySetAnyVerifyHeaderIgnored", "6.6.6.6, 1.2.3.4", "5.5.5.5", "", "whatever", "5.5.5.5"},
		// A direct caller to execute-api cannot pick its own IP.
		{"KeyMissing", "6.6.6.6, 1.2.3.4", "5.5.5.5", key, "", "5.5.5.5"},
		{"KeyWrong", "6.6.6.6, 1.2.3.4", "5.5.5.5", key, "guess", "5.5.5.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := events.APIGatewayV2HTTPRequest{RawPath: "/", RequestContext: events.APIGatewayV2HTTPRequestContext{
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/", SourceIP: tt.source}}}
			ev.Headers = map[string]string{}
			if tt.xff != "" {
				ev.Headers["x-forwarded-for"] = tt.xff
			}
			if tt.verify != "" {
				ev.Headers["x-origin-verify"] = tt.verify
			}
			var got string
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = ClientIP(Site{OriginKey: tt.key}.checkOrigin(r))
				w.WriteHeader(204)
			})
			if _, err := httpadapter.NewV2(h).ProxyWithContext(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMountOriginKey(t *testing.T) {
	const key = "k3y0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI"
	admin := fakeAuth{p: &panel.Principal{UserID: "u1", Role: panel.RoleAdmin}}
	tests := []struct {
		name, key, header, path string
		auth                    fakeAuth
		status                  int
	}{
		{"OK", key, key, "/api/admin/users", admin, 200},
		{"OKNoKeySet", "", "", "/api/admin/users", admin, 200},
		{"OKNoKeySetAnyHeader", "", "whatever", "/api/admin/users", admin, 200},
		{"ErrMissing", key, "", "/api/admin/users", admin, 403},
		{"ErrWrong", key, "not-the-key", "/api/admin/users", admin, 403},
		{"ErrPrefix", key, key[:len(key)-1], "/api/admin/users", admin, 403},
		// Refused before auth, so a direct caller learns nothing about sessions.
		{"ErrBeforeAuth", key, "", "/api/admin/users", fakeAuth{err: panel.Errorf(panel.EUNAUTHORIZED, "Sign in first.")}, 403},
		{"ErrBeforeRouting", key, "", "/api/admin/nothing", admin, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Site{OriginKey: tt.key}.Mount("admin", adminHandlers(), tt.auth)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", tt.path, nil)
			if tt.header != "" {
				r.Header.Set("X-Origin-Verify", tt.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tt.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status != 403 {
				return
			}
			var body ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body.Error.Code != panel.EFORBIDDEN || body.Error.Message != "Requests must come through the site." {
				t.Errorf("got %+v", body.Error)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" || strings.Contains(rec.Body.String(), key) {
				t.Errorf("got headers %v body %s", rec.Header(), rec.Body)
			}
		})
	}
}

// TestMountPathIDs: path wildcards that cannot be ids answer 400 before the
// handler (and DynamoDB) see them (issue 12, item 12).
func TestMountPathIDs(t *testing.T) {
	h, err := Mount("admin", adminHandlers(), fakeAuth{p: &panel.Principal{UserID: "u1", Role: panel.RoleAdmin}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		status     int
	}{
		{"OK", "/api/admin/users/u_1a2b", 200},
		{"OKMaxLength", "/api/admin/users/" + strings.Repeat("a", MaxPathIDBytes), 200},
		{"ErrTooLong", "/api/admin/users/" + strings.Repeat("a", MaxPathIDBytes+1), 400},
		{"ErrHuge", "/api/admin/users/" + strings.Repeat("a", 100_000), 400},
		{"ErrEncodedSlash", "/api/admin/users/a%2Fb", 400},
		{"ErrBidi", "/api/admin/users/a%E2%80%AEb", 400},
		{"ErrNUL", "/api/admin/users/a%00b", 400},
		{"ErrSpace", "/api/admin/users/a%20b", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 400 {
				var body ErrorBody
				json.Unmarshal(rec.Body.Bytes(), &body)
				if body.Error.Code != panel.EINVALID || body.Error.Fields["id"] == "" {
					t.Errorf("got %+v, want an invalid id field", body.Error)
				}
			}
		})
	}
}
