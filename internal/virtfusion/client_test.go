package virtfusion

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

const testToken = "test-token"

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testClient is a Client against an httptest server that records the waits
// between attempts instead of sleeping.
type testClient struct {
	*Client
	clock *fakeClock
	mu    sync.Mutex
	waits []time.Duration
}

func (tc *testClient) Waits() []time.Duration {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return slices.Clone(tc.waits)
}

// MustClient starts h and returns a client for it.
func MustClient(tb testing.TB, h http.Handler, mod ...func(*Config)) *testClient {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	clock := &fakeClock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	cfg := Config{PanelURL: srv.URL + "/", Token: testToken, Clock: clock.Now, Timeout: 2 * time.Second,
		Logger: slog.New(slog.DiscardHandler)}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tc := &testClient{Client: c, clock: clock}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		tc.mu.Lock()
		tc.waits = append(tc.waits, d)
		tc.mu.Unlock()
		return ctx.Err()
	}
	return tc
}

// scripted answers successive requests with the given responses (the last
// one repeats) and counts them.
type scripted struct {
	calls atomic.Int32
	resps []func(w http.ResponseWriter, r *http.Request)
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.calls.Add(1)) - 1
	s.resps[min(n, len(s.resps)-1)](w, r)
}

func status(code int, body string, hdr ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		if body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name, url, token string
		wantRoot         string
		wantErr          bool
	}{
		{"OK", "https://cp.example.com", "t", "https://cp.example.com", false},
		{"StripsAPIPath", "https://cp.example.com/api/v1/", "t", "https://cp.example.com", false},
		{"ErrNoScheme", "cp.example.com", "t", "", true},
		{"ErrNoToken", "https://cp.example.com", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{PanelURL: tt.url, Token: tt.token})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && c.PanelURL() != tt.wantRoot {
				t.Errorf("got %q, want %q", c.PanelURL(), tt.wantRoot)
			}
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	var got *http.Request
	var body []byte
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	if err := c.Rename(context.Background(), 7, "web 1"); err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodPut || got.URL.Path != "/api/v1/servers/7/modify/name" {
		t.Errorf("got %s %s", got.Method, got.URL.Path)
	}
	for h, want := range map[string]string{
		"Authorization": "Bearer " + testToken, "Accept": "application/json", "Content-Type": "application/json",
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("%s: got %q, want %q", h, v, want)
		}
	}
	if string(body) != `{"name":"web 1"}` {
		t.Errorf("body: got %s", body)
	}
}

