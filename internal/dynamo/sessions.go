package dynamo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Sessions stores sessions as SESSION#<hash> / META items, listed per user
// through GSI1 (USER#<id> / SESSION#<created>#<hash>) and expired by TTL.
type Sessions struct{ Store }

var _ panel.SessionStore = (*Sessions)(nil)

// NewSessions returns the session store.
func NewSessions(s Store) *Sessions { return &Sessions{s} }

type sessionItem struct {
	PK         string    `dynamodbav:"PK"`
	SK         string    `dynamodbav:"SK"`
	GSI1PK     string    `dynamodbav:"GSI1PK"`
	GSI1SK     string    `dynamodbav:"GSI1SK"`
	ID         string    `dynamodbav:"id"`
	UserID     string    `dynamodbav:"userId"`
	VFUserID   int64     `dynamodbav:"vfUserId"`
	Email      string    `dynamodbav:"email"`
	Name       string    `dynamodbav:"name"`
	Role       string    `dynamodbav:"role"`
	CSRFToken  string    `dynamodbav:"csrfToken"`
	IP         string    `dynamodbav:"ip"`
	UserAgent  string    `dynamodbav:"userAgent"`
	CreatedAt  time.Time `dynamodbav:"createdAt"`
	LastSeenAt time.Time `dynamodbav:"lastSeenAt"`
	ExpiresAt  int64     `dynamodbav:"expiresAt"` // TTL, epoch seconds
	// UserCreatedAt is absent on sessions made before it was copied in.
	UserCreatedAt time.Time `dynamodbav:"userCreatedAt"`
	MFA           bool      `dynamodbav:"mfa,omitempty"`
	EmailVerified bool      `dynamodbav:"emailVerified,omitempty"`
}

func sessionPK(id string) string { return pkSession + id }

func (it *sessionItem) session() *panel.Session {
	return &panel.Session{ID: it.ID, UserID: it.UserID, VFUserID: it.VFUserID, Email: it.Email, Name: it.Name,
		Role: it.Role, CSRFToken: it.CSRFToken, IP: it.IP, UserAgent: it.UserAgent, CreatedAt: it.CreatedAt,
		LastSeenAt: it.LastSeenAt, ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC(), UserCreatedAt: it.UserCreatedAt, MFA: it.MFA,
		EmailVerified: it.EmailVerified}
}

// CreateSession stores s; ECONFLICT if the id exists (never, in practice).
func (st *Sessions) CreateSession(ctx context.Context, s *panel.Session) error {
	it := sessionItem{PK: sessionPK(s.ID), SK: skMeta, GSI1PK: acctUserPK(s.UserID),
		GSI1SK: gsi1SessionSK + s.CreatedAt.UTC().Format(time.RFC3339Nano) + "#" + s.ID,
		ID:     s.ID, UserID: s.UserID, VFUserID: s.VFUserID, Email: s.Email, Name: s.Name, Role: s.Role,
		CSRFToken: s.CSRFToken, IP: s.IP, UserAgent: s.UserAgent, CreatedAt: s.CreatedAt.UTC(),
		LastSeenAt: s.LastSeenAt.UTC(), ExpiresAt: s.ExpiresAt.Unix(), UserCreatedAt: s.UserCreatedAt.UTC(), MFA: s.MFA,
		EmailVerified: s.EmailVerified}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("dynamo: marshal session: %w", err)
	}
	_, err = st.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &st.Table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "Session already exists.")
	}
	if err != nil {
		return storeErr("create session", err)
	}
	return nil
}

// Session reads a session with one consistent GetItem. A session past its
// expiresAt is not found even if TTL has not deleted it yet.
func (st *Sessions) Session(ctx context.Context, id string) (*panel.Session, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.Table, Key: Key(sessionPK(id), skMeta),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get session", err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("session")
	}
	var it sessionItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal session: %w", err)
	}
	if it.ExpiresAt <= st.Clock().Unix() {
		return nil, panel.NotFound("session")
	}
	return it.session(), nil
}

// TouchSession sets lastSeenAt; a session deleted meanwhile is left alone.
func (st *Sessions) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(sessionPK(id), skMeta),
		UpdateExpression:          aws.String("SET lastSeenAt = :t"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": S(at.UTC().Format(time.RFC3339Nano))}})
	if err != nil && !IsConditionFailed(err) {
		return storeErr("touch session", err)
	}
	return nil
}

// DeleteSession removes a session.
func (st *Sessions) DeleteSession(ctx context.Context, id string) error {
	_, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &st.Table, Key: Key(sessionPK(id), skMeta)})
	if err != nil {
		return storeErr("delete session", err)
	}
	return nil
}

