package auth0

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// The Management API (auth0.com/docs/api/management/v2) with a token from
// the client-credentials grant for https://{domain}/api/v2/. The
// application must be authorised for the Management API with the scopes
// read:users, update:users and delete:users (Dashboard → Applications → APIs).

var _ panel.AccountAdmin = (*Client)(nil)

// mgmtToken caches the Management API token until shortly before expiry.
type mgmtToken struct {
	mu      sync.Mutex
	token   string
	expires time.Time
}

func (c *Client) managementToken(ctx context.Context) (string, error) {
	c.mgmt.mu.Lock()
	defer c.mgmt.mu.Unlock()
	if c.mgmt.token != "" && time.Now().Before(c.mgmt.expires) {
		return c.mgmt.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret}, "audience": {c.cfg.Issuer + "api/v2/"}}
	var tr tokenResponse
	if err := c.call(ctx, http.MethodPost, "/oauth/token", nil, form, nil, &tr); err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			return "", upstreamError("management token", ae)
		}
		return "", err
	}
	if tr.AccessToken == "" {
		return "", errors.New("auth0: management token: no access_token")
	}
	ttl := time.Duration(tr.ExpiresIn) * time.Second
	c.mgmt.token, c.mgmt.expires = tr.AccessToken, time.Now().Add(ttl*9/10)
	return tr.AccessToken, nil
}

// management calls the Management API; a 401 drops the cached token.
func (c *Client) management(ctx context.Context, method, path string, body, out any) error {
	token, err := c.managementToken(ctx)
	if err != nil {
		return err
	}
	err = c.call(ctx, method, "/api/v2"+path, body, nil, http.Header{"Authorization": {"Bearer " + token}}, out)
	var ae *apiError
	if errors.As(err, &ae) {
		if ae.Status == http.StatusUnauthorized {
			c.mgmt.mu.Lock()
			c.mgmt.token = ""
			c.mgmt.mu.Unlock()
		}
		if ae.Status == http.StatusNotFound {
			return &panel.Error{Code: panel.ENOTFOUND, Message: "The sign-in service has no such user.", Err: fmt.Errorf("auth0: management %s: %w", path, ae)}
		}
		return upstreamError("management "+path, ae)
	}
	return err
}

// UsersByEmail is GET /api/v2/users-by-email.
func (c *Client) UsersByEmail(ctx context.Context, email string) ([]panel.ManagedUser, error) {
	var list []struct {
		UserID        string `json:"user_id"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
	}
	if err := c.management(ctx, http.MethodGet, "/users-by-email?email="+url.QueryEscape(email), nil, &list); err != nil {
		return nil, err
	}
	out := make([]panel.ManagedUser, 0, len(list))
	for _, u := range list {
		out = append(out, panel.ManagedUser{Subject: u.UserID, Email: u.Email, EmailVerified: u.EmailVerified})
	}
	return out, nil
}

type verificationEmailJob struct {
	UserID   string `json:"user_id"`
	ClientID string `json:"client_id"`
}

// SendVerificationEmail is POST /api/v2/jobs/verification-email (answer:
// a job {type:"verification_email", status, created_at, id}).
func (c *Client) SendVerificationEmail(ctx context.Context, subject string) error {
	var job struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Status string `json:"status"`
	}
	return c.management(ctx, http.MethodPost, "/jobs/verification-email", verificationEmailJob{UserID: subject, ClientID: c.cfg.ClientID}, &job)
}

// DeleteUser is DELETE /api/v2/users/{id} (answer: 204). A user that is
// already gone is not an error, so an interrupted account erase can be
// retried.
func (c *Client) DeleteUser(ctx context.Context, subject string) error {
	err := c.management(ctx, http.MethodDelete, "/users/"+url.PathEscape(subject), nil, nil)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return nil
	}
	return err
}

// userUpdate is the body of PATCH /api/v2/users/{id}; only the root
// attribute the panel changes is sent.
type userUpdate struct {
	Blocked bool `json:"blocked"`
}

// SetBlocked is PATCH /api/v2/users/{id} {"blocked": …} (answer: 200 and
// the user). A blocked user cannot sign in; unblocking this way does not
// lift a block from too many failed logins (that is /user-blocks).
func (c *Client) SetBlocked(ctx context.Context, subject string, blocked bool) error {
	var out struct {
		UserID  string `json:"user_id"`
		Blocked bool   `json:"blocked"`
	}
	if err := c.management(ctx, http.MethodPatch, "/users/"+url.PathEscape(subject), userUpdate{Blocked: blocked}, &out); err != nil {
		return err
	}
	if out.Blocked != blocked {
		return fmt.Errorf("auth0: set blocked of %s: answer says blocked=%v", subject, out.Blocked)
	}
	return nil
}
