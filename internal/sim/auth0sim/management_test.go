package auth0sim_test

import (
	"net/url"
	"testing"

	"github.com/vfpanel/vfpanel/internal/sim/auth0sim"
)

// TestDeleteUser: DELETE /api/v2/users/{id} needs a Management API token,
// answers 204 and, like Auth0, 204 again for a user already deleted.
func TestDeleteUser(t *testing.T) {
	s := start(t, auth0sim.Options{})
	o := s.Options()
	s.AddUser("ann@example.com", "correct horse battery", "Ann")
	sub := s.Subject("ann@example.com")
	cc := url.Values{"grant_type": {"client_credentials"}, "client_id": {o.ClientID}, "client_secret": {o.ClientSecret},
		"audience": {s.ManagementAudience()}}
	st, m := post(t, s.URL+"/oauth/token", "application/x-www-form-urlencoded", cc.Encode())
	mgmt, _ := m["access_token"].(string)
	if st != 200 || mgmt == "" {
		t.Fatalf("client credentials: got %d %v", st, m)
	}
	tests := []struct {
		name, token, id string
		status          int
		annLeft         bool
	}{
		{"ErrNoToken", "", sub, 401, true},
		{"ErrBadToken", "x.y.z", sub, 401, true},
		{"OtherUserLeavesAnn", mgmt, "google-oauth2|123", 204, true},
		{"Delete", mgmt, sub, 204, false},
		{"AgainIsNoContent", mgmt, sub, 204, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st, body := call(t, "DELETE", s.URL+"/api/v2/users/"+url.PathEscape(tt.id), tt.token, ""); st != tt.status {
				t.Fatalf("got %d %s, want %d", st, body, tt.status)
			}
			if s.HasUser("ann@example.com") != tt.annLeft {
				t.Fatalf("user left: %v, want %v", !tt.annLeft, tt.annLeft)
			}
		})
	}
}
