// Package health serves GET /api/health: cheap by default (the version and
// whether DynamoDB answered in the last few seconds), and with ?deep=1, for
// an admin or a caller holding the health key, every outside dependency
// with its latency and state.
package health

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/openapi"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// Pinger checks that a dependency answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// KeyHeader carries the health key that allows ?deep=1 without a session
// (an uptime monitor such as BetterStack sends it).
const KeyHeader = "X-Health-Key"

// Component names of the deep check.
const (
	CheckDynamoDB   = "dynamodb"
	CheckVirtFusion = "virtfusion"
	CheckPayPal     = "paypal"
	CheckAuth0      = "auth0"
	CheckSMTP       = "smtp"
)

// States of one check.
const (
	StateOK           = "ok"
	StateDown         = "down"
	StateUnconfigured = "unconfigured" // the dependency is not set up here
)

// Check is one dependency the deep check pings; a nil Ping means the
// dependency is not configured.
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// Response is the body of a healthy cheap answer.
type Response struct {
	Status   string `json:"status"`
	Version  string `json:"version"`
	DynamoDB string `json:"dynamodb"`
}

// CheckResult is one dependency's state in a deep answer.
type CheckResult struct {
	Name      string `json:"name"`
	State     string `json:"state"` // ok, down or unconfigured
	LatencyMs int64  `json:"latencyMs"`
	Message   string `json:"message,omitempty"` // customer-safe reason when down
}

// DeepResponse is the body of a deep answer: 200 when every configured
// dependency is ok, 503 otherwise.
type DeepResponse struct {
	Status    string        `json:"status"` // ok or degraded
	Version   string        `json:"version"`
	CheckedAt time.Time     `json:"checkedAt"`
	Checks    []CheckResult `json:"checks"`
}

// Report is a cached deep result.
type Report struct {
	CheckedAt time.Time
	Checks    []CheckResult
}

// OK reports whether no configured dependency is down.
func (r Report) OK() bool {
	for _, c := range r.Checks {
		if c.State == StateDown {
			return false
		}
	}
	return true
}

// State returns the state of the named check, StateUnconfigured if absent.
func (r Report) State(name string) string {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.State
		}
	}
	return StateUnconfigured
}

// Checker runs the deep checks concurrently and caches the report for TTL,
// so a burst of callers costs the dependencies one round.
type Checker struct {
	Checks  []Check
	TTL     time.Duration    // default 30 s
	Timeout time.Duration    // per check, default 5 s
	Now     func() time.Time // default time.Now

	mu     sync.Mutex
	report Report
	until  time.Time
}

// Run returns the cached report, or checks every dependency afresh when the
// cache has expired. Callers arriving during a check wait for it.
func (c *Checker) Run(ctx context.Context) Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if now.Before(c.until) {
		return c.report
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	results := make([]CheckResult, len(c.Checks))
	var wg sync.WaitGroup
	for i, ch := range c.Checks {
		results[i] = CheckResult{Name: ch.Name, State: StateUnconfigured}
		if ch.Ping == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
			defer cancel()
			start := time.Now()
			err := ch.Ping(cctx)
			results[i].LatencyMs = time.Since(start).Milliseconds()
			results[i].State = StateOK
			if err != nil {
				slog.WarnContext(ctx, "health: check failed", "check", ch.Name, "err", err)
				results[i].State = StateDown
				results[i].Message = downMessage(err)
			}
		}()
	}
	wg.Wait()
	ttl := c.TTL
	if ttl == 0 {
		ttl = 30 * time.Second
	}
	c.report = Report{CheckedAt: now, Checks: results}
	c.until = now.Add(ttl)
	return c.report
}

func (c *Checker) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// downMessage is what a check's failure shows: the error's safe message,
// never its internal text (which may name hosts or carry upstream bodies).
func downMessage(err error) string {
	switch panel.ErrorCode(err) {
	case panel.EINTERNAL:
		return "Not answering."
	case panel.ETIMEOUT:
		return "Timed out."
	}
	return panel.ErrorMessage(err)
}

