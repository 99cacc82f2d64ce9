package auth

import "testing"

func TestDeviceSummary(t *testing.T) {
	tests := []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"},
		{"curl/8.5.0", "curl"},
		{"", "A browser"},
	}
	for _, tt := range tests {
		if got := deviceSummary(tt.ua); got != tt.want {
			t.Errorf("deviceSummary(%q): got %q, want %q", tt.ua, got, tt.want)
		}
	}
}
