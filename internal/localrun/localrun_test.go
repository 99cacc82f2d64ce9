package localrun

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/routes"
)

// echo answers with what it saw, so the runner's path can be compared with
// calling the handler directly.
func echo() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes.Table {
		rt := rt
		mux.HandleFunc(rt.Pattern(), func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var cookies []string
			for _, c := range r.Cookies() {
				cookies = append(cookies, c.Name+"="+c.Value)
			}
			seen := map[string]any{
				"method": r.Method, "path": r.URL.Path, "query": r.URL.Query(),
				"id": r.PathValue("id"), "taskId": r.PathValue("taskId"),
				"cookies": cookies, "body": base64.StdEncoding.EncodeToString(body),
				"xMulti": r.Header.Values("X-Multi"), "contentType": r.Header.Get("Content-Type"),
			}
			http.SetCookie(w, &http.Cookie{Name: "a", Value: "1", Path: "/", HttpOnly: true})
			http.SetCookie(w, &http.Cookie{Name: "b", Value: "2", Path: "/"})
			status := http.StatusOK
			if s := r.URL.Query().Get("status"); s != "" {
				status, _ = strconv.Atoi(s)
			}
			if r.URL.Query().Get("binary") != "" {
				w.Header().Set("Content-Type", "application/octet-stream")
				w.WriteHeader(status)
				w.Write([]byte{0, 0xff, 0xfe, 1, 2})
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(seen)
		})
	}
	return mux
}

func newRunner(t testing.TB, h http.Handler, web string) *Runner {
	fns := map[string]LambdaHandler{}
	for _, f := range routes.Functions {
		fns[f] = Adapt(h)
	}
	rn, err := New(fns, web)
	if err != nil {
		t.Fatal(err)
	}
	return rn
}

type result struct {
	status  int
	body    string
	cookies []string
	ctype   string
}

func do(t *testing.T, h http.Handler, req *http.Request) result {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return result{res.StatusCode, string(b), res.Header.Values("Set-Cookie"), res.Header.Get("Content-Type")}
}

func TestRoundTrip(t *testing.T) {
	binBody := []byte{0, 1, 2, 0xff, 0xfe, 'x'}
	tests := []struct {
		name   string
		method string
		target string
		body   []byte
		ctype  string
		cookie string
		multi  []string
	}{
		{"OK", "GET", "/api/health", nil, "", "", nil},
		{"RepeatedQueryKeys", "GET", "/api/billing/transactions?type=topup&type=charge&x=a%20b", nil, "", "", nil},
		{"PathParameters", "GET", "/api/servers/42/tasks/171", nil, "", "", nil},
		{"Cookies", "GET", "/api/auth/me", nil, "", "s=abc; t=def", nil},
		{"JSONBody", "POST", "/api/auth/login", []byte(`{"email":"a@b.c"}`), "application/json", "", nil},
		{"BinaryBody", "POST", "/api/webhooks/paypal", binBody, "application/octet-stream", "", nil},
		{"FormBody", "POST", "/api/webhooks/virtfusion", []byte("a=1&b=2"), "application/x-www-form-urlencoded", "", nil},
		{"StatusCreated", "POST", "/api/servers?status=201", []byte(`{}`), "application/json", "", nil},
		{"Status404", "GET", "/api/servers/7?status=404", nil, "", "", nil},
		{"Status204", "DELETE", "/api/servers/7?status=204", nil, "", "", nil},
		{"BinaryResponse", "GET", "/api/billing/invoices/2026-11/pdf?binary=1", nil, "", "", nil},
		{"MultiValueHeader", "GET", "/api/catalog/packages", nil, "", "", []string{"one", "two"}},
	}
	rn := newRunner(t, echo(), "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mk := func() *http.Request {
				r := httptest.NewRequest(tt.method, tt.target, bytes.NewReader(tt.body))
				if tt.ctype != "" {
					r.Header.Set("Content-Type", tt.ctype)
				}
				if tt.cookie != "" {
					r.Header.Set("Cookie", tt.cookie)
				}
				for _, v := range tt.multi {
					r.Header.Add("X-Multi", v)
				}
				return r
			}
			direct := do(t, echo(), mk())
			viaRunner := do(t, rn, mk())
			if viaRunner.status != direct.status {
				t.Errorf("status: got %d, want %d", viaRunner.status, direct.status)
			}
			if viaRunner.body != direct.body {
				t.Errorf("body:\n got %s\nwant %s", viaRunner.body, direct.body)
			}
			if strings.Join(viaRunner.cookies, "|") != strings.Join(direct.cookies, "|") {
				t.Errorf("cookies: got %q, want %q", viaRunner.cookies, direct.cookies)
			}
			if viaRunner.ctype != direct.ctype {
				t.Errorf("content type: got %q, want %q", viaRunner.ctype, direct.ctype)
			}
		})
	}
}