func TestRetry(t *testing.T) {
	okServer := status(200, `{"data":{"id":5,"name":"x"}}`)
	tests := []struct {
		name      string
		resps     []func(http.ResponseWriter, *http.Request)
		call      func(c *testClient) error
		wantCalls int32
		wantErr   bool
		wantWaits []time.Duration // nil: don't check values, only count
		nWaits    int
	}{
		{
			name:      "GETRetriedOn503",
			resps:     []func(http.ResponseWriter, *http.Request){status(503, ""), okServer},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 2, nWaits: 1,
		},
		{
			name:      "GETHonoursRetryAfterSeconds",
			resps:     []func(http.ResponseWriter, *http.Request){status(429, `{"message":"Too Many Attempts."}`, "Retry-After", "3"), okServer},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 2, wantWaits: []time.Duration{3 * time.Second},
		},
		{
			name: "GETHonoursRetryAfterDate",
			resps: []func(http.ResponseWriter, *http.Request){
				status(503, "", "Retry-After", time.Date(2026, 11, 22, 12, 0, 7, 0, time.UTC).Format(http.TimeFormat)), okServer},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 2, wantWaits: []time.Duration{7 * time.Second},
		},
		{
			name:      "RetryAfterCapped",
			resps:     []func(http.ResponseWriter, *http.Request){status(429, "", "Retry-After", "3600"), okServer},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 2, wantWaits: []time.Duration{30 * time.Second},
		},
		{
			name:      "GETGivesUpAfterMaxAttempts",
			resps:     []func(http.ResponseWriter, *http.Request){status(502, "<html>bad gateway</html>")},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 3, wantErr: true, nWaits: 2,
		},
		{
			name:      "PUTRetriedOn504",
			resps:     []func(http.ResponseWriter, *http.Request){status(504, ""), status(201, "")},
			call:      func(c *testClient) error { return c.Rename(context.Background(), 5, "x") },
			wantCalls: 2, nWaits: 1,
		},
		{
			name:      "DELETERetriedOn503",
			resps:     []func(http.ResponseWriter, *http.Request){status(503, ""), status(204, "")},
			call:      func(c *testClient) error { return c.DeleteServer(context.Background(), 5, 0) },
			wantCalls: 2, nWaits: 1,
		},
		{
			name:      "POSTNeverRetried503",
			resps:     []func(http.ResponseWriter, *http.Request){status(503, "", "Retry-After", "1"), status(200, `{"data":{"queueId":1}}`)},
			call:      func(c *testClient) error { _, err := c.Power(context.Background(), 5, PowerBoot); return err },
			wantCalls: 1, wantErr: true,
		},
		{
			name:  "POSTNeverRetried429",
			resps: []func(http.ResponseWriter, *http.Request){status(429, ""), okServer},
			call: func(c *testClient) error {
				_, err := c.CreateServer(context.Background(), CreateServerRequest{PackageID: 1, UserID: 2, HypervisorGroupID: 3}, false)
				return err
			},
			wantCalls: 1, wantErr: true,
		},
		{
			name:      "NotRetriedOn500",
			resps:     []func(http.ResponseWriter, *http.Request){status(500, ""), okServer},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 1, wantErr: true,
		},
		{
			name:      "NotRetriedOn404",
			resps:     []func(http.ResponseWriter, *http.Request){status(404, `{"msg":"server not found"}`), okServer},
			call:      func(c *testClient) error { _, err := c.GetServer(context.Background(), 5, false); return err },
			wantCalls: 1, wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &scripted{resps: tt.resps}
			c := MustClient(t, h)
			err := tt.call(c)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got := h.calls.Load(); got != tt.wantCalls {
				t.Errorf("calls: got %d, want %d", got, tt.wantCalls)
			}
			waits := c.Waits()
			if tt.wantWaits != nil {
				if !slices.Equal(waits, tt.wantWaits) {
					t.Errorf("waits: got %v, want %v", waits, tt.wantWaits)
				}
			} else if len(waits) != tt.nWaits {
				t.Errorf("waits: got %v, want %d of them", waits, tt.nWaits)
			}
			for _, w := range waits {
				if w < 0 || w > 30*time.Second {
					t.Errorf("wait %v out of range", w)
				}
			}
		})
	}
}

func TestRetryTimeouts(t *testing.T) {
	t.Run("GETRetriedAfterAttemptTimeout", func(t *testing.T) {
		var calls atomic.Int32
		c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				<-r.Context().Done() // hang until the client gives up on this attempt
				return
			}
			io.WriteString(w, `{"data":[]}`)
		}), func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
		if _, err := c.Packages(context.Background()); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 2 {
			t.Errorf("calls: got %d, want 2", calls.Load())
		}
	})
	t.Run("ErrTimeoutMapsToTimeout", func(t *testing.T) {
		c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}), func(cfg *Config) {
			cfg.Timeout = 20 * time.Millisecond
			cfg.Retry.MaxAttempts = 2
		})
		_, err := c.GetServer(context.Background(), 1, true)
		if code := panel.ErrorCode(err); code != panel.ETIMEOUT {
			t.Errorf("code: got %q, want timeout (err %v)", code, err)
		}
		if len(c.Waits()) != 1 {
			t.Errorf("waits: got %v, want 1", c.Waits())
		}
	})
	t.Run("ErrConnectionRefusedRetried", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, err := New(Config{PanelURL: "http://" + addr, Token: "x"})
		if err != nil {
			t.Fatal(err)
		}
		var waits int
		c.sleep = func(ctx context.Context, d time.Duration) error { waits++; return nil }
		err = c.Connect(context.Background())
		if code := panel.ErrorCode(err); code != panel.EUNAVAILABLE || waits != 2 {
			t.Errorf("got code %q after %d waits (err %v), want unavailable after 2", code, waits, err)
		}
	})
	t.Run("CallerDeadlineStopsRetry", func(t *testing.T) {
		h := &scripted{resps: []func(http.ResponseWriter, *http.Request){status(503, "", "Retry-After", "20")}}
		c := MustClient(t, h)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.GetServer(ctx, 1, false)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 503 || ae.RetryAfter != 20*time.Second {
			t.Fatalf("got %v, want the 503 with RetryAfter 20s", err)
		}
		if h.calls.Load() != 1 || len(c.Waits()) != 0 {
			t.Errorf("got %d calls, waits %v; want 1 call, no wait", h.calls.Load(), c.Waits())
		}
	})
}

