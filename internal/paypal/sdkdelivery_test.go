package paypal_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
)

// sdkDelivery is a real signed delivery PayPal's Java SDK publishes in its
// tests (testdata/sdk-java-delivery-2017.json names the source), and the
// leaf-only certificate it was signed with.
type sdkDelivery struct {
	Source    string            `json:"source"`
	WebhookID string            `json:"webhookId"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
}

// sdkCertURL is where the test serves the SDK's certificate. The SDK test
// mocks the download (its header names ".../v1/notifications/test"); the
// cert URL is not covered by the signature, so the test uses the path
// PayPal really serves certificates under.
const sdkCertURL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-sdk2017"

func mustSDKDelivery(tb testing.TB) (sdkDelivery, []byte) {
	tb.Helper()
	raw, err := os.ReadFile("testdata/sdk-java-delivery-2017.json")
	if err != nil {
		tb.Fatal(err)
	}
	var d sdkDelivery
	if err := json.Unmarshal(raw, &d); err != nil {
		tb.Fatal(err)
	}
	leaf, err := os.ReadFile("testdata/sdk-java-leaf-2017.pem")
	if err != nil {
		tb.Fatal(err)
	}
	return d, leaf
}

// certServer answers GET url with body (the certificate download), and
// 404 for anything else; it stands in for api.sandbox.paypal.com.
type certServer map[string][]byte

func (cs certServer) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ok := cs[r.URL.String()]
	status := http.StatusOK
	if !ok || r.Method != http.MethodGet {
		status, body = http.StatusNotFound, nil
	}
	return &http.Response{StatusCode: status, Body: io.NopCloser(bytes.NewReader(body)), Header: http.Header{}, Request: r}, nil
}

// TestVerifySDKDelivery verifies the Java SDK's signed delivery with its
// leaf-only certificate, completed by the shipped DigiCert intermediate
// and root, as production does. The certificate expired in 2019, so the
// clock is set to the delivery's transmission time.
func TestVerifySDKDelivery(t *testing.T) {
	d, leafPEM := mustSDKDelivery(t)
	sent, err := time.Parse(time.RFC3339, d.Headers["Paypal-Transmission-Time"])
	if err != nil {
		t.Fatal(err)
	}
	leaf := bytes.TrimSpace(leafPEM[bytes.Index(leafPEM, []byte("-----BEGIN")):])
	issuerPEM, err := os.ReadFile("certs/digicert-sha2-ev-server-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	fullChain := append(append(append([]byte{}, leaf...), '\n'), issuerPEM...)

	tests := []struct {
		name      string
		served    []byte // what the cert URL answers
		issuers   []*x509.Certificate
		mutate    func(h http.Header, body []byte) []byte
		webhookID string // "" means the SDK's
		code      string
	}{
		{name: "OK_LeafOnly", served: leaf},
		{name: "OK_FullChain", served: fullChain, issuers: []*x509.Certificate{}},
		{name: "ErrLeafOnlyWithoutIssuer", served: leaf, issuers: []*x509.Certificate{}, code: panel.EUNAUTHORIZED},
		{name: "ErrOneByteChanged", served: leaf, mutate: func(h http.Header, b []byte) []byte {
			i := bytes.Index(b, []byte("T-Shirt"))
			b[i] = 't'
			return b
		}, code: panel.EUNAUTHORIZED},
		{name: "ErrSignatureByteChanged", served: leaf, mutate: func(h http.Header, b []byte) []byte {
			sig := []byte(h.Get(paypal.HeaderTransmissionSig))
			sig[10] ^= 1
			h.Set(paypal.HeaderTransmissionSig, string(sig))
			return b
		}, code: panel.EUNAUTHORIZED},
		{name: "ErrOtherWebhookID", served: leaf, webhookID: "96605875FF6516634", code: panel.EUNAUTHORIZED},
		{name: "ErrTransmissionIDChanged", served: leaf, mutate: func(h http.Header, b []byte) []byte {
			h.Set(paypal.HeaderTransmissionID, strings.Replace(h.Get(paypal.HeaderTransmissionID), "071f", "071e", 1))
			return b
		}, code: panel.EUNAUTHORIZED},
		{name: "ErrUntrustedHost", served: leaf, mutate: func(h http.Header, b []byte) []byte {
			h.Set(paypal.HeaderCertURL, strings.Replace(sdkCertURL, "api.sandbox.paypal.com", "api.sandbox.paypal.com.evil.example", 1))
			return b
		}, code: panel.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range d.Headers {
				h.Set(k, v)
			}
			h.Set(paypal.HeaderCertURL, sdkCertURL)
			body := []byte(d.Body)
			if tt.mutate != nil {
				body = tt.mutate(h, body)
			}
			webhookID := d.WebhookID
			if tt.webhookID != "" {
				webhookID = tt.webhookID
			}
			c := paypal.New(paypal.Config{WebhookID: webhookID, CertIssuers: tt.issuers,
				TrustedCertHosts: []string{"api.sandbox.paypal.com"},
				HTTPClient:       &http.Client{Transport: certServer{sdkCertURL: tt.served, strings.Replace(sdkCertURL, "api.sandbox.paypal.com", "api.sandbox.paypal.com.evil.example", 1): tt.served}},
				Clock:            func() time.Time { return sent.Add(30 * time.Second) }})
			ev, err := c.VerifyWebhook(context.Background(), h, body)
			if got := panel.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
			if err == nil && (ev.ID != "WH-2MW4820926242972J-6SG447389E205703U" || ev.EventType != "BILLING.PLAN.CREATED") {
				t.Errorf("event = %+v", ev)
			}
		})
	}
}
