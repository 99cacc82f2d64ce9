package panel

import "context"

// Account-security error codes; each maps to 403.
const (
	// EMFAREQUIRED: the password was right and a second factor is needed.
	EMFAREQUIRED = "mfa_required"
	// EMFAREAUTH: managing factors needs the password again.
	EMFAREAUTH = "mfa_reauth"
	// EMFASTAFF: staff must sign in with a second factor to use admin routes.
	EMFASTAFF = "mfa_required_for_staff"
	// EEMAILUNVERIFIED: the action needs a verified email address.
	EEMAILUNVERIFIED = "email_unverified"
)

// MFAChallenge is the cause of an EMFAREQUIRED error: the provider's
// short-lived token that the second factor completes. It is a secret:
// Error never prints it.
type MFAChallenge struct{ Token string }

func (c *MFAChallenge) Error() string { return "mfa challenge pending" }

// MFAEnrolment is a new, not yet confirmed, TOTP authenticator.
type MFAEnrolment struct {
	Secret        string   `json:"secret"`     // base32, for typing into an app
	BarcodeURI    string   `json:"barcodeUri"` // otpauth:// URI the QR code holds
	RecoveryCodes []string `json:"recoveryCodes,omitempty"`
}

// Authenticator is an enrolled second factor.
type Authenticator struct {
	ID     string `json:"id"`
	Type   string `json:"type"` // "otp" or "recovery-code"
	Active bool   `json:"active"`
}

// MFAProvider is the identity provider's MFA API. Management calls take a
// token for the MFA API that MFAAccess or VerifyMFA returned.
type MFAProvider interface {
	// VerifyMFA completes a sign-in that answered EMFAREQUIRED, with a TOTP
	// code or (recovery true) a recovery code. It returns the identity and,
	// after a recovery code, the new one to show. EUNAUTHORIZED for a wrong
	// code, EUNAUTHORIZED "expired" when the challenge ran out.
	VerifyMFA(ctx context.Context, challenge, code string, recovery bool, clientIP string) (*Identity, string, error)
	// MFAAccess checks the password and returns a token for the MFA API;
	// EMFAREQUIRED (cause *MFAChallenge) when a factor is enrolled, then
	// MFAAccessWithCode finishes with a TOTP code.
	MFAAccess(ctx context.Context, email, password, clientIP string) (string, error)
	MFAAccessWithCode(ctx context.Context, challenge, code string) (string, error)
	// Associate starts enrolling a TOTP authenticator; ConfirmMFA
	// activates it with a code from the app (EUNAUTHORIZED when wrong).
	Associate(ctx context.Context, token string) (*MFAEnrolment, error)
	ConfirmMFA(ctx context.Context, token, code string) error
	// Authenticators lists the user's factors; DeleteAuthenticator removes
	// one (ENOTFOUND).
	Authenticators(ctx context.Context, token string) ([]Authenticator, error)
	DeleteAuthenticator(ctx context.Context, token, id string) error
}

// ManagedUser is a user as the identity provider's management API sees it.
type ManagedUser struct {
	Subject       string // e.g. "auth0|abc"
	Email         string
	EmailVerified bool
}

// AccountAdmin is the part of the identity provider's management API the
// panel uses (with its own client-credentials token).
type AccountAdmin interface {
	// UsersByEmail lists the provider's users with email (one per connection).
	UsersByEmail(ctx context.Context, email string) ([]ManagedUser, error)
	// SendVerificationEmail emails subject a new verification link.
	// ENOTFOUND when the provider has no such user.
	SendVerificationEmail(ctx context.Context, subject string) error
}