// Deps are what the health routes use.
type Deps struct {
	Version string
	// DB is pinged by the cheap check, at most once per PingTTL.
	DB      Pinger
	PingTTL time.Duration // default 5 s
	// Deep runs ?deep=1 checks; nil answers ?deep=1 with 404.
	Deep *Checker
	// Auth, when set, lets a signed-in admin ask for ?deep=1.
	Auth httpx.Authenticator
	// Key, when set, lets a caller sending it in KeyHeader ask for ?deep=1.
	Key string
	Now func() time.Time
}

// pingCache remembers the cheap DynamoDB ping's outcome for PingTTL, so a
// monitor polling /api/health does not cost a DescribeTable each time. Once
// the outcome is older than PingTTL, one refresh runs in the background
// (callers share it) and callers keep the last outcome meanwhile, for up to
// another PingTTL; older than that (an idle function), callers wait for the
// refresh. So under steady polling no request waits on DynamoDB.
type pingCache struct {
	mu      sync.Mutex
	err     error
	checked time.Time     // when err was measured; zero before the first ping
	done    chan struct{} // the running refresh, closed when it ends; nil when none runs
}

func (p *pingCache) ping(ctx context.Context, d Deps) error {
	ttl := d.PingTTL
	if ttl == 0 {
		ttl = 5 * time.Second
	}
	p.mu.Lock()
	age := d.now().Sub(p.checked)
	if !p.checked.IsZero() && age < ttl {
		defer p.mu.Unlock()
		return p.err
	}
	if p.done == nil {
		p.done = make(chan struct{})
		go p.refresh(context.WithoutCancel(ctx), d)
	}
	done := p.done
	if !p.checked.IsZero() && age < 2*ttl {
		defer p.mu.Unlock()
		return p.err
	}
	p.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return panel.Errorf(panel.ETIMEOUT, "The health check was cancelled.")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// refresh pings DynamoDB once and records the outcome.
func (p *pingCache) refresh(ctx context.Context, d Deps) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	err := d.DB.Ping(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.err, p.checked = err, d.now()
	close(p.done)
	p.done = nil
}

func (d Deps) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// allowedDeep reports whether r may see the deep check: the health key in
// KeyHeader, or an admin's session or token.
func (d Deps) allowedDeep(r *http.Request) error {
	if k := r.Header.Get(KeyHeader); k != "" {
		if d.Key != "" && subtle.ConstantTimeCompare([]byte(k), []byte(d.Key)) == 1 {
			return nil
		}
		return panel.Errorf(panel.EFORBIDDEN, "The health key is not valid.")
	}
	if d.Auth == nil {
		return panel.Errorf(panel.EUNAUTHORIZED, "Sign in as an administrator, or send the health key.")
	}
	p, err := d.Auth.Authenticate(r)
	if err != nil {
		return err
	}
	if !p.IsAdmin() {
		return panel.Errorf(panel.EFORBIDDEN, "This needs an administrator.")
	}
	return nil
}

// Handlers returns the health function's routes.
func Handlers(d Deps) httpx.Handlers {
	pc := &pingCache{}
	return httpx.Handlers{
		"GET /api/health": httpx.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			if deep := r.URL.Query().Get("deep"); deep != "" && deep != "0" {
				if d.Deep == nil {
					return panel.NotFound("deep health check")
				}
				if err := d.allowedDeep(r); err != nil {
					return err
				}
				rep := d.Deep.Run(r.Context())
				status, code := "ok", http.StatusOK
				if !rep.OK() {
					status, code = "degraded", http.StatusServiceUnavailable
				}
				w.Header().Set("Cache-Control", "no-store")
				return httpx.Encode(w, code, DeepResponse{Status: status, Version: d.Version, CheckedAt: rep.CheckedAt, Checks: rep.Checks})
			}
			if err := pc.ping(r.Context(), d); err != nil {
				return err
			}
			return httpx.Encode(w, http.StatusOK, Response{Status: "ok", Version: d.Version, DynamoDB: "ok"})
		}),
		"GET /api/openapi.json": openapi.Handler(),
	}
}
