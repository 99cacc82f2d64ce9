// Package paypal is vfpanel's client for the PayPal REST API: OAuth
// client-credentials tokens, Orders v2 (create, get, capture), refunds, and
// self-verification of webhook deliveries.
package paypal

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Base URLs of PayPal's REST API.
const (
	SandboxURL = "https://api-m.sandbox.paypal.com"
	LiveURL    = "https://api-m.paypal.com"
)

// Config configures a Client.
type Config struct {
	BaseURL      string // API root, e.g. SandboxURL; the simulator's URL in tests
	ClientID     string
	ClientSecret string
	WebhookID    string // id of the webhook whose deliveries VerifyWebhook accepts

	// TrustedCertHosts are the hosts allowed to serve webhook signing
	// certificates ("api.paypal.com", or "127.0.0.1:8081" for the simulator).
	// An entry without a port matches any port. Plain http is accepted only
	// for trusted hosts outside paypal.com (a simulator).
	TrustedCertHosts []string
	// CertRoots verifies the chain of certificates fetched over https; nil
	// means the system roots plus DigiCert's High Assurance EV root (shipped
	// by PayPal's SDKs). Certificates from trusted http hosts are not
	// chain-verified.
	CertRoots *x509.CertPool
	// CertIssuers complete a chain when the cert URL serves the leaf
	// only, as PayPal's may: nil means the DigiCert intermediate PayPal's
	// SDKs ship. Intermediates the cert URL serves are used as well.
	CertIssuers []*x509.Certificate
	// IssuerHosts are the hosts a missing issuing CA may be fetched from,
	// following the leaf's Authority Information Access URL (PayPal may
	// move to an issuer no SDK ships). nil means DigiCert's
	// "cacerts.digicert.com". The fetched CA is trusted only if it chains
	// to CertRoots.
	IssuerHosts []string

	HTTPClient *http.Client     // nil means a client with a 15 s timeout
	Clock      func() time.Time // nil means time.Now
	MaxRetries int              // retries of idempotent calls on 429/5xx/network errors; 0 means 2, <0 none
	Backoff    time.Duration    // first retry delay, doubled each time; 0 means 200 ms
}

// Client talks to PayPal. It is safe for concurrent use.
type Client struct {
	base       string
	id, secret string
	webhookID  string
	certHosts  []string
	certRoots  *x509.CertPool
	issuers    []*x509.Certificate
	aiaHosts   []string
	http       *http.Client
	now        func() time.Time
	retries    int
	backoff    time.Duration

	tokMu  sync.Mutex // held while fetching so concurrent callers share one fetch
	tok    string
	tokExp time.Time

	certs   certCache
	fetched certCache // issuing CAs fetched by AIA URL
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	c := &Client{
		base:      strings.TrimSuffix(cfg.BaseURL, "/"),
		id:        cfg.ClientID,
		secret:    cfg.ClientSecret,
		webhookID: cfg.WebhookID,
		certRoots: cfg.CertRoots,
		issuers:   cfg.CertIssuers,
		http:      cfg.HTTPClient,
		now:       cfg.Clock,
		retries:   cfg.MaxRetries,
		backoff:   cfg.Backoff,
	}
	for _, h := range cfg.IssuerHosts {
		c.aiaHosts = append(c.aiaHosts, strings.ToLower(strings.TrimSpace(h)))
	}
	for _, h := range cfg.TrustedCertHosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			c.certHosts = append(c.certHosts, h)
		}
	}
	if c.base == "" {
		c.base = SandboxURL
	}
	if c.aiaHosts == nil {
		c.aiaHosts = []string{"cacerts.digicert.com"}
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 15 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.retries == 0 {
		c.retries = 2
	}
	if c.backoff <= 0 {
		c.backoff = 200 * time.Millisecond
	}
	return c
}

// tokenMargin is how long before expires_in a token is renewed, so a token
// never expires between the check and PayPal reading it.
const tokenMargin = 5 * time.Minute

// token returns a cached access token, fetching one when none is fresh.
func (c *Client) token(ctx context.Context) (string, error) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.tok != "" && c.now().Before(c.tokExp) {
		return c.tok, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	err := c.send(ctx, call{
		method: http.MethodPost, path: "/v1/oauth2/token",
		body: []byte(form.Encode()), contentType: "application/x-www-form-urlencoded",
		basicAuth: true, idempotent: true,
	}, &out)
	if err != nil {
		return "", fmt.Errorf("paypal: get token: %w", err)
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("paypal: get token: %w", upstream("PayPal returned no access token.", nil))
	}
	life := time.Duration(out.ExpiresIn) * time.Second
	margin := tokenMargin
	if life/10 < margin {
		margin = life / 10
	}
	c.tok, c.tokExp = out.AccessToken, c.now().Add(life-margin)
	return c.tok, nil
}

