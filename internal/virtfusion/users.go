package virtfusion

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// User is a VirtFusion user (GET /users/{ext}/byExtRelation).
type User struct {
	ID                               FlexInt           `json:"id"` // VirtFusion user id
	Admin                            FlexBool          `json:"admin"`
	ExtRelationID                    FlexString        `json:"extRelationId"` // an integer relation, or "" (null); the panel uses relStr instead
	SelfService                      FlexInt           `json:"selfService"`
	SelfServiceHourlyGroupProfiles   FlexList[FlexInt] `json:"selfServiceHourlyGroupProfiles"`
	SelfServiceResourceGroupProfiles FlexList[FlexInt] `json:"selfServiceResourceGroupProfiles"`
	SelfServiceHourlyResourcePack    FlexInt           `json:"selfServiceHourlyResourcePack"`
	Name                             FlexString        `json:"name"`
	Email                            FlexString        `json:"email"`
	Timezone                         FlexString        `json:"timezone"`
	Suspended                        FlexBool          `json:"suspended"`
	Enabled                          *FlexBool         `json:"enabled,omitempty"` // only in update responses
	TwoFactorAuth                    FlexBool          `json:"twoFactorAuth"`
	Password                         FlexString        `json:"password,omitempty"` // only in the create response
	Created                          FlexTime          `json:"created"`
	Updated                          FlexTime          `json:"updated"`
}

// Self-service modes for CreateUserRequest.SelfService.
const (
	SelfServiceOff           = 0
	SelfServiceHourly        = 1
	SelfServiceResourcePacks = 2
	SelfServiceBoth          = 3
)

// CreateUserRequest is the body of POST /users. The panel's user id is a
// string, so it goes in relStr: the spec types extRelationId as an integer
// and a real panel refuses a string there (422). Every later call names the
// user by that string with ?relStr=true.
type CreateUserRequest struct {
	Name                             string  `json:"name"`
	Email                            string  `json:"email"`
	RelStr                           string  `json:"relStr"`
	SelfService                      *int    `json:"selfService,omitempty"`
	SelfServiceHourlyCredit          *bool   `json:"selfServiceHourlyCredit,omitempty"`
	SelfServiceHourlyGroupProfiles   []int64 `json:"selfServiceHourlyGroupProfiles,omitempty"`
	SelfServiceResourceGroupProfiles []int64 `json:"selfServiceResourceGroupProfiles,omitempty"`
	SelfServiceHourlyResourcePack    *int64  `json:"selfServiceHourlyResourcePack,omitempty"`
	SendMail                         bool    `json:"sendMail"`
}

// UpdateUserRequest is the body of PUT /users/{ext}/byExtRelation; nil
// fields are left unchanged.
type UpdateUserRequest struct {
	Name        *string `json:"name,omitempty"`
	Email       *string `json:"email,omitempty"`
	Enabled     *bool   `json:"enabled,omitempty"`
	SelfService *int    `json:"selfService,omitempty"`
}

// LoginTokens is a single-sign-on link into the VirtFusion panel.
type LoginTokens struct {
	URL     string    // absolute: panel root + endpoint_complete
	Expires time.Time // tokens live about 60 s
}

type loginTokensJSON struct {
	Authentication struct {
		Tokens           FlexMap[FlexString] `json:"tokens"`
		Endpoint         FlexString          `json:"endpoint"`
		EndpointComplete FlexString          `json:"endpoint_complete"`
		Expiry           struct {
			TTL     FlexInt  `json:"ttl"`
			Expires FlexTime `json:"expires"`
		} `json:"expiry"`
	} `json:"authentication"`
}

func userPath(ext string) string {
	return "/users/" + url.PathEscape(ext) + "/byExtRelation"
}

