package paypal

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Webhook event types vfpanel handles.
const (
	EventCaptureCompleted = "PAYMENT.CAPTURE.COMPLETED"
	EventCapturePending   = "PAYMENT.CAPTURE.PENDING"
	EventCaptureDenied    = "PAYMENT.CAPTURE.DENIED"
	EventCaptureDeclined  = "PAYMENT.CAPTURE.DECLINED"
	EventCaptureRefunded  = "PAYMENT.CAPTURE.REFUNDED"
	EventCaptureReversed  = "PAYMENT.CAPTURE.REVERSED"
	EventOrderApproved    = "CHECKOUT.ORDER.APPROVED"
	EventOrderCompleted   = "CHECKOUT.ORDER.COMPLETED"
)

// Webhook delivery headers.
const (
	HeaderTransmissionID   = "Paypal-Transmission-Id"
	HeaderTransmissionTime = "Paypal-Transmission-Time"
	HeaderTransmissionSig  = "Paypal-Transmission-Sig"
	HeaderCertURL          = "Paypal-Cert-Url"
	HeaderAuthAlgo         = "Paypal-Auth-Algo"
)

// AuthAlgo is the only signature algorithm accepted.
const AuthAlgo = "SHA256withRSA"

// MaxClockSkew is how far a delivery's transmission time may be from now,
// either way; older deliveries are treated as replays.
const MaxClockSkew = 10 * time.Minute

// certPathPrefix is where PayPal serves its signing certificates.
const certPathPrefix = "/v1/notifications/certs/"

// WebhookEvent is a verified webhook delivery.
type WebhookEvent struct {
	ID              string // WH-…; deliveries repeat, so dedupe on it
	EventType       string // e.g. PAYMENT.CAPTURE.COMPLETED
	ResourceType    string // capture, refund, checkout-order
	ResourceVersion string
	Summary         string
	CreateTime      time.Time
	Resource        json.RawMessage
	TransmissionID  string
}

// Capture reads the event's resource as a capture (PAYMENT.CAPTURE.*
// except REFUNDED, whose resource is the refund).
func (e *WebhookEvent) Capture() (*Capture, error) {
	if err := e.want("capture", "capture"); err != nil {
		return nil, err
	}
	var w wireCapture
	if err := json.Unmarshal(e.Resource, &w); err != nil || w.ID == "" {
		return nil, badEvent(e, "capture", err)
	}
	c, err := w.capture()
	if err != nil {
		return nil, badEvent(e, "capture", err)
	}
	return &c, nil
}

// Refund reads the event's resource as a refund (PAYMENT.CAPTURE.REFUNDED).
// CaptureID comes from the refund's "up" link.
func (e *WebhookEvent) Refund() (*Refund, error) {
	if err := e.want("refund", "refund"); err != nil {
		return nil, err
	}
	var w wireRefund
	if err := json.Unmarshal(e.Resource, &w); err != nil || w.ID == "" {
		return nil, badEvent(e, "refund", err)
	}
	r, err := w.refund()
	if err != nil {
		return nil, badEvent(e, "refund", err)
	}
	return r, nil
}

// Order reads the event's resource as an order (CHECKOUT.ORDER.*); CustomID
// is purchase_units[0].custom_id.
func (e *WebhookEvent) Order() (*Order, error) {
	if err := e.want("checkout-order", "order"); err != nil {
		return nil, err
	}
	var w wireOrder
	if err := json.Unmarshal(e.Resource, &w); err != nil {
		return nil, badEvent(e, "order", err)
	}
	o, err := w.order()
	if err != nil {
		return nil, badEvent(e, "order", err)
	}
	return o, nil
}

// want refuses reading a resource as the wrong kind; an absent
// resource_type is tolerated.
func (e *WebhookEvent) want(resourceType, what string) error {
	if e.ResourceType != "" && e.ResourceType != resourceType {
		return badEvent(e, what, fmt.Errorf("resource_type is %q", e.ResourceType))
	}
	return nil
}

func badEvent(e *WebhookEvent, what string, err error) error {
	return &panel.Error{Code: panel.EINVALID, Message: fmt.Sprintf("Webhook %s %s has no readable %s.", e.ID, e.EventType, what), Err: err}
}