// dropToken forgets tok if it is still the cached token.
func (c *Client) dropToken(tok string) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.tok == tok {
		c.tok = ""
	}
}

// call is one API request.
type call struct {
	method, path string
	body         []byte
	contentType  string
	header       http.Header
	basicAuth    bool // client credentials instead of a bearer token
	idempotent   bool // safe to retry (GET, or POST with PayPal-Request-Id)
}

// do sends an authenticated API call with a JSON body, renewing the token
// once if PayPal answers 401, and decodes the JSON answer into out.
func (c *Client) do(ctx context.Context, cl call, in, out any) (status int, err error) {
	if in != nil {
		if cl.body, err = json.Marshal(in); err != nil {
			return 0, err
		}
		cl.contentType = "application/json"
	}
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx)
		if err != nil {
			return 0, err
		}
		h := cl.header.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set("Authorization", "Bearer "+tok)
		cl2 := cl
		cl2.header = h
		status, err = c.sendStatus(ctx, cl2, out)
		var ae *APIError
		if attempt == 0 && errors.As(err, &ae) && ae.Status == http.StatusUnauthorized {
			c.dropToken(tok)
			continue
		}
		return status, err
	}
}

// send is sendStatus without the status.
func (c *Client) send(ctx context.Context, cl call, out any) error {
	_, err := c.sendStatus(ctx, cl, out)
	return err
}

// sendStatus sends cl, retrying idempotent calls on 429, 5xx and network
// errors, and decodes a 2xx JSON answer into out.
func (c *Client) sendStatus(ctx context.Context, cl call, out any) (int, error) {
	delay := c.backoff
	for attempt := 0; ; attempt++ {
		status, err := c.once(ctx, cl, out)
		if err == nil || !cl.idempotent || attempt >= c.retries || !retryable(err) || ctx.Err() != nil {
			return status, err
		}
		wait := delay
		var ae *APIError
		if errors.As(err, &ae) && ae.RetryAfter > 0 {
			wait = time.Duration(ae.RetryAfter) * time.Second
		}
		if wait > 2*time.Second {
			return status, err // too long to wait inside a request
		}
		select {
		case <-ctx.Done():
			return status, err
		case <-time.After(wait):
		}
		delay *= 2
	}
}

func retryable(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status == http.StatusTooManyRequests || ae.Status >= 500
	}
	var pe *panel.Error
	return errors.As(err, &pe) && (pe.Code == panel.EUNAVAILABLE || pe.Code == panel.ETIMEOUT)
}

// maxResponse bounds how much of an answer is read.
const maxResponse = 1 << 20

// once sends cl a single time.
func (c *Client) once(ctx context.Context, cl call, out any) (int, error) {
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.base+cl.path, body)
	if err != nil {
		return 0, err
	}
	for k, v := range cl.header {
		req.Header[k] = v
	}
	if cl.contentType != "" {
		req.Header.Set("Content-Type", cl.contentType)
	}
	req.Header.Set("Accept", "application/json")
	if cl.basicAuth {
		req.SetBasicAuth(c.id, c.secret)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, transportError(ctx, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return resp.StatusCode, transportError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, decodeError(resp, raw)
	}
	if out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, upstream("PayPal returned an unreadable answer.", fmt.Errorf("decode %d answer: %w", resp.StatusCode, err))
		}
	}
	return resp.StatusCode, nil
}

// transportError classifies a failed round trip.
func transportError(ctx context.Context, err error) error {
	var ne interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &panel.Error{Code: panel.ETIMEOUT, Message: "PayPal did not answer in time.", Err: err}
	}
	if ctx.Err() != nil {
		return &panel.Error{Code: panel.EUNAVAILABLE, Message: "The request was cancelled.", Err: err}
	}
	return &panel.Error{Code: panel.EUNAVAILABLE, Message: "PayPal is unreachable.", Err: err}
}

func upstream(msg string, err error) *panel.Error {
	return &panel.Error{Code: panel.EUPSTREAM, Message: msg, Err: err}
}

// retryAfter parses a Retry-After header in seconds (0 when absent).
func retryAfter(h http.Header) int {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// Ping asks PayPal for a new OAuth token (client credentials), whatever
// the cache holds, and keeps it: the health check of the credentials.
func (c *Client) Ping(ctx context.Context) error {
	c.tokMu.Lock()
	c.tok = ""
	c.tokMu.Unlock()
	_, err := c.token(ctx)
	return err
}
