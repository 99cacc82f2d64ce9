package virtfusion

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// SSHKey is a public key stored in VirtFusion for a user.
type SSHKey struct {
	ID        FlexInt    `json:"id"`
	OwnerID   FlexInt    `json:"ownerId"`
	Name      FlexString `json:"name"`
	PublicKey FlexString `json:"publicKey"`
	Type      FlexString `json:"type"` // OpenSSH
	Enabled   FlexBool   `json:"enabled"`
	Created   FlexTime   `json:"created"` // "createdAt" in the create response
	Updated   FlexTime   `json:"updated"`
}

// UnmarshalJSON also reads "createdAt" (create response) and "public"
// (embedded in the server object).
func (k *SSHKey) UnmarshalJSON(b []byte) error {
	type plain SSHKey
	var w struct {
		plain
		CreatedAt FlexTime   `json:"createdAt"`
		Public    FlexString `json:"public"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*k = SSHKey(w.plain)
	if k.Created.IsZero() {
		k.Created = w.CreatedAt
	}
	if k.PublicKey == "" {
		k.PublicKey = w.Public
	}
	return nil
}

// CreateSSHKey stores a public key for a VirtFusion user id.
func (c *Client) CreateSSHKey(ctx context.Context, vfUserID int64, name, publicKey string) (*SSHKey, error) {
	body := map[string]any{"userId": vfUserID, "name": name, "publicKey": publicKey}
	k, err := getData[SSHKey](ctx, c, request{method: http.MethodPost, path: "/ssh_keys", body: body})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: create ssh key for user %d: %w", vfUserID, err)
	}
	return &k, nil
}

// SSHKeys returns a VirtFusion user's keys (not paginated).
func (c *Client) SSHKeys(ctx context.Context, vfUserID int64) ([]SSHKey, error) {
	k, err := getData[FlexList[SSHKey]](ctx, c, request{method: http.MethodGet, path: "/ssh_keys/user/" + pathID(vfUserID)})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: list ssh keys of user %d: %w", vfUserID, err)
	}
	return k, nil
}

// SSHKey returns one key.
func (c *Client) SSHKey(ctx context.Context, id int64) (*SSHKey, error) {
	k, err := getData[SSHKey](ctx, c, request{method: http.MethodGet, path: "/ssh_keys/" + pathID(id)})
	if err != nil {
		return nil, fmt.Errorf("virtfusion: get ssh key %d: %w", id, err)
	}
	return &k, nil
}

// DeleteSSHKey deletes a key.
func (c *Client) DeleteSSHKey(ctx context.Context, id int64) error {
	if _, err := c.do(ctx, request{method: http.MethodDelete, path: "/ssh_keys/" + pathID(id)}, nil); err != nil {
		return fmt.Errorf("virtfusion: delete ssh key %d: %w", id, err)
	}
	return nil
}

// CreditRequest is self-service credit for hourly billing.
type CreditRequest struct {
	Tokens     float64 `json:"tokens"`
	Reference1 int64   `json:"reference_1,omitempty"`
	Reference2 string  `json:"reference_2,omitempty"` // ≤ 1000 chars, e.g. our ledger id
}

// AddCredit adds self-service credit to a user and returns the credit id.
// Never retried: a repeat would add the credit twice.
func (c *Client) AddCredit(ctx context.Context, ext string, req CreditRequest) (int64, error) {
	d, err := getData[struct {
		ID FlexInt `json:"id"`
	}](ctx, c, request{method: http.MethodPost, path: "/selfService/credit/byUserExtRelationId/" + url.PathEscape(ext),
		query: relStr(), body: req})
	if err != nil {
		return 0, fmt.Errorf("virtfusion: add credit to user %q: %w", ext, err)
	}
	return int64(d.ID), nil
}

// CancelCredit removes a credit entry made by AddCredit.
func (c *Client) CancelCredit(ctx context.Context, creditID int64) error {
	if _, err := c.do(ctx, request{method: http.MethodDelete, path: "/selfService/credit/" + pathID(creditID)}, nil); err != nil {
		return fmt.Errorf("virtfusion: cancel credit %d: %w", creditID, err)
	}
	return nil
}