func TestBackoffDelay(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	for n := 1; n <= 40; n++ {
		ceil := min(p.BaseDelay<<min(n-1, 29), p.MaxDelay)
		for range 20 {
			if d := p.delay(n, 0); d < 0 || d > ceil {
				t.Fatalf("delay(%d) = %v, want within [0, %v]", n, d, ceil)
			}
		}
	}
	if d := p.delay(1, 2*time.Second); d != 2*time.Second {
		t.Errorf("Retry-After: got %v, want 2s", d)
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		hdr        []string
		wantCode   string
		wantMsgs   []string
		wantFields map[string]string
		notFound   bool
		retryable  bool
		retryAfter time.Duration
	}{
		{name: "ErrNotFoundMsg", status: 404, body: `{"msg":"server not found"}`, wantCode: panel.ENOTFOUND,
			wantMsgs: []string{"server not found"}, notFound: true},
		{name: "ErrNotFoundEmpty", status: 404, wantCode: panel.ENOTFOUND, notFound: true},
		{name: "ErrInvalidList", status: 422, body: `{"errors":["Invalid or disabled firewall ruleset"]}`,
			wantCode: panel.EINVALID, wantMsgs: []string{"Invalid or disabled firewall ruleset"}},
		{name: "ErrInvalidLaravel", status: 422,
			body:       `{"message":"The given data was invalid.","errors":{"name":["The name field is required."],"email":["Taken.","Bad."]}}`,
			wantCode:   panel.EINVALID,
			wantMsgs:   []string{"The given data was invalid.", "Taken.", "Bad.", "The name field is required."},
			wantFields: map[string]string{"email": "Taken.", "name": "The name field is required."}},
		{name: "ErrLocked", status: 423, body: `{"msg":"server is locked"}`, wantCode: panel.ESERVERBUSY,
			wantMsgs: []string{"server is locked"}},
		{name: "ErrUnauthorizedEmpty", status: 401, wantCode: panel.EUPSTREAM},
		{name: "ErrUnauthorizedText", status: 401, body: `401 Unauthorized`, wantCode: panel.EUPSTREAM,
			wantMsgs: []string{"401 Unauthorized"}},
		{name: "ErrForbidden", status: 403, body: `{"message":"This action is unauthorized."}`, wantCode: panel.EUPSTREAM,
			wantMsgs: []string{"This action is unauthorized."}},
		{name: "ErrConflict", status: 409, body: `{"errors":["user has servers"]}`, wantCode: panel.ECONFLICT,
			wantMsgs: []string{"user has servers"}},
		{name: "ErrRateLimited", status: 429, hdr: []string{"Retry-After", "4"}, wantCode: panel.EUNAVAILABLE,
			retryable: true, retryAfter: 4 * time.Second},
		{name: "ErrServerError", status: 500, body: `<!DOCTYPE html><html>…</html>`, wantCode: panel.EUPSTREAM},
		{name: "ErrUnavailable", status: 503, wantCode: panel.EUNAVAILABLE, retryable: true},
		{name: "ErrGatewayTimeout", status: 504, wantCode: panel.ETIMEOUT, retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := MustClient(t, http.HandlerFunc(status(tt.status, tt.body, tt.hdr...)),
				func(cfg *Config) { cfg.Retry.MaxAttempts = 1 })
			_, err := c.GetServer(context.Background(), 9, false)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("got %T %v, want *APIError", err, err)
			}
			if ae.Status != tt.status || ae.Retryable != tt.retryable || ae.RetryAfter != tt.retryAfter {
				t.Errorf("got status %d retryable %v retryAfter %v, want %d %v %v",
					ae.Status, ae.Retryable, ae.RetryAfter, tt.status, tt.retryable, tt.retryAfter)
			}
			if !slices.Equal(ae.Messages, tt.wantMsgs) {
				t.Errorf("messages: got %q, want %q", ae.Messages, tt.wantMsgs)
			}
			if len(tt.wantFields) > 0 && !mapsEqual(ae.Fields, tt.wantFields) {
				t.Errorf("fields: got %v, want %v", ae.Fields, tt.wantFields)
			}
			if code := panel.ErrorCode(err); code != tt.wantCode {
				t.Errorf("code: got %q, want %q", code, tt.wantCode)
			}
			if IsNotFound(err) != tt.notFound {
				t.Errorf("IsNotFound: got %v, want %v", IsNotFound(err), tt.notFound)
			}
			var pe *panel.Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Errorf("panel error: got %v", pe)
			}
			if tt.status == 429 && pe.RetryAfter != 4 {
				t.Errorf("panel RetryAfter: got %d, want 4", pe.RetryAfter)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestAnySuccessStatus(t *testing.T) {
	for _, code := range []int{200, 201, 202, 204} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			c := MustClient(t, http.HandlerFunc(status(code, "")))
			if err := c.SetBackupPlan(context.Background(), 1, 2); err != nil {
				t.Errorf("got %v", err)
			}
			if err := c.Connect(context.Background()); err != nil {
				t.Errorf("connect: got %v", err)
			}
		})
	}
	t.Run("ErrMalformedJSON", func(t *testing.T) {
		c := MustClient(t, http.HandlerFunc(status(200, `{"data":{"id":`)))
		_, err := c.GetServer(context.Background(), 1, false)
		if code := panel.ErrorCode(err); code != panel.EUPSTREAM {
			t.Errorf("code: got %q, want upstream (err %v)", code, err)
		}
	})
}

