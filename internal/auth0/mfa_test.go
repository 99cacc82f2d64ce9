package auth0

import (
	"errors"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestMFAChallengeNotLogged: the mfa_token of an mfa_required answer is
// handed on as the error's cause, and never appears in its text.
func TestMFAChallengeNotLogged(t *testing.T) {
	body := `{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.2*secret"}`
	err := signInError(parseAPIError(403, "", []byte(body)))
	var c *panel.MFAChallenge
	if !errors.As(err, &c) || c.Token != "Fe26.2*secret" {
		t.Fatalf("got %v, want the challenge", err)
	}
	if strings.Contains(err.Error(), "Fe26") {
		t.Fatalf("error text carries the token: %s", err)
	}
}

// TestMFAError maps refusals of the mfa-otp and mfa-recovery-code grants.
// Codes from Auth0's token-endpoint MFA errors (auth0.com/docs/api/
// authentication, "Verify with one-time password": invalid_grant,
// expired_token); the exact wording "Invalid otp_code." is what public
// Auth0 clients match on, unconfirmed against Auth0's own docs.
func TestMFAError(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"ErrWrongCode", `{"error":"invalid_grant","error_description":"Invalid otp_code."}`, 403, panel.EUNAUTHORIZED},
		{"ErrExpired", `{"error":"expired_token","error_description":"mfa_token is expired"}`, 403, panel.EUNAUTHORIZED},
		{"ErrTooMany", `{"error":"too_many_attempts","error_description":"Too many attempts"}`, 429, panel.ERATELIMITED},
		{"ErrBlocked", `{"error":"unauthorized","error_description":"user is blocked"}`, 401, panel.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mfaError(parseAPIError(tt.status, "", []byte(tt.body)))
			if got := panel.ErrorCode(err); got != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}
