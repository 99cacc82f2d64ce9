// Package paypalsim simulates the parts of PayPal's REST API vfpanel uses:
// OAuth tokens, Orders v2, capture refunds, the payer approval page, signing
// certificates and signed webhook deliveries. It keeps state like the real
// service and is imported only by tests and the local runner.
package paypalsim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"github.com/vfpanel/vfpanel/internal/sim/simstate"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	ClientID     string // required for /v1/oauth2/token; default "sim-client"
	ClientSecret string // default "sim-secret"
	WebhookID    string // signed into every delivery; default "WEBHOOK_ID"
	WebhookURL   string // where events are POSTed; empty keeps them undelivered (still recorded)
	PublicURL    string // the simulator's own base URL for links; Start sets it when empty
	// AutoApprove makes the approval page approve at once and redirect to
	// the return URL, for browser tests that do not click.
	AutoApprove bool
	Clock       func() time.Time // nil means time.Now

	// DuplicateDeliveries re-sends each event this many extra times (same
	// event id, new transmission), as PayPal sometimes does.
	DuplicateDeliveries int
	MaxAttempts         int           // delivery attempts per event; default 5
	RetryBackoff        time.Duration // first retry delay, doubled; default 50 ms
	HTTPClient          *http.Client  // for deliveries; default 10 s timeout
	TokenTTL            time.Duration // access-token lifetime; default 9 h like PayPal

	// FullCertChain serves the signing certificate followed by its issuing
	// CA; by default only the leaf is served, as PayPal's cert URL may do.
	// Either way the chain is root → issuing CA → leaf (see CertRoot and
	// CertIssuer), like PayPal's DigiCert chain.
	FullCertChain bool

	// StateFile, when set, keeps orders, captures, refunds, access tokens,
	// stored events and the signing certificate and key across restarts.
	// New loads it when it exists and the simulator saves it (JSON,
	// atomically) at most every 500 ms after changes and on Close. Pending
	// webhook deliveries are not kept. Empty keeps state in memory only.
	// Use NewWithState to get load errors instead of a panic.
	StateFile string
}

// Server is a simulated PayPal. Create it with New.
type Server struct {
	// URL is the base URL after Start.
	URL string

	opts     Options
	now      func() time.Time
	mux      *http.ServeMux
	key      *rsa.PrivateKey
	certPEM  []byte // the signing (leaf) certificate
	chainPEM []byte // its issuing CA then the root, for FullCertChain
	certURL  string // set once the public URL is known
	certName string // last path element of certURL, kept across restarts
	handler  http.Handler
	persist  *simstate.Persister // nil without StateFile

	mu         sync.Mutex
	publicURL  string
	tokens     map[string]time.Time // token → expiry
	tokenCalls int
	orders     map[string]*order
	captures   map[string]*capture
	refunds    map[string]*refund
	idem       map[string]replay // op|PayPal-Request-Id → first answer
	invoices   map[string]bool
	events     map[string]*event
	eventOrder []string
	deliveries []Delivery
	fault      Fault
	faultLeft  int

	holdReason string // captures come back PENDING with this reason

	setupTokens   map[string]*setupToken
	paymentTokens map[string]*paymentToken
	declineVault  bool // the next merchant-initiated order is declined

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	deliveryState
	srv *http.Server
}

// certKey is shared by all simulators in a process: RSA 2048 generation is
// slow, and a per-instance certificate is enough to tell them apart.
var certKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// New returns a simulator. It panics if the system cannot generate keys or
// opts.StateFile cannot be loaded; NewWithState returns the latter error.
func New(opts Options) *Server {
	s, err := NewWithState(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// NewWithState is New that reports an unreadable or incompatible
// opts.StateFile as an error. State, certificate and key come from the
// file when it exists; otherwise the simulator starts empty and creates
// the file on the first save.
func NewWithState(opts Options) (*Server, error) {
	if opts.ClientID == "" {
		opts.ClientID = "sim-client"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "sim-secret"
	}
	if opts.WebhookID == "" {
		opts.WebhookID = "WEBHOOK_ID"
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.RetryBackoff <= 0 {
		opts.RetryBackoff = 50 * time.Millisecond
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 9 * time.Hour
	}
	s := &Server{
		opts:     opts,
		now:      opts.Clock,
		tokens:   map[string]time.Time{},
		orders:   map[string]*order{},
		captures: map[string]*capture{},
		refunds:  map[string]*refund{},
		idem:     map[string]replay{},
		invoices: map[string]bool{},
		events:   map[string]*event{},

		setupTokens:   map[string]*setupToken{},
		paymentTokens: map[string]*paymentToken{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.idle = sync.NewCond(&s.idleMu)
	loaded, err := simstate.Load("paypalsim", opts.StateFile, s.loadState, s.newCert)
	if err != nil {
		return nil, err
	}
	s.routes()
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mux.ServeHTTP(w, r)
		if r.Method != http.MethodGet {
			s.persist.MarkDirty() // tokens, orders, idempotency answers
		}
	})
	s.persist = simstate.New(opts.StateFile, slog.Default().With("component", "paypalsim"), s.snapshotState)
	if !loaded {
		s.persist.MarkDirty() // keep the certificate even if nothing else happens
	}
	if opts.PublicURL != "" {
		s.SetPublicURL(opts.PublicURL)
	}
	return s, nil
}

// simCA is a root and an issuing CA, shared by all simulators in a
// process, standing in for DigiCert's root and intermediate.
type simCA struct {
	root, issuer *x509.Certificate
	issuerKey    *ecdsa.PrivateKey
}

var certAuthority = sync.OnceValues(func() (*simCA, error) {
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	issuerKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"paypalsim"}},
			NotBefore: now.AddDate(-5, 0, 0), NotAfter: now.AddDate(20, 0, 0), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	}
	rootTmpl := ca(1, "paypalsim High Assurance EV Root CA")
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	root, _ := x509.ParseCertificate(rootDER)
	issuerDER, err := x509.CreateCertificate(rand.Reader, ca(2, "paypalsim SHA2 Extended Validation Server CA"), root, &issuerKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	issuer, _ := x509.ParseCertificate(issuerDER)
	return &simCA{root: root, issuer: issuer, issuerKey: issuerKey}, nil
})

// CertRoot is the root CA of the simulator's signing certificate, for
// clients that verify the chain (paypal.Config.CertRoots).
func CertRoot() *x509.Certificate {
	ca, err := certAuthority()
	if err != nil {
		panic(fmt.Sprintf("paypalsim: certificate authority: %v", err))
	}
	return ca.root
}

// CertIssuer is the CA that issues the simulator's signing certificate;
// it is not served unless FullCertChain is set (paypal.Config.CertIssuers).
func CertIssuer() *x509.Certificate {
	ca, err := certAuthority()
	if err != nil {
		panic(fmt.Sprintf("paypalsim: certificate authority: %v", err))
	}
	return ca.issuer
}

// newCert makes the webhook signing certificate, issued by the simulator's CA.
func (s *Server) newCert() error {
	key, err := certKey()
	if err != nil {
		return fmt.Errorf("paypalsim: generate key: %w", err)
	}
	ca, err := certAuthority()
	if err != nil {
		return fmt.Errorf("paypalsim: certificate authority: %w", err)
	}
	s.key = key
	now := s.now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: "messageverificationcerts.sandbox.paypal.com", Organization: []string{"PayPal, Inc. (simulated)"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.issuer, &key.PublicKey, ca.issuerKey)
	if err != nil {
		return fmt.Errorf("paypalsim: create certificate: %w", err)
	}
	s.certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	s.chainPEM = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.issuer.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.root.Raw})...)
	s.certName = "CERT-360caa42-fca2a594-" + randHex(4)
	return nil
}

