package paypal_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"io"
	"math/big"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
)

// countingServer is certServer that counts requests per URL.
type countingServer struct {
	files map[string][]byte
	hits  map[string]*atomic.Int32
}

func (cs countingServer) RoundTrip(r *http.Request) (*http.Response, error) {
	if n := cs.hits[r.URL.String()]; n != nil {
		n.Add(1)
	}
	body, ok := cs.files[r.URL.String()]
	status := http.StatusOK
	if !ok {
		status = http.StatusNotFound
	}
	return &http.Response{StatusCode: status, Body: io.NopCloser(bytes.NewReader(body)), Header: http.Header{}, Request: r}, nil
}

// TestVerifyWebhookFetchesIssuer: a leaf-only certificate from an issuer
// nobody shipped is completed by the issuer its AIA URL names, fetched
// once, from an allowed host only, and trusted only through the roots.
func TestVerifyWebhookFetchesIssuer(t *testing.T) {
	const certURL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-aia"
	const issuerURL = "http://cacerts.example.test/NewIssuerCA.crt"
	now := time.Now()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	issuerKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn}, NotBefore: now.Add(-time.Hour),
			NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	}
	mustCert := func(tmpl, parent *x509.Certificate, pub, priv any) *x509.Certificate {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c
	}
	root := mustCert(ca(1, "Test Root"), ca(1, "Test Root"), &rootKey.PublicKey, rootKey)
	issuer := mustCert(ca(2, "Test New Issuer"), root, &issuerKey.PublicKey, rootKey)
	leaf := mustCert(&x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "messageverificationcerts.sandbox.paypal.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		IssuingCertificateURL: []string{issuerURL}}, issuer, &leafKey.PublicKey, issuerKey)
	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw})

	body := []byte(`{"id":"WH-AIA","event_type":"PAYMENT.CAPTURE.COMPLETED"}`)
	ts := now.UTC().Format(time.RFC3339)
	sum := sha256.Sum256([]byte(fmt.Sprintf("tid-1|%s|WH-AIA|%d", ts, crc32.ChecksumIEEE(body))))
	sig, _ := rsa.SignPKCS1v15(nil, leafKey, crypto.SHA256, sum[:])
	h := http.Header{}
	h.Set(paypal.HeaderTransmissionID, "tid-1")
	h.Set(paypal.HeaderTransmissionTime, ts)
	h.Set(paypal.HeaderTransmissionSig, base64.StdEncoding.EncodeToString(sig))
	h.Set(paypal.HeaderCertURL, certURL)
	h.Set(paypal.HeaderAuthAlgo, paypal.AuthAlgo)

	roots := x509.NewCertPool()
	roots.AddCert(root)
	tests := []struct {
		name      string
		hosts     []string
		roots     *x509.CertPool
		code      string
		wantFetch int32
	}{
		{"OK", []string{"cacerts.example.test"}, roots, "", 1},
		{"ErrHostNotAllowed", nil, roots, panel.EUNAUTHORIZED, 0}, // default: DigiCert's host only
		{"ErrFetchedIssuerUntrusted", []string{"cacerts.example.test"}, x509.NewCertPool(), panel.EUNAUTHORIZED, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := countingServer{files: map[string][]byte{certURL: leafPEM, issuerURL: issuer.Raw},
				hits: map[string]*atomic.Int32{issuerURL: {}}}
			c := paypal.New(paypal.Config{WebhookID: "WH-AIA", TrustedCertHosts: []string{"api.sandbox.paypal.com"},
				CertRoots: tt.roots, CertIssuers: []*x509.Certificate{}, IssuerHosts: tt.hosts,
				HTTPClient: &http.Client{Transport: srv}})
			for range 2 { // the second delivery uses the cached certificate
				_, err := c.VerifyWebhook(context.Background(), h, body)
				if got := panel.ErrorCode(err); got != tt.code {
					t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
				}
			}
			if got := srv.hits[issuerURL].Load(); got != tt.wantFetch {
				t.Errorf("issuer fetched %d times, want %d", got, tt.wantFetch)
			}
		})
	}
}