func TestPagination(t *testing.T) {
	const total = 5
	var pages []string
	var mu sync.Mutex
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		mu.Lock()
		pages = append(pages, r.URL.RawQuery)
		mu.Unlock()
		page, _ := strconv.Atoi(q.Get("page"))
		per, _ := strconv.Atoi(q.Get("results"))
		last := (total + per - 1) / per
		var data []map[string]any
		for i := (page-1)*per + 1; i <= min(page*per, total); i++ {
			data = append(data, map[string]any{"id": i, "commissioned": 3, "owner": 7, "uuid": "u" + strconv.Itoa(i)})
		}
		json.NewEncoder(w).Encode(map[string]any{"current_page": page, "data": data, "last_page": last,
			"per_page": per, "total": total, "from": (page-1)*per + 1, "to": min(page*per, total)})
	}))
	t.Run("AllPages", func(t *testing.T) {
		all, err := c.AllServers(context.Background(), ListServersOptions{Results: 2, HypervisorIDs: []int64{1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, s := range all {
			ids = append(ids, s.ID)
			if s.OwnerID != 7 || s.CommissionStatus != 3 {
				t.Errorf("got %+v", s)
			}
		}
		if !slices.Equal(ids, []int64{1, 2, 3, 4, 5}) {
			t.Errorf("ids: got %v", ids)
		}
		if len(pages) != 3 {
			t.Fatalf("requests: got %v, want 3", pages)
		}
		if pages[0] != "hypervisorId%5B%5D=1&hypervisorId%5B%5D=2&page=1&results=2" {
			t.Errorf("query: got %q", pages[0])
		}
	})
	t.Run("OnePage", func(t *testing.T) {
		p, err := c.ListServers(context.Background(), ListServersOptions{Page: 3, Results: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Data) != 1 || p.Data[0].ID != 5 || p.HasNext() {
			t.Errorf("got %d items, hasNext %v", len(p.Data), p.HasNext())
		}
	})
}

func TestCatalogueCache(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release
		io.WriteString(w, `{"data":[{"id":1,"name":"Small"}]}`)
	}))
	ctx := context.Background()

	t.Run("ConcurrentMissesShareOneFetch", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				p, err := c.Packages(ctx)
				if err == nil && (len(p) != 1 || p[0].Name != "Small") {
					err = errors.New("wrong packages")
				}
				errs <- err
			})
		}
		// Let the fetch finish once every caller has at least started.
		time.Sleep(20 * time.Millisecond)
		close(release)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if n := calls.Load(); n < 1 || n > 2 {
			t.Errorf("fetches: got %d, want 1 (2 if a caller came late)", n)
		}
	})
	t.Run("HitWithinTTL", func(t *testing.T) {
		before := calls.Load()
		c.clock.Advance(9 * time.Minute)
		if _, err := c.Packages(ctx); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != before {
			t.Errorf("fetched again within TTL")
		}
	})
	t.Run("MissAfterTTL", func(t *testing.T) {
		before := calls.Load()
		c.clock.Advance(2 * time.Minute)
		if _, err := c.Packages(ctx); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != before+1 {
			t.Errorf("fetches: got %d, want %d", calls.Load(), before+1)
		}
	})
	t.Run("Invalidate", func(t *testing.T) {
		before := calls.Load()
		c.InvalidateCatalogue()
		if _, err := c.Packages(ctx); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != before+1 {
			t.Errorf("fetches: got %d, want %d", calls.Load(), before+1)
		}
	})
}

