package paypal_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/paypal"
)

// FuzzParseAmount: PayPal's decimal strings parse to non-negative minor
// units that format back to the same number, or are refused.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"10.00", "0.99", "2.51", "100", "1.5", "", ".", "1.", ".5", "-1.00", "1e3", " 1.00", "99999999999999.99", "1000000000000000", "1.001", "０.５"} {
		f.Add(s, "USD")
	}
	f.Add("100", "JPY")
	f.Add("1.00", "JPY")
	f.Fuzz(func(t *testing.T, value, currency string) {
		n, err := paypal.ParseAmount(value, currency)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseAmount(%q, %q) = %d, negative", value, currency, n)
		}
		back, err := paypal.ParseAmount(paypal.FormatAmount(n, currency), currency)
		if err != nil || back != n {
			t.Fatalf("ParseAmount(FormatAmount(%d)) = %d, %v", n, back, err)
		}
	})
}

// FuzzParseWebhookEvent: any body either fails to parse or yields an
// event with an id and type whose resources read without panicking; a
// refund's capture id never carries a path.
func FuzzParseWebhookEvent(f *testing.F) {
	raw, err := os.ReadFile("testdata/paypal-docs-events.json")
	if err != nil {
		f.Fatal(err)
	}
	var docs struct {
		Events map[string]json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(raw, &docs); err != nil || len(docs.Events) == 0 {
		f.Fatalf("docs events: %v", err)
	}
	for _, ev := range docs.Events {
		f.Add([]byte(ev))
	}
	sdk, _ := mustSDKDelivery(f)
	f.Add([]byte(sdk.Body))
	f.Add([]byte(`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource_type":"capture","resource":{"id":"C1","status":"COMPLETED","amount":{"currency_code":"USD","value":"1.00"},"links":[{"rel":"up","href":"https://api.paypal.com/v2/checkout/orders/O1"}]}}`))
	f.Add([]byte(`{"id":"WH-2","event_type":"PAYMENT.CAPTURE.REFUNDED","resource_type":"refund","resource":{"id":"R1","amount":{"currency_code":"USD","value":"-1"},"links":[{"rel":"up","href":"https://x/v2/payments/captures/../../evil"}]}}`))
	f.Add([]byte(`{"id":"WH-3","event_type":"CHECKOUT.ORDER.APPROVED","resource":{"id":"O1","purchase_units":[{"payments":{"captures":[{"id":"C"}]}}]}}`))
	f.Add([]byte(`{"id":"","event_type":""}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := paypal.ParseWebhookEvent(body)
		if err != nil {
			return
		}
		if ev.ID == "" || ev.EventType == "" {
			t.Fatalf("parsed an event without id or type: %+v", ev)
		}
		if c, err := ev.Capture(); err == nil && (c.ID == "" || c.AmountMinor < 0 || strings.Contains(c.OrderID, "/")) {
			t.Fatalf("bad capture %+v", c)
		}
		if r, err := ev.Refund(); err == nil && (r.ID == "" || r.AmountMinor < 0 || strings.ContainsAny(r.CaptureID, "/?#")) {
			t.Fatalf("bad refund %+v", r)
		}
		if o, err := ev.Order(); err == nil && o.ID == "" {
			t.Fatalf("order without id %+v", o)
		}
	})
}

// FuzzVerifyWebhookHeaders: with the Java SDK's genuine delivery and
// leaf-only certificate, arbitrary header values never verify unless they
// are the genuine ones (and never panic or fetch from an untrusted host).
func FuzzVerifyWebhookHeaders(f *testing.F) {
	d, leafPEM := mustSDKDelivery(f)
	h := d.Headers
	f.Add(h["Paypal-Transmission-Id"], h["Paypal-Transmission-Time"], h["Paypal-Transmission-Sig"], sdkCertURL, h["Paypal-Auth-Algo"])
	f.Add(h["Paypal-Transmission-Id"], "2017-03-30T20:04:05+00:00", h["Paypal-Transmission-Sig"], sdkCertURL, "SHA256withRSA")
	f.Add("x", "2017-03-30T20:04:05Z", "not base64!", "https://api.sandbox.paypal.com/v1/notifications/certs/../x", "SHA256withRSA")
	f.Add("x", "2017-03-30T20:04:05Z", "AAAA", "http://api.sandbox.paypal.com/v1/notifications/certs/C", "SHA1withRSA")
	f.Add("x", "yesterday", "AAAA", "https://u:p@api.sandbox.paypal.com/v1/notifications/certs/C?x#y", "SHA256withRSA")
	sent, _ := time.Parse(time.RFC3339, h["Paypal-Transmission-Time"])
	c := paypal.New(paypal.Config{WebhookID: d.WebhookID, TrustedCertHosts: []string{"api.sandbox.paypal.com"},
		HTTPClient: &http.Client{Transport: certServer{sdkCertURL: leafPEM}},
		Clock:      func() time.Time { return sent }})
	body := []byte(d.Body)
	f.Fuzz(func(t *testing.T, id, ts, sig, certURL, algo string) {
		hdr := http.Header{}
		hdr.Set(paypal.HeaderTransmissionID, id)
		hdr.Set(paypal.HeaderTransmissionTime, ts)
		hdr.Set(paypal.HeaderTransmissionSig, sig)
		hdr.Set(paypal.HeaderCertURL, certURL)
		hdr.Set(paypal.HeaderAuthAlgo, algo)
		_, err := c.VerifyWebhook(context.Background(), hdr, body)
		if err == nil && (id != h["Paypal-Transmission-Id"] || ts != h["Paypal-Transmission-Time"] || algo != paypal.AuthAlgo) {
			t.Fatalf("verified with id %q time %q algo %q", id, ts, algo)
		}
	})
}
