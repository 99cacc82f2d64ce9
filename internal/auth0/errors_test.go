package auth0

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// tokenErrors are /oauth/token error answers as Auth0 sends them. Codes and
// descriptions: Auth0's "Common Auth0 Library Authentication Errors"
// (auth0.com/docs/libraries/common-auth0-library-authentication-errors),
// the Authentication API's token endpoint reference, brute-force protection
// ("Your account has been blocked after multiple consecutive login
// attempts.") and suspicious IP throttling (auth0.com/docs/secure/
// attack-protection/suspicious-ip-throttling: HTTP 429).
var tokenErrors = []struct {
	name       string
	status     int
	retryAfter string
	body       string
	code       string // panel code; "" for a configuration error (internal)
	message    string
	retry      int
}{
	{"WrongPassword", 403, "", `{"error":"invalid_grant","error_description":"Wrong email or password."}`,
		panel.EUNAUTHORIZED, "Wrong email or password.", 0},
	{"LegacyWrongPassword", 403, "", `{"error":"invalid_user_password","error_description":"Wrong email or password."}`,
		panel.EUNAUTHORIZED, "Wrong email or password.", 0},
	{"BruteForceBlocked", 429, "", `{"error":"too_many_attempts","error_description":"Your account has been blocked after multiple consecutive login attempts. We've sent you an email with instructions on how to unblock it."}`,
		panel.ERATELIMITED, "Your account is locked after too many failed sign-in attempts. We've emailed you how to unlock it.", 900},
	// auth0.com/docs/authenticate/custom-token-exchange/cte-attack-protection
	{"SuspiciousIPThrottled", 429, "", `{"error":"too_many_attempts","error_description":"We have detected suspicious login behavior and further attempts will be blocked. Please contact the administrator."}`,
		panel.ERATELIMITED, "Too many sign-in attempts from your network. Try again later.", 900},
	{"SuspiciousIP", 429, "120", `{"error":"too_many_logins","error_description":"We have detected suspicious login behavior and further attempts will be blocked. Please contact the administrator."}`,
		panel.ERATELIMITED, "Too many sign-in attempts from your network. Try again later.", 120},
	{"SuspiciousIPNoRetryAfter", 429, "", `{"error":"too_many_logins","error_description":"Too many logins."}`,
		panel.ERATELIMITED, "Too many sign-in attempts from your network. Try again later.", 900},
	{"Blocked", 401, "", `{"error":"unauthorized","error_description":"user is blocked"}`,
		panel.EFORBIDDEN, "This account is blocked. Contact support.", 0},
	{"PasswordLeaked", 403, "", `{"error":"password_leaked","error_description":"This login attempt has been blocked because the password you're using was previously disclosed through a data breach (not in this application)."}`,
		panel.EFORBIDDEN, "This password appeared in a data breach elsewhere, so sign-in was blocked. Reset your password to continue.", 0},
	// mfa_required with its mfa_token: auth0.com/docs/secure/multi-factor-authentication/
	// authenticate-using-ropg-flow-with-mfa ("Multifactor authentication required").
	{"MFARequired", 403, "", `{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.2*abc"}`,
		panel.EMFAREQUIRED, "Enter the code from your authenticator app.", 0},
	{"MFARequiredNoToken", 403, "", `{"error":"mfa_required","error_description":"Multifactor authentication required"}`,
		panel.EFORBIDDEN, `This account uses multi-factor authentication. Use "Continue with Auth0" to sign in.`, 0},
	{"MFARegistrationRequired", 403, "", `{"error":"mfa_registration_required","error_description":"Multifactor authentication enrollment required"}`,
		panel.EFORBIDDEN, `This account uses multi-factor authentication. Use "Continue with Auth0" to sign in.`, 0},
	{"RuleDenied", 403, "", `{"error":"access_denied","error_description":"Access denied by rule."}`,
		panel.EFORBIDDEN, "Sign-in was refused.", 0},
	{"WrongClientSecret", 401, "", `{"error":"access_denied","error_description":"Unauthorized"}`, "", "", 0},
	{"WrongAudience", 403, "", `{"error":"access_denied","error_description":"Service not found: https://wrong"}`, "", "", 0},
	{"GrantNotAllowed", 403, "", `{"error":"unauthorized_client","error_description":"Grant type 'http://auth0.com/oauth/grant-type/password-realm' not allowed for the client."}`, "", "", 0},
	{"RateLimited", 429, "30", `{"error":"too_many_requests","error_description":"Global limit has been reached"}`,
		panel.EUNAVAILABLE, "The sign-in service is busy. Try again in a minute.", 30},
	{"ServerError", 500, "", `{"error":"server_error","error_description":"Authorization server not configured with default connection."}`,
		panel.EUPSTREAM, "The sign-in service failed. Try again shortly.", 0},
	{"HTMLFromProxy", 502, "", `<html><body>Bad Gateway</body></html>`,
		panel.EUPSTREAM, "The sign-in service failed. Try again shortly.", 0},
}

