// Package vfsim is a stateful simulator of the VirtFusion v1 admin API (and
// the bits of the panel UI a client touches: SSO landing page, VNC websocket,
// OS icons). It follows /work/shared/virtfusion-api.md: same paths, status
// codes and JSON shapes, quirks included. Only tests and the local runner
// import it.
package vfsim

import (
	"context"
	"errors"
	"fmt"
	"github.com/vfpanel/vfpanel/internal/sim/simstate"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configures a Sim. Zero values pick sensible defaults.
type Options struct {
	// Token is the bearer token the API expects. Empty accepts any non-empty bearer.
	Token string
	// BuildDelay is how long a build stays queued (default 8s).
	BuildDelay time.Duration
	// PowerDelay is how long power and password tasks take (default 3s).
	PowerDelay time.Duration
	// Seed adds demo users, servers and keys on top of the always-present
	// packages, locations, templates and IP pools.
	Seed bool
	// Clock returns the current time (default time.Now). State moves on
	// whenever the sim is touched, judged by this clock.
	Clock func() time.Time
	// PublicHost is the panel base URL (e.g. "http://127.0.0.1:8090") used in
	// pagination, SSO and VNC URLs. Default: derived from each request.
	PublicHost string
	// WebhookURL, when set, receives VirtFusion-style webhooks (see EmitWebhooks).
	WebhookURL string
	// WebhookToken is sent base64-encoded as the webhook bearer token.
	WebhookToken string
	// WebhookRetryDelay is the first retry backoff for webhooks (default 1s, doubles).
	WebhookRetryDelay time.Duration
	// Logger receives delivery errors and the like (default slog.Default()).
	Logger *slog.Logger
	// StateFile, when set, keeps customer state across restarts: New loads
	// it when it exists (instead of seeding demo data) and the sim saves it
	// (JSON, atomically) at most every 500 ms after changes and on Close.
	// Empty keeps state in memory only. Use NewWithState to get load
	// errors instead of a panic.
	StateFile string
}

// Fault makes the API misbehave for matching requests.
type Fault struct {
	// Latency delays each matching request before anything else happens.
	Latency time.Duration
	// Status, when 5xx, answers with that status and a Laravel error body.
	Status int
	// AfterApply, with Status, carries the request out first and only then
	// answers Status: a change made whose answer was lost.
	AfterApply bool
	// RateLimit, when > 0, answers 429 with Retry-After set to this many seconds.
	RateLimit int
	// Timeout hangs until the client gives up (request context done).
	Timeout bool
	// MalformedJSON answers 200 with a truncated JSON body.
	MalformedJSON bool
	// Skip is how many matching requests pass before the fault applies.
	Skip int
	// Times is how many matching requests are affected; 0 = all until cleared.
	Times int
	// PathPrefix limits the fault to paths with this prefix, relative to
	// /api/v1 (e.g. "/servers") or absolute ("/api/v1/servers"). Empty = all.
	PathPrefix string
}

// Call is one API request the simulator received.
type Call struct {
	Method string
	Path   string // e.g. /api/v1/servers/1
	Query  string
	Time   time.Time
}

// Sim is the simulated VirtFusion control server.
type Sim struct {
	opts Options
	log  *slog.Logger

	mu          sync.Mutex
	users       map[int]*user
	servers     map[int]*server
	packages    map[int]*pkg
	groups      map[int]*group
	hypervisors map[int]*hypervisor
	osGroups    []osGroup
	templates   []template
	blocks      map[int]*ipBlock
	keys        map[int]*sshKey
	queue       map[int]*queueItem
	credits     map[int]*credit
	sso         map[string]ssoToken // key: token1 + ":" + token2
	vncTokens   map[string]vncToken
	fault       *Fault
	calls       []Call
	hookURL     string
	hookToken   string
	seq         struct{ user, server, key, queue, credit, ip, v6 int }

	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	ticking bool
	srv     *http.Server
	handler http.Handler
	persist *simstate.Persister // nil without StateFile
}

// New returns a simulator with packages, locations, templates and IP pools
// in place, plus demo customers when opts.Seed is set. With a StateFile it
// panics when the file cannot be loaded; NewWithState returns the error.
func New(opts Options) *Sim {
	s, err := NewWithState(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// NewWithState is New that reports an unreadable or incompatible
// opts.StateFile as an error. Customer state comes from the file when it
// exists (opts.Seed is then ignored); otherwise the sim starts as New does
// and creates the file on the first save.
func NewWithState(opts Options) (*Sim, error) {
	if opts.BuildDelay <= 0 {
		opts.BuildDelay = 8 * time.Second
	}
	if opts.PowerDelay <= 0 {
		opts.PowerDelay = 3 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.WebhookRetryDelay <= 0 {
		opts.WebhookRetryDelay = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	opts.PublicHost = strings.TrimRight(opts.PublicHost, "/")
	s := &Sim{
		opts:      opts,
		log:       opts.Logger.With("component", "vfsim"),
		users:     map[int]*user{},
		servers:   map[int]*server{},
		keys:      map[int]*sshKey{},
		queue:     map[int]*queueItem{},
		credits:   map[int]*credit{},
		sso:       map[string]ssoToken{},
		vncTokens: map[string]vncToken{},
		seq:       struct{ user, server, key, queue, credit, ip, v6 int }{user: 0, server: 100, queue: 1000},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	now := s.now()
	s.seedInfra(now)
	loaded, err := simstate.Load("vfsim", opts.StateFile, s.loadState, func() error {
		if opts.Seed {
			s.seedDemo(now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.persist = simstate.New(opts.StateFile, s.log, s.snapshotState)
	if !loaded {
		s.persist.MarkDirty() // write the seeded state even if nothing happens
	}
	s.handler = s.routes()
	if opts.WebhookURL != "" {
		s.EmitWebhooks(opts.WebhookURL, opts.WebhookToken)
	}
	return s, nil
}

func (s *Sim) now() time.Time { return s.opts.Clock().UTC() }

// Handler serves the panel root: the API under /api/v1, /token_authenticate/,
// /vnc/ and /img/logo/.
func (s *Sim) Handler() http.Handler { return s.handler }

// Start listens on addr ("127.0.0.1:0" for a free port), serves Handler and
// returns the panel base URL. It also starts the background ticker so
// builds, power tasks and scheduled deletes progress without polling.
func (s *Sim) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "err", err)
		}
	}()
	s.startTicker()
	url := "http://" + ln.Addr().String()
	s.mu.Lock()
	if s.opts.PublicHost == "" {
		s.opts.PublicHost = url
	}
	s.mu.Unlock()
	return url, nil
}

// Close stops the server, the ticker and pending webhook deliveries, and
// writes the state file one last time.
func (s *Sim) Close() error {
	s.cancel()
	var err error
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = s.srv.Shutdown(ctx)
		cancel()
	}
	s.wg.Wait()
	if perr := s.persist.Close(); perr != nil && err == nil {
		err = fmt.Errorf("vfsim: save state file: %w", perr)
	}
	return err
}

// startTicker advances state in the background, which webhooks need
// (nobody may poll). Idempotent.
func (s *Sim) startTicker() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ticking {
		return
	}
	s.ticking = true
	every := min(s.opts.BuildDelay, s.opts.PowerDelay) / 5
	every = max(5*time.Millisecond, min(every, 500*time.Millisecond))
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.ctx.Done():
				return
			case <-t.C:
				s.mu.Lock()
				s.tickLocked(s.now())
				s.mu.Unlock()
			}
		}
	}()
}

// SetFault replaces the active fault.
func (s *Sim) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.PathPrefix != "" && !strings.HasPrefix(f.PathPrefix, "/api/v1") {
		f.PathPrefix = "/api/v1" + f.PathPrefix
	}
	s.fault = &f
}