// CreateUser creates a user (POST /users, 201). The response includes the
// generated panel password.
func (c *Client) CreateUser(ctx context.Context, req CreateUserRequest) (*User, error) {
	u, err := getData[User](ctx, c, request{method: http.MethodPost, path: "/users", body: req})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: create user %q: %w", req.RelStr, err)
	}
	return &u, nil
}

// GetUserByExtRelation returns the user whose external id is ext. A missing
// user is an error for which IsNotFound is true.
func (c *Client) GetUserByExtRelation(ctx context.Context, ext string) (*User, error) {
	u, err := getData[User](ctx, c, request{method: http.MethodGet, path: userPath(ext), query: relStr()})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: get user %q: %w", ext, err)
	}
	return &u, nil
}

// UpdateUserByExtRelation changes a user's details. VirtFusion answers 201
// with only the fields it updated.
func (c *Client) UpdateUserByExtRelation(ctx context.Context, ext string, req UpdateUserRequest) (*User, error) {
	u, err := getData[User](ctx, c, request{method: http.MethodPut, path: userPath(ext), query: relStr(), body: req})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: update user %q: %w", ext, err)
	}
	return &u, nil
}

// DeleteUserByExtRelation deletes a user. VirtFusion refuses (409) while the
// user still has servers.
func (c *Client) DeleteUserByExtRelation(ctx context.Context, ext string) error {
	if _, err := c.do(ctx, request{method: http.MethodDelete, path: userPath(ext), query: relStr()}, nil); err != nil {
		return fmt.Errorf("virtfusion: delete user %q: %w", ext, err)
	}
	return nil
}

// PasswordReset is a newly generated panel password.
type PasswordReset struct {
	Email    FlexString `json:"email"`
	Password FlexString `json:"password"`
}

// ResetUserPassword makes VirtFusion generate a new panel password.
func (c *Client) ResetUserPassword(ctx context.Context, ext string) (*PasswordReset, error) {
	p, err := getData[PasswordReset](ctx, c, request{method: http.MethodPost, path: userPath(ext) + "/resetPassword", query: relStr()})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: reset password of user %q: %w", ext, err)
	}
	return &p, nil
}

// UserLoginTokens returns a short-lived SSO link into the panel for a user.
func (c *Client) UserLoginTokens(ctx context.Context, ext string) (*LoginTokens, error) {
	path := "/users/" + url.PathEscape(ext) + "/authenticationTokens"
	t, err := c.loginTokens(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("virtfusion: login tokens for user %q: %w", ext, err)
	}
	return t, nil
}

// ServerLoginTokens returns a short-lived SSO link straight to one server's
// page in the panel.
func (c *Client) ServerLoginTokens(ctx context.Context, ext string, serverID int64) (*LoginTokens, error) {
	path := "/users/" + url.PathEscape(ext) + "/serverAuthenticationTokens/" + pathID(serverID)
	t, err := c.loginTokens(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("virtfusion: login tokens for user %q server %d: %w", ext, serverID, err)
	}
	return t, nil
}

func (c *Client) loginTokens(ctx context.Context, path string) (*LoginTokens, error) {
	d, err := getData[loginTokensJSON](ctx, c, request{method: http.MethodPost, path: path, query: relStr()})
	if err != nil {
		return nil, err
	}
	a := d.Authentication
	if a.EndpointComplete == "" {
		return nil, errDecode(http.StatusOK, fmt.Errorf("no endpoint_complete in response"))
	}
	t := &LoginTokens{URL: string(a.EndpointComplete), Expires: a.Expiry.Expires.Time}
	if !strings.HasPrefix(t.URL, "http://") && !strings.HasPrefix(t.URL, "https://") {
		t.URL = c.root + "/" + strings.TrimLeft(t.URL, "/")
	}
	if t.Expires.IsZero() {
		ttl := time.Duration(a.Expiry.TTL) * time.Second
		if ttl <= 0 {
			ttl = 60 * time.Second
		}
		t.Expires = c.now().Add(ttl)
	}
	return t, nil
}
