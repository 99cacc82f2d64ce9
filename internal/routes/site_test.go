package routes

import (
	"strings"
	"testing"
)

func TestContentSecurityPolicy(t *testing.T) {
	tests := []struct {
		name, vf    string
		want, avoid []string
	}{
		{"HTTPS", "https://vf.example.com/", []string{"default-src 'self'", "https://*.paypal.com",
			"img-src 'self' data: https://*.paypal.com https://*.paypalobjects.com https://vf.example.com",
			"wss://vf.example.com", "form-action 'self'", "frame-ancestors 'none'"}, []string{"ws://", "http://"}},
		{"HTTPSWithPort", "https://vf.example.com:8443", []string{"wss://vf.example.com:8443"}, []string{"ws://"}},
		{"PlainHTTPRemote", "http://vf.example.com", nil, []string{"vf.example.com", "ws://"}},
		{"LocalSimulator", "http://127.0.0.1:8081", []string{"http://127.0.0.1:8081", "ws://127.0.0.1:8081"}, []string{"wss://"}},
		{"Unset", "", []string{"connect-src 'self' https://*.paypal.com https://*.paypalobjects.com;"}, []string{"ws"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ContentSecurityPolicy(tt.vf)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("CSP %q lacks %q", got, w)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(got, a) {
					t.Errorf("CSP %q has %q", got, a)
				}
			}
			if len(got) > 1783 {
				t.Errorf("CSP is %d chars, over CloudFront's 1783", len(got))
			}
		})
	}
}

func TestSiteHeaders(t *testing.T) {
	h := SiteHeaders("https://vf.example.com")
	if h["Strict-Transport-Security"] != "max-age=31536000; includeSubDomains" || h["X-Frame-Options"] != "DENY" ||
		h["X-Content-Type-Options"] != "nosniff" || h["Referrer-Policy"] != "strict-origin-when-cross-origin" ||
		h["Content-Security-Policy"] != ContentSecurityPolicy("https://vf.example.com") {
		t.Errorf("got %v", h)
	}
}
