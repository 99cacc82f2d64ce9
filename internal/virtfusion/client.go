// Package virtfusion is vfpanel's client for the VirtFusion admin REST API
// (v1). It speaks the API's loose JSON (see flex.go), turns every failure
// into an *APIError that maps to a panel error code, retries idempotent calls
// on transient failures, and caches catalogue data (packages, templates,
// locations) for a short time.
package virtfusion

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for Config fields left zero.
const (
	DefaultTimeout  = 15 * time.Second
	DefaultCacheTTL = 10 * time.Minute
)

// maxBody bounds a response read: a page of 200 full server objects with
// screenshots is a few MB.
const maxBody = 64 << 20

// Config configures a Client.
type Config struct {
	PanelURL   string           // panel root, e.g. https://cp.example.com; the API is under /api/v1
	Token      string           // API bearer token
	HTTPClient *http.Client     // nil: a client with no overall timeout (Timeout applies per attempt)
	Timeout    time.Duration    // per attempt; default 15s
	Retry      RetryPolicy      // retries of idempotent calls
	CacheTTL   time.Duration    // catalogue cache lifetime; default 10m, negative disables
	Clock      func() time.Time // for cache expiry and HTTP-date Retry-After; default time.Now
	Logger     *slog.Logger     // default slog.Default()
}

// RetryPolicy controls retries of idempotent calls (GET, PUT, DELETE) on 429,
// 502, 503, 504, timeouts and connection errors. POSTs are never retried.
// Zero fields take defaults.
type RetryPolicy struct {
	MaxAttempts   int           // total attempts including the first; default 3, 1 disables retries
	BaseDelay     time.Duration // backoff base; default 200ms
	MaxDelay      time.Duration // backoff cap; default 5s
	MaxRetryAfter time.Duration // cap on an honoured Retry-After; default 30s
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 3
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 200 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 5 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 30 * time.Second
	}
	return p
}

// delay is the wait before retry number n (1-based): Retry-After when the
// server sent one (capped), else full-jitter exponential backoff.
func (p RetryPolicy) delay(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxRetryAfter)
	}
	ceil := p.BaseDelay
	for i := 1; i < n && ceil < p.MaxDelay; i++ {
		ceil *= 2
	}
	return rand.N(min(ceil, p.MaxDelay) + 1) // full jitter: uniform in [0, ceil]
}

// Client calls one VirtFusion panel. It is safe for concurrent use.
type Client struct {
	root    string // panel root, no trailing slash
	api     string // root + "/api/v1"
	token   string
	hc      *http.Client
	timeout time.Duration
	retry   RetryPolicy
	now     func() time.Time
	log     *slog.Logger
	cache   *cache

	// sleep waits between attempts; tests replace it to record delays.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	root := strings.TrimRight(strings.TrimSpace(cfg.PanelURL), "/")
	root = strings.TrimSuffix(root, "/api/v1")
	u, err := url.Parse(root)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("virtfusion: PanelURL %q is not an http(s) URL", cfg.PanelURL)
	}
	if cfg.Token == "" {
		return nil, errors.New("virtfusion: Token is empty")
	}
	c := &Client{
		root:    root,
		api:     root + "/api/v1",
		token:   cfg.Token,
		hc:      cfg.HTTPClient,
		timeout: cfg.Timeout,
		retry:   cfg.Retry.withDefaults(),
		now:     cfg.Clock,
		log:     cfg.Logger,
		sleep:   sleepCtx,
	}
	if c.hc == nil {
		c.hc = &http.Client{}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	ttl := cfg.CacheTTL
	if ttl == 0 {
		ttl = DefaultCacheTTL
	}
	c.cache = newCache(ttl, c.now)
	return c, nil
}

// PanelURL returns the panel root (no /api/v1), for SSO and VNC links.
func (c *Client) PanelURL() string { return c.root }

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request is one API call.
type request struct {
	method string
	path   string     // under /api/v1, already escaped
	query  url.Values // may be nil
	body   any        // JSON-encoded when non-nil
}

// idempotent reports whether the call may be repeated safely.
func (r request) idempotent() bool {
	switch r.method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// do runs r with retries and decodes a 2xx body into out (if non-nil and
// the body is not empty). It returns the status of the final response.
func (c *Client) do(ctx context.Context, r request, out any) (int, error) {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return 0, fmt.Errorf("encode request: %w", err)
		}
	}
	u := c.api + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	attempts := 1
	if r.idempotent() {
		attempts = c.retry.MaxAttempts
	}
	for n := 1; ; n++ {
		status, body, err := c.attempt(ctx, r.method, u, payload)
		if err == nil {
			if out != nil && len(bytes.TrimSpace(body)) > 0 {
				if err := decodeBody(body, out); err != nil {
					return status, errDecode(status, err)
				}
			}
			return status, nil
		}
		var ae *APIError
		if !errors.As(err, &ae) || !ae.Retryable || n >= attempts || ctx.Err() != nil {
			return status, err
		}
		wait := c.retry.delay(n, ae.RetryAfter)
		// Deadlines are wall-clock, so compare with the real time, not c.now.
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return status, err // waiting would outlive the caller
		}
		c.log.DebugContext(ctx, "virtfusion: retrying", "method", r.method, "path", r.path,
			"attempt", n, "wait", wait, "err", err)
		if serr := c.sleep(ctx, wait); serr != nil {
			return status, err
		}
	}
}

// attempt makes one round trip bounded by the per-attempt timeout.
func (c *Client) attempt(ctx context.Context, method, u string, payload []byte) (int, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rb io.Reader
	if payload != nil {
		rb = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, method, u, rb)
	if err != nil {
		return 0, nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			// The caller gave up; that is not VirtFusion's failure to retry.
			ae := transportError(ctx.Err())
			ae.Retryable = false
			return 0, nil, ae
		}
		return 0, nil, transportError(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, nil, transportError(fmt.Errorf("read body: %w", err))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, body, nil
	}
	ae := newAPIError(resp.StatusCode, resp.Header, body, c.now())
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		// Our token is wrong, expired, IP-restricted or out of scope: an
		// operator must fix the configuration.
		c.log.ErrorContext(ctx, "virtfusion: API token rejected; check VIRTFUSION_API_TOKEN and its scope",
			"status", resp.StatusCode, "method", method, "url", redact(u))
	}
	return resp.StatusCode, nil, ae
}

// redact drops the query, which may carry user ids.
func redact(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

// envelope is the {"data": …} wrapper.
type envelope[T any] struct {
	Data T `json:"data"`
}

// getData runs r and returns the "data" member of the response.
func getData[T any](ctx context.Context, c *Client, r request) (T, error) {
	var env envelope[T]
	_, err := c.do(ctx, r, &env)
	return env.Data, err
}

// relStr marks an external relation id as a string (our ids are "u_…").
func relStr() url.Values { return url.Values{"relStr": {"true"}} }

func pathID(id int64) string { return fmt.Sprint(id) }
