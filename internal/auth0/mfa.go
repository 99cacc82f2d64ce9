package auth0

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Auth0's MFA API and grants (auth0.com/docs/api/authentication, section
// "Multi-factor authentication"; auth0.com/docs/secure/multi-factor-
// authentication/authenticate-using-ropg-flow-with-mfa). The application
// needs the MFA grant type enabled.

var _ panel.MFAProvider = (*Client)(nil)

const (
	grantMFAOTP      = "http://auth0.com/oauth/grant-type/mfa-otp"
	grantMFARecovery = "http://auth0.com/oauth/grant-type/mfa-recovery-code"
	// mfaScope is what the panel does with the MFA API.
	mfaScope = "enroll read:authenticators remove:authenticators"
)

func (c *Client) mfaAudience() string { return c.cfg.Issuer + "mfa/" }

// mfaError maps a refused mfa-otp / mfa-recovery-code grant.
func mfaError(err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	wrap := func(code, msg string) error {
		return &panel.Error{Code: code, Message: msg, Err: fmt.Errorf("auth0: mfa: %w", ae)}
	}
	switch ae.code() {
	case "invalid_grant":
		return wrap(panel.EUNAUTHORIZED, "That code is not right. Try the current code from your app.")
	case "expired_token":
		return wrap(panel.EUNAUTHORIZED, "The sign-in took too long. Start again with your password.")
	case "too_many_attempts":
		e := wrap(panel.ERATELIMITED, "Too many wrong codes. Try again later.")
		e.(*panel.Error).RetryAfter = retryAfter(ae.RetryAfter, 900)
		return e
	}
	return signInError(err)
}

