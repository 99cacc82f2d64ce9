package dynamo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// APITokens stores personal API tokens as APITOKEN#<sha256> / META items,
// listed per user through GSI1 (USER#<id> / APITOKEN#<created>#<id>) and
// removed by TTL once expired.
type APITokens struct{ Store }

var _ panel.APITokenStore = (*APITokens)(nil)

// NewAPITokens returns the token store.
func NewAPITokens(s Store) *APITokens { return &APITokens{s} }

type apiTokenItem struct {
	PK            string    `dynamodbav:"PK"`
	SK            string    `dynamodbav:"SK"`
	GSI1PK        string    `dynamodbav:"GSI1PK"`
	GSI1SK        string    `dynamodbav:"GSI1SK"`
	ID            string    `dynamodbav:"id"`
	Hash          string    `dynamodbav:"hash"`
	Name          string    `dynamodbav:"name"`
	Scope         string    `dynamodbav:"scope"`
	UserID        string    `dynamodbav:"userId"`
	VFUserID      int64     `dynamodbav:"vfUserId"`
	Email         string    `dynamodbav:"email"`
	UserName      string    `dynamodbav:"userName"`
	EmailVerified bool      `dynamodbav:"emailVerified"`
	CreatedAt     time.Time `dynamodbav:"createdAt"`
	LastUsedAt    int64     `dynamodbav:"lastUsedAt,omitempty"` // unix seconds
	ExpiresAt     int64     `dynamodbav:"expiresAt"`            // TTL, unix seconds
}

func apiTokenPK(hash string) string { return pkAPIToken + hash }

func (it *apiTokenItem) token() *panel.APIToken {
	t := &panel.APIToken{ID: it.ID, Hash: it.Hash, Name: it.Name, Scope: it.Scope, UserID: it.UserID, VFUserID: it.VFUserID,
		Email: it.Email, UserName: it.UserName, EmailVerified: it.EmailVerified, CreatedAt: it.CreatedAt,
		ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC()}
	if it.LastUsedAt > 0 {
		at := time.Unix(it.LastUsedAt, 0).UTC()
		t.LastUsedAt = &at
	}
	return t
}

// CreateAPIToken stores t unless the user already has max tokens. The
// count is read first: a race could add one token over max, which only
// bounds clutter, not money.
func (st *APITokens) CreateAPIToken(ctx context.Context, t *panel.APIToken, max int) error {
	existing, err := st.UserAPITokens(ctx, t.UserID)
	if err != nil {
		return err
	}
	if len(existing) >= max {
		return panel.Errorf(panel.ECONFLICT, "You have %d API tokens, the most allowed. Revoke one first.", len(existing))
	}
	it := apiTokenItem{PK: apiTokenPK(t.Hash), SK: skMeta, GSI1PK: acctUserPK(t.UserID),
		GSI1SK: gsi1APITokenSK + t.CreatedAt.UTC().Format(time.RFC3339Nano) + "#" + t.ID,
		ID:     t.ID, Hash: t.Hash, Name: t.Name, Scope: t.Scope, UserID: t.UserID, VFUserID: t.VFUserID, Email: t.Email,
		UserName: t.UserName, EmailVerified: t.EmailVerified, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.Unix()}
	return st.putNew(ctx, it, "api token", "Token already exists.")
}

// APITokenByHash reads a token with one consistent GetItem.
func (st *APITokens) APITokenByHash(ctx context.Context, hash string) (*panel.APIToken, error) {
	it, err := getItem[apiTokenItem](ctx, st.Store, Key(apiTokenPK(hash), skMeta), "token")
	if err != nil {
		return nil, err
	}
	if it.ExpiresAt <= st.Clock().Unix() {
		return nil, panel.NotFound("token") // TTL deletion lags
	}
	return it.token(), nil
}

func (st *APITokens) userItems(ctx context.Context, userID string) ([]apiTokenItem, error) {
	return queryUserIndex[apiTokenItem](ctx, st.Store, userID, gsi1APITokenSK, "api tokens")
}

// UserAPITokens lists a user's unexpired tokens, newest first.
func (st *APITokens) UserAPITokens(ctx context.Context, userID string) ([]*panel.APIToken, error) {
	items, err := st.userItems(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := st.Clock().Unix()
	out := []*panel.APIToken{}
	for i := range items {
		if items[i].ExpiresAt > now {
			out = append(out, items[i].token())
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// RevokeAPIToken deletes the user's token with id.
func (st *APITokens) RevokeAPIToken(ctx context.Context, userID, id string) error {
	items, err := st.userItems(ctx, userID)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ID != id {
			continue
		}
		_, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &st.Table, Key: Key(it.PK, it.SK),
			ConditionExpression:       aws.String("userId = :u"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":u": S(userID)}})
		if IsConditionFailed(err) {
			return panel.NotFound("token")
		}
		if err != nil {
			return storeErr("revoke api token", err)
		}
		return nil
	}
	return panel.NotFound("token")
}

// TouchAPIToken sets lastUsedAt; a token revoked meanwhile is left alone.
func (st *APITokens) TouchAPIToken(ctx context.Context, hash string, at time.Time) error {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(apiTokenPK(hash), skMeta),
		UpdateExpression: aws.String("SET lastUsedAt = :t"), ConditionExpression: aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberN{Value: fmt.Sprint(at.Unix())}}})
	if err != nil && !IsConditionFailed(err) {
		return storeErr("touch api token", err)
	}
	return nil
}
