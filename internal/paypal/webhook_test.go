package paypal_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/paypal"
	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

var captureResource = map[string]any{
	"id": "3C679366HH908993F", "status": "COMPLETED",
	"amount":    map[string]string{"currency_code": "USD", "value": "10.50"},
	"custom_id": "topup-1", "invoice_id": "INV-1",
	"supplementary_data": map[string]any{"related_ids": map[string]string{"order_id": "5O190127TN364715T"}},
}

func TestVerifyWebhook(t *testing.T) {
	ctx := context.Background()
	e := MustEnv(t, paypalsim.Options{})
	simURL, _ := url.Parse(e.sim.URL)
	forger, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		mutate func(h http.Header, body []byte, cfg *paypal.Config) []byte
		code   string // "" means verified
	}{
		{"OK", nil, ""},
		{"OK_SmallClockSkew", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.Clock = func() time.Time { return e.clock.Now().Add(9 * time.Minute) }
			return b
		}, ""},
		{"ErrForgedSignature", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			// Signed correctly, but with the attacker's key.
			msg := fmt.Sprintf("%s|%s|%s|%d", h.Get(paypal.HeaderTransmissionID), h.Get(paypal.HeaderTransmissionTime), "WH-ID-1", crc32.ChecksumIEEE(b))
			sum := sha256.Sum256([]byte(msg))
			sig, _ := rsa.SignPKCS1v15(nil, forger, crypto.SHA256, sum[:])
			h.Set(paypal.HeaderTransmissionSig, base64.StdEncoding.EncodeToString(sig))
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrGarbledSignature", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderTransmissionSig, "not base64!")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrAlteredBody", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			return []byte(string(b) + " ")
		}, panel.EUNAUTHORIZED},
		{"ErrAlteredTransmissionID", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderTransmissionID, "69cd13f0-d67a-11e5-baa3-778b53f4ae55")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrStale", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.Clock = func() time.Time { return e.clock.Now().Add(11 * time.Minute) }
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrFromTheFuture", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.Clock = func() time.Time { return e.clock.Now().Add(-11 * time.Minute) }
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrWrongWebhookID", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.WebhookID = "WH-ID-OTHER"
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrWrongCertHost", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.TrustedCertHosts = []string{"api.paypal.com", "api-m.paypal.com"}
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrCertHostOtherPort", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.TrustedCertHosts = []string{simURL.Hostname() + ":1"}
			return b
		}, panel.EUNAUTHORIZED},
		{"OK_CertHostWithoutPort", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.TrustedCertHosts = []string{simURL.Hostname()}
			return b
		}, ""},
		{"ErrHTTPUntrustedHost", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderCertURL, "http://evil.example/v1/notifications/certs/CERT-1")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrHTTPPayPalHost", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			cfg.TrustedCertHosts = append(cfg.TrustedCertHosts, "api.paypal.com")
			h.Set(paypal.HeaderCertURL, "http://api.paypal.com/v1/notifications/certs/CERT-1")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrCertURLPath", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderCertURL, "http://"+simURL.Host+"/v1/other/CERT-1")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrCertURLTraversal", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderCertURL, "http://"+simURL.Host+"/v1/notifications/certs/../../../evil")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrCertURLQuery", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderCertURL, h.Get(paypal.HeaderCertURL)+"?u=http://evil.example")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrCertURLUserinfo", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderCertURL, "http://evil.example@"+simURL.Host+"/v1/notifications/certs/CERT-1")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrCertMissing", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderCertURL, "http://"+simURL.Host+"/v1/notifications/certs/CERT-unknown")
			return b
		}, panel.EUPSTREAM},
		{"ErrAuthAlgo", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Set(paypal.HeaderAuthAlgo, "SHA1withRSA")
			return b
		}, panel.EUNAUTHORIZED},
		{"ErrMissingHeader", func(h http.Header, b []byte, cfg *paypal.Config) []byte {
			h.Del(paypal.HeaderTransmissionSig)
			return b
		}, panel.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, body := e.sim.SignedDelivery(paypal.EventCaptureCompleted, captureResource)
			cfg := e.cfg
			if tt.mutate != nil {
				body = tt.mutate(h, body, &cfg)
			}
			ev, err := paypal.New(cfg).VerifyWebhook(ctx, h, body)
			if got := panel.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
			if err != nil {
				return
			}
			if ev.EventType != paypal.EventCaptureCompleted || ev.ID == "" || ev.ResourceType != "capture" {
				t.Errorf("event = %+v", ev)
			}
			c, err := ev.Capture()
			if err != nil {
				t.Fatal(err)
			}
			want := paypal.Capture{ID: "3C679366HH908993F", Status: "COMPLETED", AmountMinor: 1050, Currency: "USD", CustomID: "topup-1", InvoiceID: "INV-1", OrderID: "5O190127TN364715T"}
			if *c != want {
				t.Errorf("capture = %+v, want %+v", *c, want)
			}
		})
	}

	t.Run("ErrCertExpired", func(t *testing.T) {
		e := MustEnv(t, paypalsim.Options{})
		e.clock.Add(2 * 365 * 24 * time.Hour) // the simulator's certificate lives a year
		h, body := e.sim.SignedDelivery(paypal.EventCaptureCompleted, captureResource)
		_, err := e.client.VerifyWebhook(ctx, h, body)
		var pe *panel.Error
		if !errors.As(err, &pe) || pe.Code != panel.EUNAUTHORIZED {
			t.Fatalf("got %v, want unauthorized", err)
		}
	})
}

