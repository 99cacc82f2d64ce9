package paypal

import (
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
)

// FuzzCheckCertURL: an accepted certificate URL is on a trusted host, under
// PayPal's certificate path, clean, without userinfo, query or fragment,
// and https unless the host is a trusted non-PayPal one.
func FuzzCheckCertURL(f *testing.F) {
	for _, s := range []string{
		"https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb",
		"https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
		"http://127.0.0.1:8081/v1/notifications/certs/CERT-1",
		"http://api.paypal.com/v1/notifications/certs/C",
		"https://api.paypal.com.evil.example/v1/notifications/certs/C",
		"https://evil.example@api.paypal.com/v1/notifications/certs/C",
		"https://api.paypal.com/v1/notifications/certs/../../x",
		"https://api.paypal.com/v1/notifications/certs/%2e%2e/x",
		"https://API.PAYPAL.COM:443/v1/notifications/certs/C",
		"https://api.paypal.com/v1/notifications/certs/",
		"//api.paypal.com/v1/notifications/certs/C",
		"https://[::1]/v1/notifications/certs/C",
	} {
		f.Add(s)
	}
	c := New(Config{TrustedCertHosts: []string{"api.paypal.com", "api.sandbox.paypal.com", "127.0.0.1:8081"}})
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := c.checkCertURL(raw)
		if err != nil {
			return
		}
		host := strings.ToLower(u.Hostname())
		switch {
		case !c.trustedHost(u):
			t.Fatalf("%q: untrusted host %q accepted", raw, u.Host)
		case u.User != nil || u.RawQuery != "" || u.Fragment != "":
			t.Fatalf("%q: userinfo, query or fragment accepted", raw)
		case !strings.HasPrefix(u.Path, certPathPrefix) || path.Clean(u.Path) != u.Path || slices.Contains(strings.Split(u.Path, "/"), ".."):
			t.Fatalf("%q: path %q accepted", raw, u.Path)
		case u.Scheme != "https" && (u.Scheme != "http" || host == "paypal.com" || strings.HasSuffix(host, ".paypal.com")):
			t.Fatalf("%q: scheme %q accepted for %s", raw, u.Scheme, host)
		}
		if again, err := url.Parse(u.String()); err != nil || again.Host != u.Host {
			t.Fatalf("%q: does not round-trip: %v", raw, err)
		}
	})
}

// FuzzParsePEMCerts: any bytes either fail or give parsed certificates.
func FuzzParsePEMCerts(f *testing.F) {
	for _, name := range []string{"certs/digicert-sha2-ev-server-ca.pem", "certs/digicert-high-assurance-ev-root-ca.pem", "testdata/sdk-java-leaf-2017.pem"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		certs, err := parsePEMCerts(raw)
		if err != nil {
			return
		}
		for _, c := range certs {
			if c == nil || len(c.Raw) == 0 {
				t.Fatal("nil certificate")
			}
		}
	})
}