// ClearFaults removes any active fault.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = nil
}

// Calls returns the API requests received so far, oldest first.
func (s *Sim) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// ResetCalls forgets recorded calls.
func (s *Sim) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// EmitWebhooks makes the sim POST VirtFusion-style webhooks to url for
// server build completion, suspend, unsuspend, delete and power changes.
// An empty url turns them off.
func (s *Sim) EmitWebhooks(url, token string) {
	s.mu.Lock()
	s.hookURL, s.hookToken = url, token
	s.mu.Unlock()
	if url != "" {
		s.startTicker()
	}
}

// Advance finishes every pending task and due deletion now, whatever the
// delays say, so tests need not wait.
func (s *Sim) Advance() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, id := range sortedKeys(s.queue) {
		q := s.queue[id]
		if q.Finished == nil {
			s.finishLocked(q, now)
		}
	}
	s.tickLocked(now)
}

// tickLocked moves state on to now: finished tasks, scheduled deletes,
// traffic and disk counters.
func (s *Sim) tickLocked(now time.Time) {
	for _, id := range sortedKeys(s.queue) {
		q := s.queue[id]
		if q.Finished == nil && !now.Before(q.Due) {
			s.finishLocked(q, now)
		}
	}
	for _, id := range sortedKeys(s.servers) {
		sv := s.servers[id]
		if sv.DeleteAt != nil && !now.Before(*sv.DeleteAt) {
			s.deleteLocked(sv, true)
			continue
		}
		dt := now.Sub(sv.LastTick).Seconds()
		if dt > 0 && sv.Running {
			sv.RxBytes += sv.RxRate * dt
			sv.TxBytes += sv.TxRate * dt
			sv.RdBytes += sv.RxRate * 0.4 * dt
			sv.WrBytes += sv.TxRate * 0.8 * dt
		}
		if dt > 0 {
			sv.LastTick = now
		}
	}
}

func (s *Sim) finishLocked(q *queueItem, now time.Time) {
	t := now
	q.Finished = &t
	if sv := s.servers[q.ServerID]; sv != nil {
		if sv.ActiveTask == q.ID {
			sv.ActiveTask = 0
		}
		sv.LastTask = now
		sv.Updated = now
	}
	// A server deleted mid-task never completes its task.
	if sv := s.servers[q.ServerID]; sv != nil {
		s.applyTaskLocked(q, sv, now)
	}
	s.persist.MarkDirty()
}

// deleteLocked removes a server and frees its addresses.
func (s *Sim) deleteLocked(sv *server, hook bool) {
	if hook {
		s.emitLocked("server.delete", sv)
	}
	for _, ip := range sv.IPv4 {
		if b := s.blocks[ip.BlockID]; b != nil {
			delete(b.Used, ip.Addr)
		}
	}
	delete(s.servers, sv.ID)
	s.persist.MarkDirty()
}

// DeleteServerBehindPanel removes a server as if an admin deleted it in the
// VirtFusion UI: no webhook, later calls get 404.
func (s *Sim) DeleteServerBehindPanel(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sv := s.servers[id]
	if sv == nil {
		return false
	}
	s.deleteLocked(sv, false)
	return true
}