func TestWebhookEventResources(t *testing.T) {
	ctx := context.Background()
	e := MustEnv(t, paypalsim.Options{})
	verify := func(t *testing.T, eventType string, resource any) *paypal.WebhookEvent {
		t.Helper()
		h, body := e.sim.SignedDelivery(eventType, resource)
		ev, err := e.client.VerifyWebhook(ctx, h, body)
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	t.Run("OK_Refund", func(t *testing.T) {
		ev := verify(t, paypal.EventCaptureRefunded, map[string]any{
			"id": "1JU08902781691411", "status": "COMPLETED",
			"amount": map[string]string{"currency_code": "USD", "value": "2.50"},
			"links": []map[string]string{
				{"href": "https://api.paypal.com/v2/payments/refunds/1JU08902781691411", "rel": "self"},
				{"href": "https://api.paypal.com/v2/payments/captures/3C679366HH908993F", "rel": "up"},
			},
		})
		r, err := ev.Refund()
		if err != nil {
			t.Fatal(err)
		}
		want := paypal.Refund{ID: "1JU08902781691411", Status: "COMPLETED", AmountMinor: 250, Currency: "USD", CaptureID: "3C679366HH908993F"}
		if *r != want {
			t.Errorf("got %+v, want %+v", *r, want)
		}
	})
	t.Run("OK_OrderApproved", func(t *testing.T) {
		ev := verify(t, paypal.EventOrderApproved, map[string]any{
			"id": "5O190127TN364715T", "status": "APPROVED",
			"purchase_units": []map[string]any{{"custom_id": "topup-9", "amount": map[string]string{"currency_code": "EUR", "value": "5.00"}}},
		})
		o, err := ev.Order()
		if err != nil {
			t.Fatal(err)
		}
		if o.ID != "5O190127TN364715T" || o.CustomID != "topup-9" || o.AmountMinor != 500 || o.Status != "APPROVED" {
			t.Errorf("got %+v", o)
		}
	})
	t.Run("ErrCaptureWithoutID", func(t *testing.T) {
		ev := verify(t, paypal.EventCaptureCompleted, map[string]any{"status": "COMPLETED"})
		if _, err := ev.Capture(); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("got %v, want invalid", err)
		}
	})
}

// TestVerifyWebhookCertChain serves the certificate over https, where the
// chain and subject are checked as for PayPal's own hosts, in both forms
// PayPal's cert URL may use: the leaf alone, or the leaf and its issuer.
func TestVerifyWebhookCertChain(t *testing.T) {
	ctx := context.Background()
	simRoot := x509.NewCertPool()
	simRoot.AddCert(paypalsim.CertRoot())
	issuers := []*x509.Certificate{paypalsim.CertIssuer()}
	none := []*x509.Certificate{}

	tests := []struct {
		name      string
		fullChain bool // the simulator serves leaf + issuer
		roots     *x509.CertPool
		issuers   []*x509.Certificate
		code      string
	}{
		{"OK_LeafOnly", false, simRoot, issuers, ""},
		{"OK_FullChain", true, simRoot, none, ""},
		{"OK_FullChainAndKnownIssuer", true, simRoot, issuers, ""},
		{"ErrLeafOnlyUnknownIssuer", false, simRoot, none, panel.EUNAUTHORIZED},
		{"ErrUntrustedRoot", true, x509.NewCertPool(), issuers, panel.EUNAUTHORIZED},
		{"ErrDefaultTrust", false, nil, nil, panel.EUNAUTHORIZED}, // PayPal's DigiCert chain, not the simulator's
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := paypalsim.New(paypalsim.Options{WebhookID: "WH-TLS", FullCertChain: tt.fullChain})
			ts := httptest.NewTLSServer(sim.Handler())
			defer ts.Close()
			defer sim.Close()
			sim.SetPublicURL(ts.URL)
			u, _ := url.Parse(ts.URL)
			served, err := x509ParseAll(mustGet(t, ts.Client(), sim.CertURL()))
			if err != nil || (len(served) > 1) != tt.fullChain {
				t.Fatalf("simulator served %d certificates (%v), want full chain %v", len(served), err, tt.fullChain)
			}
			c := paypal.New(paypal.Config{WebhookID: "WH-TLS", TrustedCertHosts: []string{u.Host}, CertRoots: tt.roots,
				CertIssuers: tt.issuers, HTTPClient: ts.Client()})
			h, body := sim.SignedDelivery(paypal.EventCaptureCompleted, captureResource)
			_, err = c.VerifyWebhook(ctx, h, body)
			if got := panel.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func x509ParseAll(pemBytes []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for block, rest := pem.Decode(pemBytes); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func mustGet(tb testing.TB, c *http.Client, u string) []byte {
	tb.Helper()
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return b
}

func BenchmarkVerifyWebhook(b *testing.B) {
	e := MustEnv(b, paypalsim.Options{})
	h, body := e.sim.SignedDelivery(paypal.EventCaptureCompleted, captureResource)
	ctx := context.Background()
	if _, err := e.client.VerifyWebhook(ctx, h, body); err != nil { // warm the cert cache
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := e.client.VerifyWebhook(ctx, h, body); err != nil {
			b.Fatal(err)
		}
	}
}