// DeleteUserSession removes a session only if it belongs to userID.
func (st *Sessions) DeleteUserSession(ctx context.Context, userID, id string) error {
	_, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &st.Table, Key: Key(sessionPK(id), skMeta),
		ConditionExpression:       aws.String("userId = :u"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":u": S(userID)}})
	if IsConditionFailed(err) {
		return panel.NotFound("session")
	}
	if err != nil {
		return storeErr("delete session", err)
	}
	return nil
}

func (st *Sessions) userItems(ctx context.Context, userID string) ([]sessionItem, error) {
	return queryUserIndex[sessionItem](ctx, st.Store, userID, gsi1SessionSK, "sessions")
}

// queryUserIndex reads every item a user owns under GSI1 whose GSI1SK
// starts with prefix (sessions, API tokens), newest first.
func queryUserIndex[T any](ctx context.Context, st Store, userID, prefix, what string) ([]T, error) {
	var items []T
	p := dynamodb.NewQueryPaginator(st.DB, &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(acctUserPK(userID)), ":p": S(prefix)},
		ScanIndexForward:          aws.Bool(false)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, storeErr("list "+what, err)
		}
		var batch []T
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &batch); err != nil {
			return nil, fmt.Errorf("dynamo: unmarshal %s: %w", what, err)
		}
		items = append(items, batch...)
	}
	return items, nil
}

// UserSessions lists a user's unexpired sessions, newest first.
func (st *Sessions) UserSessions(ctx context.Context, userID string) ([]*panel.Session, error) {
	items, err := st.userItems(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := st.Clock().Unix()
	out := []*panel.Session{}
	for i := range items {
		if items[i].ExpiresAt > now {
			out = append(out, items[i].session())
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// DeleteUserSessions removes every session of a user, 25 per batch.
func (st *Sessions) DeleteUserSessions(ctx context.Context, userID string) error {
	items, err := st.userItems(ctx, userID)
	if err != nil {
		return err
	}
	reqs := make([]types.WriteRequest, 0, len(items))
	for _, it := range items {
		reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: Key(it.PK, it.SK)}})
	}
	return st.batchWrite(ctx, "delete sessions", reqs)
}

// RenameSessions updates the name copied into each of a user's sessions.
func (st *Sessions) RenameSessions(ctx context.Context, userID, name string) error {
	items, err := st.userItems(ctx, userID)
	if err != nil {
		return err
	}
	for _, it := range items {
		_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(it.PK, it.SK),
			UpdateExpression: aws.String("SET #n = :n"), ConditionExpression: aws.String("attribute_exists(PK)"),
			ExpressionAttributeNames:  map[string]string{"#n": "name"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":n": S(name)}})
		if err != nil && !IsConditionFailed(err) {
			return storeErr("rename sessions", err)
		}
	}
	return nil
}

// SetSessionsEmailVerified updates the email_verified copied into each of
// a user's sessions.
func (st *Sessions) SetSessionsEmailVerified(ctx context.Context, userID string, verified bool) error {
	items, err := st.userItems(ctx, userID)
	if err != nil {
		return err
	}
	for _, it := range items {
		_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(it.PK, it.SK),
			UpdateExpression: aws.String("SET emailVerified = :v"), ConditionExpression: aws.String("attribute_exists(PK)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberBOOL{Value: verified}}})
		if err != nil && !IsConditionFailed(err) {
			return storeErr("set sessions email verified", err)
		}
	}
	return nil
}

// storeErr wraps a failed DynamoDB call (see dbErr).
func storeErr(op string, err error) error { return dbErr(op, err) }

// batchWrite sends reqs with BatchWriteItem, 25 to a call, retrying the
// items DynamoDB leaves unprocessed with a growing pause; items still left
// after a few tries are an error, not silently dropped.
func (s Store) batchWrite(ctx context.Context, op string, reqs []types.WriteRequest) error {
	for len(reqs) > 0 {
		n := min(25, len(reqs))
		pending := map[string][]types.WriteRequest{s.Table: reqs[:n]}
		reqs = reqs[n:]
		for attempt := 0; len(pending[s.Table]) > 0; attempt++ {
			if attempt > 5 {
				return storeErr(op, fmt.Errorf("%d writes left unprocessed", len(pending[s.Table])))
			}
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return storeErr(op, ctx.Err())
				case <-time.After(time.Duration(attempt*attempt) * 20 * time.Millisecond):
				}
			}
			out, err := s.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return storeErr(op, err)
			}
			pending = out.UnprocessedItems
		}
	}
	return nil
}