func TestSignInError(t *testing.T) {
	for _, tt := range tokenErrors {
		t.Run(tt.name, func(t *testing.T) {
			err := signInError(parseAPIError(tt.status, tt.retryAfter, []byte(tt.body)))
			var pe *panel.Error
			if tt.code == "" {
				if errors.As(err, &pe) || err == nil {
					t.Fatalf("got %v, want a configuration (internal) error", err)
				}
				return
			}
			if !errors.As(err, &pe) || pe.Code != tt.code || pe.Message != tt.message || pe.RetryAfter != tt.retry {
				t.Fatalf("got %#v, want %s %q retry %d", err, tt.code, tt.message, tt.retry)
			}
		})
	}
}

// signUpErrors are /dbconnections/signup answers; shapes from Auth0's
// signup reference and the same errors page as tokenErrors.
var signUpErrors = []struct {
	name   string
	status int
	body   string
	code   string
}{
	{"Exists", 400, `{"name":"BadRequestError","code":"user_exists","description":"The user already exists.","statusCode":400}`, panel.ECONFLICT},
	{"UsernameExists", 400, `{"name":"BadRequestError","code":"username_exists","description":"The username provided is in use already.","statusCode":400}`, panel.ECONFLICT},
	{"WeakPassword", 400, `{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password","description":{"rules":[{"message":"At least %d characters in length","format":[8],"code":"lengthAtLeast","verified":false}],"verified":false},"statusCode":400}`, panel.EINVALID},
	{"Dictionary", 400, `{"name":"PasswordDictionaryError","message":"Password is too common","code":"password_dictionary_error","description":"Password is too common","statusCode":400}`, panel.EINVALID},
	{"InvalidSignup", 400, `{"name":"BadRequestError","code":"invalid_signup","description":"Invalid sign up","statusCode":400}`, panel.EINVALID},
}

func TestSignUpError(t *testing.T) {
	for _, tt := range signUpErrors {
		t.Run(tt.name, func(t *testing.T) {
			err := signUpError(parseAPIError(tt.status, "", []byte(tt.body)))
			if panel.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}

// customerMessages are every message a token or signup failure may show.
var customerMessages = map[string]bool{}

func init() {
	for _, tt := range tokenErrors {
		customerMessages[tt.message] = tt.message != ""
	}
	customerMessages["An account with this email already exists. Sign in instead."] = true
	customerMessages["Choose a stronger password."] = true
	customerMessages["This account cannot be created. If you already have one, sign in instead."] = true
}

// FuzzParseAPIError: whatever Auth0 (or a proxy in front of it) answers,
// parsing never panics, every failure stays an error, and a customer only
// ever sees one of our own messages, never text from the body.
func FuzzParseAPIError(f *testing.F) {
	for _, tt := range tokenErrors {
		f.Add(tt.status, tt.retryAfter, []byte(tt.body))
	}
	for _, tt := range signUpErrors {
		f.Add(tt.status, "", []byte(tt.body))
	}
	f.Add(429, "-5", []byte(`{"error":null,"code":7,"description":[1,2]}`))
	f.Add(403, "", []byte(`{"error":"unauthorized","error_description":"BLOCKED"}`))
	f.Add(0, "", []byte(``))
	f.Fuzz(func(t *testing.T, status int, retry string, body []byte) {
		if status < 100 || status > 599 || status/100 == 2 {
			return // call only parses non-2xx answers
		}
		ae := parseAPIError(status, retry, body)
		if ae.Status != status {
			t.Fatalf("status: got %d, want %d", ae.Status, status)
		}
		_ = ae.Error()
		for _, err := range []error{signInError(ae), signUpError(ae)} {
			if err == nil {
				t.Fatal("a failure became nil")
			}
			var pe *panel.Error
			if !errors.As(err, &pe) {
				continue // logged in full, shown as "internal error"
			}
			if !customerMessages[pe.Message] {
				t.Fatalf("message %q is not one of ours", pe.Message)
			}
			if pe.RetryAfter < 0 || !utf8.ValidString(pe.Message) || strings.ContainsAny(pe.Message, "<>") {
				t.Fatalf("got %#v", pe)
			}
		}
	})
}