// TestDefaultRoute: what no route matches goes, like API Gateway's $default
// route, to routes.DefaultRouteFunction with route key "$default" (its
// handler answers our JSON 404), never a ServeMux 404, 405 or redirect.
func TestDefaultRoute(t *testing.T) {
	fns := map[string]LambdaHandler{}
	for _, f := range routes.Functions {
		fns[f] = Adapt(echo())
	}
	var seen []string
	fns[routes.DefaultRouteFunction] = func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		if ev.RouteKey == "$default" {
			seen = append(seen, ev.RequestContext.HTTP.Method+" "+ev.RawPath)
			return events.APIGatewayV2HTTPResponse{StatusCode: 404, Headers: map[string]string{"Content-Type": "application/json"},
				Body: `{"error":{"code":"not_found"}}`}, nil
		}
		return Adapt(echo())(ctx, ev)
	}
	rn, err := New(fns, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ method, target string }{
		{"GET", "/api/nope"},
		{"PUT", "/api/health"},            // an unlisted method: no 405
		{"GET", "/api//servers"},          // unclean: no redirect
		{"GET", "/api/servers/../health"}, // unclean: no redirect
		{"GET", "/api/servers/"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			seen = nil
			r := httptest.NewRequest(tt.method, "/", nil)
			r.URL.Path = tt.target // NewRequest would clean it
			got := do(t, rn, r)
			if got.status != http.StatusNotFound || got.body != `{"error":{"code":"not_found"}}` || len(seen) != 1 {
				t.Errorf("got %d %q (default route saw %v), want our 404 from the $default route", got.status, got.body, seen)
			}
		})
	}
	seen = nil
	if got := do(t, rn, httptest.NewRequest("GET", "/api/health", nil)); got.status != 200 || len(seen) != 0 {
		t.Errorf("a table route went to $default: %d %v", got.status, seen)
	}
}

// countingReader yields n zero bytes, counting what is read.
type countingReader struct{ n, read int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), c.n-c.read)
	clear(p[:k])
	c.read += k
	return int(k), nil
}

// TestPayloadLimit: bodies over API Gateway's limit get 413 while streaming,
// without the runner reading (or holding) more than the limit; a declared
// Content-Length over it is refused before reading anything.
func TestPayloadLimit(t *testing.T) {
	rn := newRunner(t, echo(), "")
	const streamed = 100 << 20
	t.Run("Streamed", func(t *testing.T) {
		body := &countingReader{n: streamed}
		r := httptest.NewRequest("POST", "/api/webhooks/paypal", body)
		r.ContentLength = -1 // chunked: the size is unknown up front
		r.Header.Set("Content-Type", "application/json")
		got := do(t, rn, r)
		if got.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("got %d %s, want 413", got.status, got.body)
		}
		if body.read > routes.MaxPayloadBytes+64<<10 {
			t.Errorf("read %d bytes of %d, want at most the limit (%d) and a buffer", body.read, streamed, routes.MaxPayloadBytes)
		}
	})
	t.Run("DeclaredLength", func(t *testing.T) {
		body := &countingReader{n: streamed}
		r := httptest.NewRequest("POST", "/api/webhooks/paypal", body)
		r.ContentLength = streamed
		got := do(t, rn, r)
		if got.status != http.StatusRequestEntityTooLarge || body.read != 0 {
			t.Errorf("got %d after reading %d bytes, want 413 after reading none", got.status, body.read)
		}
	})
	t.Run("OKAtLimit", func(t *testing.T) {
		body := &countingReader{n: routes.MaxPayloadBytes}
		r := httptest.NewRequest("POST", "/api/webhooks/paypal", body)
		r.Header.Set("Content-Type", "application/octet-stream")
		if got := do(t, rn, r); got.status != http.StatusOK || body.read != routes.MaxPayloadBytes {
			t.Errorf("got %d after reading %d bytes, want 200 and all of it", got.status, body.read)
		}
	})
}

// TestSiteHeaders: every response, UI or API, carries CloudFront's security
// headers, overriding the function's own.
func TestSiteHeaders(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>app</html>"), 0o644)
	rn := newRunner(t, echo(), dir)
	rn.Headers = routes.SiteHeaders("https://vf.example.com")
	for _, target := range []string{"/", "/servers/1", "/api/health", "/api/nope", "/missing.js"} {
		rec := httptest.NewRecorder()
		rn.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		for k, v := range routes.SiteHeaders("https://vf.example.com") {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: %s: got %q, want %q", target, k, got, v)
			}
		}
	}
}

func TestServeWeb(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>app</html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "assets", "x.js"), []byte("js"), 0o644)
	rn := newRunner(t, echo(), dir)
	tests := []struct {
		path, want string
		status     int
	}{
		{"/", "<html>app</html>", 200},
		{"/servers/12", "<html>app</html>", 200},
		{"/assets/x.js", "js", 200},
		{"/assets/missing.js", "", 404},
	}
	for _, tt := range tests {
		got := do(t, rn, httptest.NewRequest("GET", tt.path, nil))
		if got.status != tt.status || (tt.want != "" && got.body != tt.want) {
			t.Errorf("%s: got %d %q, want %d %q", tt.path, got.status, got.body, tt.status, tt.want)
		}
	}
}

// BenchmarkDirect and BenchmarkRunner measure the runner's overhead per
// request (event building, adapter, response writing) against calling the
// handler directly.
func BenchmarkDirect(b *testing.B) {
	h := echo()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/api/servers/42/tasks/171?x=1", nil)
		r.Header.Set("Cookie", "s=abc")
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
}

func BenchmarkRunner(b *testing.B) {
	rn := newRunner(b, echo(), "")
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/api/servers/42/tasks/171?x=1", nil)
		r.Header.Set("Cookie", "s=abc")
		rn.ServeHTTP(httptest.NewRecorder(), r)
	}
}
