package routes

import "testing"

// TestTokenScope: the scope each kind of route needs from an API token.
func TestTokenScope(t *testing.T) {
	tests := []struct {
		method, path, want string
	}{
		{"GET", "/api/servers", TokenScopeRead},
		{"GET", "/api/billing/balance", TokenScopeRead},
		{"POST", "/api/servers/{id}/power", TokenScopePower},
		{"POST", "/api/servers", TokenScopeFull},
		{"POST", "/api/billing/topups", TokenScopeFull},
		{"GET", "/api/account/tokens", TokenScopeNone},
		{"POST", "/api/account/mfa/enroll", TokenScopeNone},
		{"GET", "/api/account/sessions", TokenScopeNone},
		{"GET", "/api/account/export", TokenScopeNone},
		{"DELETE", "/api/account", TokenScopeNone},
		{"GET", "/api/account/activity", TokenScopeRead},
		{"GET", "/api/admin/users", TokenScopeNone},
		{"POST", "/api/auth/logout", TokenScopeNone},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r, ok := ByPattern(tt.method + " " + tt.path)
			if !ok {
				t.Fatalf("no route %s %s", tt.method, tt.path)
			}
			if got := r.TokenScope(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, r := range Table {
		if r.Auth == Admin && r.TokenScope() != TokenScopeNone {
			t.Errorf("admin route %s takes API tokens", r.Pattern())
		}
	}
}
