// Package betterstacksim simulates the parts of Better Stack Uptime vfpanel
// uses, at the HTTP level, for tests and make dev: heartbeat URLs and an
// incoming webhook that CloudWatch alarms reach through SNS. It records what
// it receives.
//
// Heartbeats follow https://betterstack.com/docs/uptime/cron-and-heartbeat-monitor/:
// GET or POST /api/v1/heartbeat/<token> records a beat (HEAD too, answered
// like GET, as any HTTP server does); /api/v1/heartbeat/<token>/fail reports
// a failure; /api/v1/heartbeat/<token>/<exit code> reports that exit code
// (0 success, 1-255 failure); a POST body is kept as the run's output. An
// unknown token, any other suffix or method is refused.
package betterstacksim

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Beat is one heartbeat request received.
type Beat struct {
	Token    string
	Method   string
	Failed   bool
	ExitCode int // -1 when none was given
	Output   string
	At       time.Time
}

// Webhook is one incoming-webhook request received.
type Webhook struct {
	Token string
	Body  string
	At    time.Time
}

// Sim is the simulator. Register heartbeats and webhooks before use.
type Sim struct {
	mu       sync.Mutex
	beats    []Beat
	webhooks []Webhook
	tokens   map[string]bool // heartbeat tokens
	hooks    map[string]bool // incoming webhook tokens
	srv      *httptest.Server
}

// New returns an empty simulator.
func New() *Sim { return &Sim{tokens: map[string]bool{}, hooks: map[string]bool{}} }

// Start serves the simulator on a local port and returns its base URL.
func (s *Sim) Start() string {
	s.srv = httptest.NewServer(s)
	return s.srv.URL
}

// Close stops the server.
func (s *Sim) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// AddHeartbeat registers a heartbeat and returns its secret URL.
func (s *Sim) AddHeartbeat(token string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = true
	return s.srv.URL + "/api/v1/heartbeat/" + token
}

// AddWebhook registers an incoming webhook and returns its URL.
func (s *Sim) AddWebhook(token string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[token] = true
	return s.srv.URL + "/api/v1/incoming-webhook/" + token
}

// Beats returns the heartbeats received for token, oldest first.
func (s *Sim) Beats(token string) []Beat {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Beat
	for _, b := range s.beats {
		if b.Token == token {
			out = append(out, b)
		}
	}
	return out
}

// Webhooks returns the webhook requests received for token, oldest first.
func (s *Sim) Webhooks(token string) []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Webhook
	for _, w := range s.webhooks {
		if w.Token == token {
			out = append(out, w)
		}
	}
	return out
}

const maxBody = 64 << 10

// ServeHTTP implements the heartbeat and incoming-webhook endpoints.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/v1/heartbeat/"):
		s.heartbeat(w, r, strings.TrimPrefix(r.URL.Path, "/api/v1/heartbeat/"))
	case strings.HasPrefix(r.URL.Path, "/api/v1/incoming-webhook/"):
		s.webhook(w, r, strings.TrimPrefix(r.URL.Path, "/api/v1/incoming-webhook/"))
	default:
		http.NotFound(w, r)
	}
}

func (s *Sim) heartbeat(w http.ResponseWriter, r *http.Request, rest string) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	token, suffix, hasSuffix := strings.Cut(rest, "/")
	b := Beat{Token: token, Method: r.Method, ExitCode: -1, At: time.Now()}
	if hasSuffix {
		switch {
		case suffix == "fail":
			b.Failed = true
		case isExitCode(suffix):
			b.ExitCode, _ = strconv.Atoi(suffix)
			b.Failed = b.ExitCode != 0
		default:
			http.NotFound(w, r)
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	b.Output = string(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tokens[token] {
		http.NotFound(w, r)
		return
	}
	s.beats = append(s.beats, b)
	w.WriteHeader(http.StatusOK)
}

// isExitCode reports whether v is a process exit code, 0 to 255 in plain
// decimal.
func isExitCode(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == v
}

func (s *Sim) webhook(w http.ResponseWriter, r *http.Request, token string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hooks[token] {
		http.NotFound(w, r)
		return
	}
	s.webhooks = append(s.webhooks, Webhook{Token: token, Body: string(body), At: time.Now()})
	w.WriteHeader(http.StatusOK)
}