func TestCacheSkipsErrorsAndUserData(t *testing.T) {
	h := &scripted{resps: []func(http.ResponseWriter, *http.Request){
		status(500, ""), status(200, `{"data":{"id":3,"name":"P"}}`),
	}}
	c := MustClient(t, h)
	ctx := context.Background()
	if _, err := c.Package(ctx, 3); err == nil {
		t.Fatal("first call: got nil error, want 500")
	}
	p, err := c.Package(ctx, 3)
	if err != nil || p.Name != "P" {
		t.Fatalf("second call: got %v, %v", p, err)
	}
	before := h.calls.Load()
	for range 2 {
		if _, err := c.GetServer(ctx, 1, false); err != nil {
			t.Fatal(err)
		}
	}
	if h.calls.Load() != before+2 {
		t.Errorf("server reads were cached: %d calls, want %d", h.calls.Load(), before+2)
	}
}

func TestLoginTokensURL(t *testing.T) {
	var path, query string
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, query = r.URL.Path, r.URL.RawQuery
		w.Write(MustFixture(t, "login_tokens.json"))
	}))
	lt, err := c.ServerLoginTokens(context.Background(), "u_abc/1", 69)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.PanelURL() + "/token_authenticate/?1=aGVsbG8xMjM&2=d29ybGQ0NTY"; lt.URL != want {
		t.Errorf("URL: got %q, want %q", lt.URL, want)
	}
	if !lt.Expires.Equal(time.Date(2025, 1, 20, 12, 49, 20, 0, time.UTC)) {
		t.Errorf("Expires: got %v", lt.Expires)
	}
	if path != "/api/v1/users/u_abc/1/serverAuthenticationTokens/69" || query != "relStr=true" {
		t.Errorf("got %s?%s", path, query)
	}
}

func TestUnauthorizedIsLogged(t *testing.T) {
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil))
	c := MustClient(t, http.HandlerFunc(status(401, "")), func(cfg *Config) { cfg.Logger = logger })
	err := c.Connect(context.Background())
	if code := panel.ErrorCode(err); code != panel.EUPSTREAM {
		t.Fatalf("code: got %q, want upstream", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "level=ERROR") || !strings.Contains(buf.String(), "token rejected") ||
		strings.Contains(buf.String(), testToken) {
		t.Errorf("log: got %q, want an error naming the token problem but not the token", buf.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestDeleteWithBody(t *testing.T) {
	var method, ctype, body string
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		method, ctype, body = r.Method, r.Header.Get("Content-Type"), string(b)
		w.WriteHeader(http.StatusNoContent)
	}))
	r := request{method: http.MethodDelete, path: "/servers/1/ipv4", body: map[string][]string{"ip": {"192.0.2.5"}}}
	if _, err := c.do(context.Background(), r, nil); err != nil {
		t.Fatal(err)
	}
	if method != http.MethodDelete || ctype != "application/json" || body != `{"ip":["192.0.2.5"]}` {
		t.Errorf("got %s %q %s", method, ctype, body)
	}
}

func TestSharedErrorIsRaceFree(t *testing.T) {
	release := make(chan struct{})
	c := MustClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusNotFound)
	}))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, err := c.HypervisorGroup(context.Background(), 1)
			if panel.ErrorCode(err) != panel.ENOTFOUND || !IsNotFound(err) {
				t.Errorf("got %v", err)
			}
		})
	}
	time.Sleep(10 * time.Millisecond)
	close(release)
	wg.Wait()
}