// VerifyWebhook checks that a delivery was signed by PayPal for this
// client's webhook and is recent, then parses it. rawBody must be the bytes
// as received. Forged, stale or badly certified deliveries are
// panel.EUNAUTHORIZED; a certificate PayPal cannot serve is panel.EUPSTREAM.
func (c *Client) VerifyWebhook(ctx context.Context, headers http.Header, rawBody []byte) (*WebhookEvent, error) {
	if c.webhookID == "" {
		return nil, &panel.Error{Code: panel.EINTERNAL, Message: "PayPal webhook id is not configured."}
	}
	id := headers.Get(HeaderTransmissionID)
	ts := headers.Get(HeaderTransmissionTime)
	sig64 := headers.Get(HeaderTransmissionSig)
	certURL := headers.Get(HeaderCertURL)
	algo := headers.Get(HeaderAuthAlgo)
	if id == "" || ts == "" || sig64 == "" || certURL == "" || algo == "" {
		return nil, unauthorized("missing PayPal signature headers", nil)
	}
	if algo != AuthAlgo {
		return nil, unauthorized(fmt.Sprintf("unsupported auth algorithm %q", algo), nil)
	}
	sent, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return nil, unauthorized("unreadable transmission time", err)
	}
	if d := c.now().Sub(sent); d > MaxClockSkew || d < -MaxClockSkew {
		return nil, unauthorized(fmt.Sprintf("stale transmission time %s", ts), nil)
	}
	sig, err := base64.StdEncoding.DecodeString(sig64)
	if err != nil {
		return nil, unauthorized("unreadable signature", err)
	}
	u, err := c.checkCertURL(certURL)
	if err != nil {
		return nil, err
	}
	cert, err := c.cert(ctx, u)
	if err != nil {
		return nil, err
	}
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		return nil, unauthorized("signing certificate has no RSA key", nil)
	}
	msg := fmt.Sprintf("%s|%s|%s|%d", id, ts, c.webhookID, crc32.ChecksumIEEE(rawBody))
	if err := cert.CheckSignature(x509.SHA256WithRSA, []byte(msg), sig); err != nil {
		return nil, unauthorized("signature does not match (forged, altered, or for another webhook id)", err)
	}

	ev, err := ParseWebhookEvent(rawBody)
	if err != nil {
		return nil, err
	}
	ev.TransmissionID = id
	return ev, nil
}

// ParseWebhookEvent decodes a delivery's body. It checks nothing about
// who sent it: use VerifyWebhook for deliveries.
func ParseWebhookEvent(rawBody []byte) (*WebhookEvent, error) {
	var w struct {
		ID              string          `json:"id"`
		EventType       string          `json:"event_type"`
		ResourceType    string          `json:"resource_type"`
		ResourceVersion string          `json:"resource_version"`
		Summary         string          `json:"summary"`
		CreateTime      time.Time       `json:"create_time"`
		Resource        json.RawMessage `json:"resource"`
	}
	if err := json.Unmarshal(rawBody, &w); err != nil || w.ID == "" || w.EventType == "" {
		return nil, &panel.Error{Code: panel.EINVALID, Message: "Webhook event is not readable.", Err: err}
	}
	return &WebhookEvent{
		ID: w.ID, EventType: w.EventType, ResourceType: w.ResourceType, ResourceVersion: w.ResourceVersion,
		Summary: w.Summary, CreateTime: w.CreateTime, Resource: w.Resource,
	}, nil
}

func unauthorized(why string, err error) *panel.Error {
	return &panel.Error{Code: panel.EUNAUTHORIZED, Message: "PayPal webhook rejected: " + why + ".", Err: err}
}

// checkCertURL refuses certificate URLs an attacker could control: only
// trusted hosts, PayPal's cert path, no userinfo, query or fragment, and
// https unless the host is a trusted non-PayPal host (the simulator).
func (c *Client) checkCertURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, unauthorized("unreadable cert URL", err)
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "":
		return nil, unauthorized("cert URL has userinfo, query or fragment", nil)
	case !c.trustedHost(u):
		return nil, unauthorized(fmt.Sprintf("cert host %q is not trusted", u.Host), nil)
	case u.Scheme == "https":
	case u.Scheme == "http" && host != "paypal.com" && !strings.HasSuffix(host, ".paypal.com"):
	default:
		return nil, unauthorized(fmt.Sprintf("cert URL scheme %q is not allowed for %s", u.Scheme, host), nil)
	}
	if !strings.HasPrefix(u.Path, certPathPrefix) || len(u.Path) == len(certPathPrefix) ||
		path.Clean(u.Path) != u.Path || u.RawPath != "" {
		return nil, unauthorized("cert URL path is not under "+certPathPrefix, nil)
	}
	return u, nil
}

// trustedHost matches u's host against TrustedCertHosts; an entry without
// a port matches any port.
func (c *Client) trustedHost(u *url.URL) bool {
	hostport, host := strings.ToLower(u.Host), strings.ToLower(u.Hostname())
	if host == "" {
		return false
	}
	for _, t := range c.certHosts {
		if t == hostport {
			return true
		}
		if _, _, err := net.SplitHostPort(t); err != nil && strings.Trim(t, "[]") == host {
			return true
		}
	}
	return false
}

// maxCert bounds a certificate download; PayPal's PEM chain is ~5 KB.
const maxCert = 64 << 10

