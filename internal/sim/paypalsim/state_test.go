package paypalsim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/sim/paypalsim"
)

// ppCall sends one API request with a bearer token and returns status and body.
func ppCall(t *testing.T, method, u, tok, body string, h http.Header) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, u, rd)
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	var out map[string]any
	st, b := do(t, req, &out)
	return st, string(b)
}

func ppToken(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth("sim-client", "sim-secret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if st, b := do(t, req, &tok); st != 200 {
		t.Fatalf("token: %d %s", st, b)
	}
	return tok.AccessToken
}

// field returns a top-level string field of a JSON body.
func field(t *testing.T, body, key string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("bad JSON %s: %v", body, err)
	}
	v, _ := m[key].(string)
	return v
}

func TestStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "paypal.json")
	s1, err := paypalsim.NewWithState(paypalsim.Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s1.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tok := ppToken(t, base)
	st, body := ppCall(t, "POST", base+"/v2/checkout/orders", tok, orderBody, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	orderID := field(t, body, "id")
	// The payer approves on the checkout page.
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).
		PostForm(base+"/checkoutnow/approve", url.Values{"token": {orderID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: got %d", resp.StatusCode)
	}
	idem := http.Header{"Paypal-Request-Id": {"capture-1"}}
	st, capBody := ppCall(t, "POST", base+"/v2/checkout/orders/"+orderID+"/capture", tok, "", idem)
	if st != 201 {
		t.Fatalf("capture: %d %s", st, capBody)
	}
	var order struct {
		PurchaseUnits []struct {
			Payments struct{ Captures []struct{ ID string } }
		} `json:"purchase_units"`
	}
	if err := json.Unmarshal([]byte(capBody), &order); err != nil || len(order.PurchaseUnits) != 1 ||
		len(order.PurchaseUnits[0].Payments.Captures) != 1 {
		t.Fatalf("capture body %s: %v", capBody, err)
	}
	captureID := order.PurchaseUnits[0].Payments.Captures[0].ID
	if st, b := ppCall(t, "POST", base+"/v2/payments/captures/"+captureID+"/refund", tok,
		`{"amount":{"currency_code":"USD","value":"4.00"}}`, nil); st != 201 {
		t.Fatalf("refund: %d %s", st, b)
	}
	certURL := s1.CertURL()
	_, cert1 := ppCall(t, "GET", certURL, "", "", nil)
	events := s1.EventIDs()
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := paypalsim.NewWithState(paypalsim.Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Start(strings.TrimPrefix(base, "http://")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s2.Close() })

	t.Run("OKOldTokenAndOrder", func(t *testing.T) {
		st, b := ppCall(t, "GET", base+"/v2/checkout/orders/"+orderID, tok, "", nil)
		if st != 200 || field(t, b, "status") != "COMPLETED" {
			t.Fatalf("got %d %s", st, b)
		}
	})
	t.Run("OKCaptureAndRefund", func(t *testing.T) {
		st, b := ppCall(t, "GET", base+"/v2/payments/captures/"+captureID, tok, "", nil)
		if st != 200 || field(t, b, "status") != "PARTIALLY_REFUNDED" {
			t.Fatalf("got %d %s", st, b)
		}
		st, b = ppCall(t, "POST", base+"/v2/payments/captures/"+captureID+"/refund", tok, "", nil)
		if st != 201 || !strings.Contains(b, `"value":"6.00"`) {
			t.Fatalf("refund the rest: got %d %s", st, b)
		}
	})
	t.Run("OKIdempotentReplay", func(t *testing.T) {
		st, b := ppCall(t, "POST", base+"/v2/checkout/orders/"+orderID+"/capture", tok, "", idem)
		if st != 200 || b != capBody {
			t.Fatalf("got %d %s; want 200 and the first answer", st, b)
		}
	})
	t.Run("ErrAlreadyCaptured", func(t *testing.T) {
		if st, b := ppCall(t, "POST", base+"/v2/checkout/orders/"+orderID+"/capture", tok, "", nil); st != 422 {
			t.Fatalf("got %d %s", st, b)
		}
	})
	t.Run("OKCertificate", func(t *testing.T) {
		if s2.CertURL() != certURL {
			t.Errorf("got cert URL %s, want %s", s2.CertURL(), certURL)
		}
		if _, cert2 := ppCall(t, "GET", certURL, "", "", nil); cert2 != cert1 || !strings.Contains(cert2, "BEGIN CERTIFICATE") {
			t.Errorf("certificate changed across the restart")
		}
	})
	t.Run("OKEvents", func(t *testing.T) {
		if got := s2.EventIDs(); len(got) < len(events) || got[0] != events[0] {
			t.Errorf("got events %v, want them to start with %v", got, events)
		}
		if err := s2.ResendEvent(events[0]); err != nil {
			t.Error(err)
		}
	})
}

func TestStateFileErrors(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"ErrUnreadable", `{"version":1,"orders":[`},
		{"ErrVersion", `{"version":7}`},
		{"ErrNoKey", `{"version":1}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "paypal.json")
			if err := os.WriteFile(path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := paypalsim.NewWithState(paypalsim.Options{StateFile: path})
			if err == nil || !strings.Contains(err.Error(), "ResetState") {
				t.Fatalf("got %v, want an error with a ResetState note", err)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.body {
				t.Errorf("file changed to %q; want it left alone", b)
			}
		})
	}
}
