package betterstacksim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHeartbeatStrict checks the simulator takes exactly the requests
// Better Stack documents and refuses the rest.
func TestHeartbeatStrict(t *testing.T) {
	s := New()
	s.Start()
	defer s.Close()
	s.AddHeartbeat("tok")
	tests := []struct {
		name, method, path string
		want               int
		failed             bool
		exit               int
	}{
		{"GET", "GET", "/api/v1/heartbeat/tok", 200, false, -1},
		{"POST", "POST", "/api/v1/heartbeat/tok", 200, false, -1},
		{"HEAD", "HEAD", "/api/v1/heartbeat/tok", 200, false, -1},
		{"Fail", "GET", "/api/v1/heartbeat/tok/fail", 200, true, -1},
		{"ExitZero", "POST", "/api/v1/heartbeat/tok/0", 200, false, 0},
		{"ExitCode", "POST", "/api/v1/heartbeat/tok/2", 200, true, 2},
		{"ErrExitTooBig", "POST", "/api/v1/heartbeat/tok/256", 404, false, 0},
		{"ErrExitPadded", "POST", "/api/v1/heartbeat/tok/01", 404, false, 0},
		{"ErrOtherSuffix", "GET", "/api/v1/heartbeat/tok/start", 404, false, 0},
		{"ErrUnknownToken", "GET", "/api/v1/heartbeat/nope", 404, false, 0},
		{"ErrPUT", "PUT", "/api/v1/heartbeat/tok", 405, false, 0},
		{"ErrDELETE", "DELETE", "/api/v1/heartbeat/tok", 405, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Beats("tok"))
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, strings.NewReader("out")))
			if rec.Code != tt.want {
				t.Fatalf("got %d, want %d", rec.Code, tt.want)
			}
			beats := s.Beats("tok")
			if tt.want != http.StatusOK {
				if len(beats) != before {
					t.Errorf("a refused request was recorded")
				}
				return
			}
			b := beats[len(beats)-1]
			if b.Failed != tt.failed || b.ExitCode != tt.exit || b.Method != tt.method {
				t.Errorf("got %+v, want failed=%v exit=%d", b, tt.failed, tt.exit)
			}
		})
	}
}

func TestWebhook(t *testing.T) {
	s := New()
	s.Start()
	defer s.Close()
	s.AddWebhook("hook")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/incoming-webhook/hook", strings.NewReader(`{"Type":"Notification"}`)))
	if rec.Code != 200 || len(s.Webhooks("hook")) != 1 {
		t.Fatalf("got %d, %d webhooks", rec.Code, len(s.Webhooks("hook")))
	}
	for _, tc := range []struct{ method, path string }{{"GET", "/api/v1/incoming-webhook/hook"}, {"POST", "/api/v1/incoming-webhook/other"}} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code == 200 {
			t.Errorf("%s %s: got 200, want a refusal", tc.method, tc.path)
		}
	}
}

// FuzzHeartbeatPath: any path either records exactly one beat with a sane
// exit code or is refused, and never panics.
func FuzzHeartbeatPath(f *testing.F) {
	for _, seed := range []string{"tok", "tok/fail", "tok/0", "tok/255", "tok/256", "tok/-1", "tok/+1", "tok//", "tok/fail/x", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rest string) {
		s := New()
		s.tokens["tok"] = true
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = "/api/v1/heartbeat/" + rest
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		beats := s.Beats("tok")
		if rec.Code == 200 {
			if len(beats) != 1 || beats[0].ExitCode < -1 || beats[0].ExitCode > 255 {
				t.Fatalf("%q: got %+v", rest, beats)
			}
		} else if len(beats) != 0 {
			t.Fatalf("%q: refused but recorded", rest)
		}
	})
}