// VerifyMFA finishes a password sign-in that answered mfa_required.
func (c *Client) VerifyMFA(ctx context.Context, challenge, code string, recovery bool, clientIP string) (*panel.Identity, string, error) {
	form := url.Values{"mfa_token": {challenge}, "client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}}
	if recovery {
		form.Set("grant_type", grantMFARecovery)
		form.Set("recovery_code", code)
	} else {
		form.Set("grant_type", grantMFAOTP)
		form.Set("otp", code)
	}
	h := http.Header{}
	if clientIP != "" {
		h.Set("auth0-forwarded-for", clientIP)
	}
	var tr struct {
		tokenResponse
		RecoveryCode string `json:"recovery_code"`
	}
	if err := c.call(ctx, http.MethodPost, "/oauth/token", nil, form, h, &tr); err != nil {
		return nil, "", mfaError(err)
	}
	id, err := c.identity(ctx, &tr.tokenResponse, "")
	if err != nil {
		return nil, "", err
	}
	id.MFA = true
	return id, tr.RecoveryCode, nil
}

// MFAAccess asks for a token for the MFA API with the password grant
// (Auth0's "Manage Authentication Factors with Authentication API": ROPG
// with the https://{domain}/mfa/ audience).
func (c *Client) MFAAccess(ctx context.Context, email, password, clientIP string) (string, error) {
	tr, err := c.passwordRealm(ctx, email, password, clientIP, c.mfaAudience(), mfaScope)
	if err != nil {
		return "", err
	}
	if tr.AccessToken == "" {
		return "", &panel.Error{Code: panel.EUPSTREAM, Message: "The sign-in service sent no token.", Err: errors.New("auth0: mfa access: no access_token")}
	}
	return tr.AccessToken, nil
}

// MFAAccessWithCode completes MFAAccess for a user with a factor.
func (c *Client) MFAAccessWithCode(ctx context.Context, challenge, code string) (string, error) {
	form := url.Values{"grant_type": {grantMFAOTP}, "mfa_token": {challenge}, "otp": {code},
		"client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}}
	var tr tokenResponse
	if err := c.call(ctx, http.MethodPost, "/oauth/token", nil, form, nil, &tr); err != nil {
		return "", mfaError(err)
	}
	return tr.AccessToken, nil
}

// mfaAPIError maps a refused MFA API call.
func mfaAPIError(op string, err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Status {
	case http.StatusUnauthorized:
		return &panel.Error{Code: panel.EUNAUTHORIZED, Message: "Confirm your password again to manage two-factor authentication.", Err: fmt.Errorf("auth0: %s: %w", op, ae)}
	case http.StatusNotFound:
		return &panel.Error{Code: panel.ENOTFOUND, Message: "That authenticator was not found.", Err: fmt.Errorf("auth0: %s: %w", op, ae)}
	case http.StatusForbidden:
		return &panel.Error{Code: panel.EFORBIDDEN, Message: "Two-factor authentication is already set up.", Err: fmt.Errorf("auth0: %s: %w", op, ae)}
	}
	return upstreamError(op, ae)
}

type associateRequest struct {
	ClientID           string   `json:"client_id"`
	ClientSecret       string   `json:"client_secret,omitempty"`
	AuthenticatorTypes []string `json:"authenticator_types"`
}

// Associate is POST /mfa/associate for an OTP authenticator.
func (c *Client) Associate(ctx context.Context, token string) (*panel.MFAEnrolment, error) {
	var out struct {
		AuthenticatorType string   `json:"authenticator_type"`
		Secret            string   `json:"secret"`
		BarcodeURI        string   `json:"barcode_uri"`
		RecoveryCodes     []string `json:"recovery_codes"`
	}
	body := associateRequest{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, AuthenticatorTypes: []string{"otp"}}
	h := http.Header{"Authorization": {"Bearer " + token}}
	if err := c.call(ctx, http.MethodPost, "/mfa/associate", body, nil, h, &out); err != nil {
		return nil, mfaAPIError("associate", err)
	}
	if out.Secret == "" || out.BarcodeURI == "" {
		return nil, &panel.Error{Code: panel.EUPSTREAM, Message: "The sign-in service sent an incomplete answer.", Err: errors.New("auth0: associate: no secret or barcode_uri")}
	}
	return &panel.MFAEnrolment{Secret: out.Secret, BarcodeURI: out.BarcodeURI, RecoveryCodes: out.RecoveryCodes}, nil
}

// ConfirmMFA confirms an association: the mfa-otp grant with the token the
// association used (Auth0: "use the response values from /mfa/associate in
// place of the values returned from /mfa/challenge").
func (c *Client) ConfirmMFA(ctx context.Context, token, code string) error {
	form := url.Values{"grant_type": {grantMFAOTP}, "mfa_token": {token}, "otp": {code},
		"client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}}
	return mfaError(c.call(ctx, http.MethodPost, "/oauth/token", nil, form, nil, nil))
}

// Authenticators is GET /mfa/authenticators.
func (c *Client) Authenticators(ctx context.Context, token string) ([]panel.Authenticator, error) {
	var list []struct {
		ID                string `json:"id"`
		AuthenticatorType string `json:"authenticator_type"`
		Active            bool   `json:"active"`
	}
	h := http.Header{"Authorization": {"Bearer " + token}}
	if err := c.call(ctx, http.MethodGet, "/mfa/authenticators", nil, nil, h, &list); err != nil {
		return nil, mfaAPIError("list authenticators", err)
	}
	out := make([]panel.Authenticator, 0, len(list))
	for _, a := range list {
		out = append(out, panel.Authenticator{ID: a.ID, Type: a.AuthenticatorType, Active: a.Active})
	}
	return out, nil
}

// DeleteAuthenticator is DELETE /mfa/authenticators/{id}.
func (c *Client) DeleteAuthenticator(ctx context.Context, token, id string) error {
	h := http.Header{"Authorization": {"Bearer " + token}}
	return mfaAPIError("delete authenticator", c.call(ctx, http.MethodDelete, "/mfa/authenticators/"+url.PathEscape(id), nil, nil, h, nil))
}