// cert returns the signing certificate at u, from the cache when possible,
// checked for validity now.
func (c *Client) cert(ctx context.Context, u *url.URL) (*x509.Certificate, error) {
	key := u.String()
	now := c.now()
	if leaf, ok := c.certs.get(key); ok {
		if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
			c.certs.drop(key)
			return nil, unauthorized("signing certificate is outside its validity period", nil)
		}
		return leaf, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, key, nil)
	if err != nil {
		return nil, unauthorized("bad cert URL", err)
	}
	// A redirect could leave the trusted host; certificates are never redirected.
	client := *c.http
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("paypal: fetch webhook cert: %w", transportError(ctx, err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxCert+1))
	if err != nil {
		return nil, fmt.Errorf("paypal: fetch webhook cert: %w", transportError(ctx, err))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, upstream("PayPal's signing certificate could not be fetched.", fmt.Errorf("GET %s: status %d", key, resp.StatusCode))
	}
	if len(raw) > maxCert {
		return nil, unauthorized("signing certificate is too large", nil)
	}
	chain, err := parsePEMCerts(raw)
	if err != nil {
		return nil, unauthorized("unreadable signing certificate", err)
	}
	if len(chain) == 0 {
		return nil, unauthorized("no certificate at cert URL", nil)
	}
	leaf := chain[0]
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return nil, unauthorized("signing certificate is outside its validity period", nil)
	}
	if u.Scheme == "https" {
		if err := c.verifyChain(ctx, chain, now); err != nil {
			return nil, err
		}
	}
	c.certs.put(key, leaf)
	return leaf, nil
}

// verifyChain checks that leaf chains to a trusted root and is PayPal's
// message-verification certificate, as PayPal's SDKs do. The cert URL may
// serve the leaf alone: the configured issuers complete the chain, and
// failing them the issuer named by the leaf's AIA URL on an allowed host.
func (c *Client) verifyChain(ctx context.Context, chain []*x509.Certificate, now time.Time) error {
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, ic := range chain[1:] {
		inter.AddCert(ic)
	}
	issuers, roots := c.issuers, c.certRoots
	if issuers == nil {
		issuers = shippedIssuers()
	}
	if roots == nil {
		roots = shippedRoots()
	}
	for _, ic := range issuers {
		inter.AddCert(ic)
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	_, err := leaf.Verify(opts)
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		if issuer := c.fetchIssuer(ctx, leaf); issuer != nil {
			inter.AddCert(issuer)
			_, err = leaf.Verify(opts)
		}
	}
	if err != nil {
		return unauthorized("signing certificate is not trusted", err)
	}
	cn := leaf.Subject.CommonName
	if cn != "messageverificationcerts.paypal.com" && cn != "messageverificationcerts.sandbox.paypal.com" {
		return unauthorized(fmt.Sprintf("signing certificate is for %q", cn), errors.New("unexpected subject"))
	}
	return nil
}

// fetchIssuer downloads (once) the issuing CA the leaf's AIA extension
// names, from an allowed host only; nil when there is none or it fails.
// Its trust still comes from chaining to the roots.
func (c *Client) fetchIssuer(ctx context.Context, leaf *x509.Certificate) *x509.Certificate {
	for _, raw := range leaf.IssuingCertificateURL {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !slices.Contains(c.aiaHosts, strings.ToLower(u.Host)) {
			continue
		}
		if cert, ok := c.fetched.get(raw); ok {
			return cert
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
		if err != nil {
			continue
		}
		client := *c.http
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCert+1))
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(body) > maxCert {
			continue
		}
		// caIssuers answers DER (RFC 5280 4.2.2.1); accept PEM too.
		cert, err := x509.ParseCertificate(body)
		if err != nil {
			certs, perr := parsePEMCerts(body)
			if perr != nil || len(certs) == 0 {
				continue
			}
			cert = certs[0]
		}
		if !cert.IsCA {
			continue
		}
		c.fetched.put(raw, cert)
		return cert
	}
	return nil
}

// maxCerts bounds the cache; PayPal rotates certs rarely, so a few suffice.
const maxCerts = 8

// certCache maps cert URLs to parsed leaf certificates.
type certCache struct {
	mu    sync.Mutex
	certs map[string]*x509.Certificate
	order []string // insertion order, oldest first
}

func (cc *certCache) get(key string) (*x509.Certificate, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	c, ok := cc.certs[key]
	return c, ok
}

func (cc *certCache) put(key string, cert *x509.Certificate) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.certs == nil {
		cc.certs = map[string]*x509.Certificate{}
	}
	if _, ok := cc.certs[key]; !ok {
		cc.order = append(cc.order, key)
	}
	cc.certs[key] = cert
	for len(cc.order) > maxCerts {
		delete(cc.certs, cc.order[0])
		cc.order = cc.order[1:]
	}
}

func (cc *certCache) drop(key string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.certs, key)
	for i, k := range cc.order {
		if k == key {
			cc.order = append(cc.order[:i], cc.order[i+1:]...)
			break
		}
	}
}
