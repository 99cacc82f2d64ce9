package localrun

import (
	"bytes"
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

func TestUnknownAPIPath(t *testing.T) {
	rn := newRunner(t, echo(), "")
	got := do(t, rn, httptest.NewRequest("GET", "/api/nope", nil))
	if got.status != http.StatusNotFound {
		t.Errorf("got %d, want 404", got.status)
	}
	got = do(t, rn, httptest.NewRequest("PUT", "/api/health", nil))
	// API Gateway has no route for an unlisted method either: 404.
	if got.status != http.StatusNotFound {
		t.Errorf("wrong method: got %d, want 404", got.status)
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
