package config

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Currency != "USD" || c.TopupMinMinor != 500 || c.Stage != "local" || c.CookieSecure() {
		t.Errorf("got %+v", c)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(env(map[string]string{"VFP_STAGE": "qa", "PAYPAL_MODE": "x", "TOPUP_MIN": "1.234",
		"PUBLIC_URL": "ftp://x", "ORDER_PREPAY_HOURS": "-1"}), nil)
	if err == nil {
		t.Fatal("got nil error")
	}
	for _, name := range []string{"VFP_STAGE", "PAYPAL_MODE", "TOPUP_MIN", "PUBLIC_URL", "ORDER_PREPAY_HOURS"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestNeedReportsAllMissing(t *testing.T) {
	c, _ := Load(env(nil), nil)
	err := c.Need(NeedTable, NeedVirtFusion, NeedAuth0, NeedPayPal)
	if err == nil {
		t.Fatal("got nil")
	}
	for _, name := range []string{"TABLE_NAME", "VIRTFUSION_PANEL_URL", "VIRTFUSION_API_TOKEN", "AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_AUDIENCE", "SESSION_KEY", "PAYPAL_CLIENT_ID", "PAYPAL_WEBHOOK_ID"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestSecretsFillUnsetValues(t *testing.T) {
	src := func(name string) (map[string]string, error) {
		return map[string]string{"apiToken": "tok-" + name, "clientSecret": "cs", "key": "k", "clientId": "id", "webhookToken": "wt"}, nil
	}
	c, err := Load(env(map[string]string{"VIRTFUSION_API_TOKEN": "from-env"}), src)
	if err != nil {
		t.Fatal(err)
	}
	if c.VirtFusionToken != "from-env" || c.Auth0ClientSecret != "cs" || c.PayPalClientID != "id" {
		t.Errorf("got %+v", c)
	}
}

func TestOriginKey(t *testing.T) {
	origin := func(vals map[string]string, err error) SecretSource {
		return func(name string) (map[string]string, error) {
			if name != "origin" {
				return nil, nil
			}
			return vals, err
		}
	}
	tests := []struct {
		name    string
		env     map[string]string
		secrets SecretSource
		want    string
		errWant string
	}{
		{"OKFromSecret", nil, origin(map[string]string{"originKey": "from-secret"}, nil), "from-secret", ""},
		{"OKEnvWins", map[string]string{"ORIGIN_VERIFY_KEY": "from-env"}, origin(map[string]string{"originKey": "from-secret"}, nil), "from-env", ""},
		{"OKNotConfigured", nil, origin(nil, nil), "", ""},
		{"OKLocal", nil, nil, "", ""},
		{"ErrSecret", nil, origin(nil, errors.New("access denied")), "", "secret origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env), tt.secrets)
			if tt.errWant != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errWant) {
					t.Fatalf("got %v, want an error naming %q", err, tt.errWant)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.OriginKey != tt.want {
				t.Errorf("got OriginKey %q, want %q", c.OriginKey, tt.want)
			}
		})
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"25", 2500, true}, {"25.5", 2550, true}, {"25.05", 2505, true}, {"0.01", 1, true}, {" 7.00 ", 700, true},
		{"1000000000000.99", 100000000000099, true},
		{"-1", 0, false}, {"1.234", 0, false}, {"abc", 0, false}, {"", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"1.-5", 0, false},
		// A negative amount was once read without its sign (-0.50 as 0.50).
		{"-0.50", 0, false}, {"-0", 0, false}, {"-0.01", 0, false},
		{"+5", 0, false}, {"1e3", 0, false}, {"0x10", 0, false}, {"1_000", 0, false}, {"１", 0, false}, {"5.+1", 0, false},
		{"1000000000001", 0, false}, {"9223372036854775807", 0, false}, {"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for in, want := range map[int64]string{-1205: "-12.05", 7: "0.07", 0: "0.00", -1: "-0.01",
		math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08"} {
		if got := FormatMoney(in); got != want {
			t.Errorf("FormatMoney(%d) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseMoney checks that whatever ParseMoney accepts is a non-negative
// amount within bounds that formats back to the same value.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"25", "25.5", "0.01", "-0.50", "-0", "+5", "1e3", "1.234", " 3.10 ", "1000000000000.99",
		"9223372036854775807", "", ".", "0.", "00.00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseMoney(s)
		if err != nil {
			if got != 0 {
				t.Fatalf("ParseMoney(%q) = %d with error %v", s, got, err)
			}
			return
		}
		if got < 0 || got > MaxMoneyWhole*100+99 {
			t.Fatalf("ParseMoney(%q) = %d, out of range", s, got)
		}
		if strings.Contains(s, "-") {
			t.Fatalf("ParseMoney(%q) = %d: accepted a sign", s, got)
		}
		back, err := ParseMoney(FormatMoney(got))
		if err != nil || back != got {
			t.Fatalf("ParseMoney(FormatMoney(%d)) = %d, %v", got, back, err)
		}
	})
}

func TestIssuer(t *testing.T) {
	for in, want := range map[string]string{"t.auth0.com": "https://t.auth0.com/", "http://127.0.0.1:9/": "http://127.0.0.1:9/"} {
		if got := (Config{Auth0Domain: in}).Issuer(); got != want {
			t.Errorf("Issuer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNeedSessionKeyLength(t *testing.T) {
	base := map[string]string{"AUTH0_DOMAIN": "t.auth0.com", "AUTH0_CLIENT_ID": "id", "AUTH0_CLIENT_SECRET": "s",
		"AUTH0_AUDIENCE": "https://api.example.com", "PUBLIC_URL": "https://panel.example.com"}
	tests := []struct {
		name, stage, key string
		ok               bool
	}{
		{"OK", "prod", strings.Repeat("k", 64), true},
		{"OKShortLocal", "local", "local-key", true},
		{"ErrShortDev", "dev", "short-key", false},
		{"ErrShortProd", "prod", strings.Repeat("k", 31), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"VFP_STAGE": tt.stage, "SESSION_KEY": tt.key}
			for k, v := range base {
				vars[k] = v
			}
			c, err := Load(env(vars), nil)
			if err != nil {
				t.Fatal(err)
			}
			err = c.Need(NeedAuth0)
			if (err == nil) != tt.ok || (err != nil && (!strings.Contains(err.Error(), "SESSION_KEY") || strings.Contains(err.Error(), tt.key))) {
				t.Errorf("got %v", err)
			}
		})
	}
}