// SetPublicURL sets the base URL used in links and the webhook cert URL,
// for callers serving Handler themselves (httptest.NewServer).
func (s *Server) SetPublicURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publicURL = strings.TrimSuffix(u, "/")
	s.certURL = s.publicURL + "/v1/notifications/certs/" + s.certName
	s.persist.MarkDirty()
}

func (s *Server) base() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.publicURL
}

// CertURL is the PAYPAL-CERT-URL signed deliveries carry.
func (s *Server) CertURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.certURL
}

// Handler serves the simulated API, approval page and certificates.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr ("127.0.0.1:0" for any port) and serves in the
// background. It returns the base URL.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("paypalsim: listen %s: %w", addr, err)
	}
	s.URL = "http://" + ln.Addr().String()
	if s.base() == "" {
		s.SetPublicURL(s.URL)
	}
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("paypalsim: serve", "err", err)
		}
	}()
	return s.URL, nil
}

// Close stops serving, abandons pending deliveries and writes the state
// file one last time.
func (s *Server) Close() error {
	s.cancel()
	var err error
	if s.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = s.srv.Shutdown(ctx)
	}
	s.Flush(context.Background())
	if perr := s.persist.Close(); perr != nil && err == nil {
		err = fmt.Errorf("paypalsim: save state file: %w", perr)
	}
	return err
}

// Fault makes API calls (/v1/oauth2, /v2) misbehave until cleared.
type Fault struct {
	Path       string        // only paths containing this; "" means every API path
	Latency    time.Duration // delay before answering
	Status     int           // answer with this status (5xx, 429) in PayPal's error shape
	RetryAfter int           // Retry-After seconds with Status 429
	Timeout    bool          // never answer; hang until the client gives up
	Malformed  bool          // answer 200 with broken JSON
	Count      int           // affect this many requests; 0 means until ClearFault
}

// SetFault installs f for the following API calls.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault, s.faultLeft = f, f.Count
}

// ClearFault removes any fault.
func (s *Server) ClearFault() { s.SetFault(Fault{}) }

// takeFault returns the fault to apply to a request on path, if any.
func (s *Server) takeFault(path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.fault
	if f == (Fault{}) || (f.Path != "" && !strings.Contains(path, f.Path)) {
		return Fault{}, false
	}
	if f.Count > 0 {
		if s.faultLeft <= 0 {
			return Fault{}, false
		}
		s.faultLeft--
	}
	return f, true
}

// withFaults wraps an API handler with the installed fault.
func (s *Server) withFaults(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.takeFault(r.URL.Path)
		if !ok {
			h(w, r)
			return
		}
		if f.Latency > 0 {
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				return
			case <-s.ctx.Done():
				return
			}
		}
		switch {
		case f.Timeout:
			select {
			case <-r.Context().Done():
			case <-s.ctx.Done():
			}
		case f.Malformed:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, `{"id": "5O19`)
		case f.Status == http.StatusTooManyRequests:
			if f.RetryAfter > 0 {
				w.Header().Set("Retry-After", fmt.Sprint(f.RetryAfter))
			}
			writeError(w, http.StatusTooManyRequests, "RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting.", "", "")
		case f.Status >= 400:
			writeError(w, f.Status, "INTERNAL_SERVER_ERROR", "An internal server error occurred.", "", "")
		default:
			h(w, r)
		}
	}
}

// TokenRequests counts successful /v1/oauth2/token calls.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenCalls
}

// ExpireTokens invalidates every access token issued so far, so the next
// API call answers 401 as PayPal does for an expired token.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	s.persist.MarkDirty()
}
