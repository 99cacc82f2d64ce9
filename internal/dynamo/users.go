package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Users stores users as USER#<id> / PROFILE items. GSI1 (EMAIL#<email> /
// USER#<id>) finds a user by email; GSI2 (USERS / <created>#<id>) lists all.
// The item also carries the claim that serialises creating the user's
// VirtFusion account (linkToken, linkClaimedAt).
type Users struct {
	Store
	// Welcome, when set, returns the messages queued in the same write
	// that creates a user (welcome, staff sign-up alert), so they exist
	// exactly when the user does.
	Welcome func(u *panel.User) []panel.Notification
}

var _ panel.UserStore = (*Users)(nil)

// NewUsers returns the user store.
func NewUsers(s Store) *Users { return &Users{Store: s} }

type userItem struct {
	PK            string    `dynamodbav:"PK"`
	SK            string    `dynamodbav:"SK"`
	GSI1PK        string    `dynamodbav:"GSI1PK"`
	GSI1SK        string    `dynamodbav:"GSI1SK"`
	GSI2PK        string    `dynamodbav:"GSI2PK"`
	GSI2SK        string    `dynamodbav:"GSI2SK"`
	ID            string    `dynamodbav:"id"`
	Email         string    `dynamodbav:"email"`
	Name          string    `dynamodbav:"name"`
	Role          string    `dynamodbav:"role"`
	VFUserID      int64     `dynamodbav:"vfUserId"`
	CreatedAt     time.Time `dynamodbav:"createdAt"`
	LinkToken     string    `dynamodbav:"linkToken,omitempty"`
	LinkClaimedAt int64     `dynamodbav:"linkClaimedAt,omitempty"` // unix ms
	EmailVerified bool      `dynamodbav:"emailVerified,omitempty"`
	Blocked       bool      `dynamodbav:"blocked,omitempty"`
	RoleOverride  string    `dynamodbav:"roleOverride,omitempty"`
}

const userSK = skProfile

func acctUserPK(id string) string { return pkUser + id }

func emailKey(email string) string { return gsi1Email + strings.ToLower(email) }

func (it *userItem) user() *panel.User {
	return &panel.User{ID: it.ID, Email: it.Email, Name: it.Name, Role: it.Role, VFUserID: it.VFUserID, CreatedAt: it.CreatedAt,
		EmailVerified: it.EmailVerified, Blocked: it.Blocked, RoleOverride: it.RoleOverride}
}

func decodeUser(av map[string]types.AttributeValue) (*userItem, error) {
	var it userItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal user: %w", err)
	}
	return &it, nil
}

func (st *Users) item(ctx context.Context, id string) (*userItem, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.Table, Key: Key(acctUserPK(id), userSK),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get user", err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("user")
	}
	return decodeUser(out.Item)
}

// User returns a user by id with one consistent GetItem.
func (st *Users) User(ctx context.Context, id string) (*panel.User, error) {
	it, err := st.item(ctx, id)
	if err != nil {
		return nil, err
	}
	return it.user(), nil
}

// UserByEmail finds a user through GSI1 (eventually consistent).
func (st *Users) UserByEmail(ctx context.Context, email string) (*panel.User, error) {
	out, err := st.DB.Query(ctx, &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(emailKey(email))}, Limit: aws.Int32(1)})
	if err != nil {
		return nil, storeErr("user by email", err)
	}
	if len(out.Items) == 0 {
		return nil, panel.NotFound("user")
	}
	it, err := decodeUser(out.Items[0])
	if err != nil {
		return nil, err
	}
	return it.user(), nil
}

// Users lists users oldest first through GSI2. The cursor is the opaque
// last evaluated key.
func (st *Users) Users(ctx context.Context, cursor string, limit int) ([]*panel.User, string, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	in := &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String("GSI2"),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2Users)}, Limit: aws.Int32(int32(limit))}
	if cursor != "" {
		// The cursor is the last user's GSI2SK (created time # id); the
		// rest of the start key follows from it.
		sk, ok := decodeCursor(cursor, "", time.RFC3339Nano)
		if !ok {
			return nil, "", badCursor()
		}
		id := sk[strings.IndexByte(sk, '#')+1:]
		in.ExclusiveStartKey = map[string]types.AttributeValue{
			"PK": S(acctUserPK(id)), "SK": S(userSK), "GSI2PK": S(gsi2Users), "GSI2SK": S(sk)}
	}
	out, err := st.DB.Query(ctx, in)
	if err != nil {
		return nil, "", storeErr("list users", err)
	}
	users := []*panel.User{}
	for _, av := range out.Items {
		it, err := decodeUser(av)
		if err != nil {
			return nil, "", err
		}
		users = append(users, it.user())
	}
	next := ""
	if sk, ok := out.LastEvaluatedKey["GSI2SK"].(*types.AttributeValueMemberS); ok {
		next = encodeCursor(sk.Value)
	}
	return users, next, nil
}

// ClaimLink creates the user with a claim if it does not exist, or takes
// over a claim older than stale on an unlinked user. See panel.UserStore.
func (st *Users) ClaimLink(ctx context.Context, u *panel.User, token string, now time.Time, stale time.Duration) (*panel.User, bool, error) {
	it := userItem{PK: acctUserPK(u.ID), SK: userSK, GSI1PK: emailKey(u.Email), GSI1SK: acctUserPK(u.ID),
		GSI2PK: gsi2Users, GSI2SK: u.CreatedAt.UTC().Format(time.RFC3339Nano) + "#" + u.ID,
		ID: u.ID, Email: strings.ToLower(u.Email), Name: u.Name, Role: u.Role, VFUserID: u.VFUserID,
		CreatedAt: u.CreatedAt.UTC(), LinkToken: token, LinkClaimedAt: now.UnixMilli()}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, false, fmt.Errorf("dynamo: marshal user: %w", err)
	}
	if err := st.create(ctx, av, it.user()); err == nil {
		if err := st.indexUser(ctx, nil, it.user()); err != nil {
			return nil, false, err
		}
		return it.user(), true, nil
	} else if !IsConditionFailed(err) {
		return nil, false, storeErr("create user", err)
	}
	// The user exists: take the claim only if it is unlinked and nobody
	// holds a live claim.
	out, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(acctUserPK(u.ID), userSK),
		UpdateExpression:    aws.String("SET linkToken = :t, linkClaimedAt = :now"),
		ConditionExpression: aws.String("attribute_exists(PK) AND (attribute_not_exists(vfUserId) OR vfUserId = :zero) AND (attribute_not_exists(linkClaimedAt) OR linkClaimedAt < :stale)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": S(token), ":now": N(now.UnixMilli()),
			":zero": N(0), ":stale": N(now.Add(-stale).UnixMilli())},
		ReturnValues: types.ReturnValueAllNew})
	if err == nil {
		stored, err := decodeUser(out.Attributes)
		if err != nil {
			return nil, false, err
		}
		return stored.user(), true, nil
	}
	if !IsConditionFailed(err) {
		return nil, false, storeErr("claim user link", err)
	}
	stored, err := st.item(ctx, u.ID)
	if err != nil {
		return nil, false, err
	}
	return stored.user(), false, nil
}

// CompleteLink records the VirtFusion id and drops the claim, if token
// still holds it.
func (st *Users) CompleteLink(ctx context.Context, userID, token string, vfUserID int64) (*panel.User, error) {
	out, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(acctUserPK(userID), userSK),
		UpdateExpression:          aws.String("SET vfUserId = :v REMOVE linkToken, linkClaimedAt"),
		ConditionExpression:       aws.String("linkToken = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": N(vfUserID), ":t": S(token)},
		ReturnValues:              types.ReturnValueAllNew})
	if IsConditionFailed(err) {
		return nil, panel.Errorf(panel.ECONFLICT, "Another sign-in is linking this account.")
	}
	if err != nil {
		return nil, storeErr("complete user link", err)
	}
	it, err := decodeUser(out.Attributes)
	if err != nil {
		return nil, err
	}
	return it.user(), nil
}

// ReleaseLink drops the claim if token still holds it.
func (st *Users) ReleaseLink(ctx context.Context, userID, token string) error {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(acctUserPK(userID), userSK),
		UpdateExpression:          aws.String("REMOVE linkToken, linkClaimedAt"),
		ConditionExpression:       aws.String("linkToken = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": S(token)}})
	if err != nil && !IsConditionFailed(err) {
		return storeErr("release user link", err)
	}
	return nil
}

// UpdateUser sets a user's email, name and role, and moves the user's
// search terms to match.
func (st *Users) UpdateUser(ctx context.Context, userID, email, name, role string) (*panel.User, error) {
	out, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(acctUserPK(userID), userSK),
		UpdateExpression:         aws.String("SET email = :e, GSI1PK = :g, #n = :n, #r = :r"),
		ConditionExpression:      aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames: map[string]string{"#n": "name", "#r": "role"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": S(strings.ToLower(email)), ":g": S(emailKey(email)),
			":n": S(name), ":r": S(role)},
		ReturnValues: types.ReturnValueAllOld})
	if IsConditionFailed(err) {
		return nil, panel.NotFound("user")
	}
	if err != nil {
		return nil, storeErr("update user", err)
	}
	it, err := decodeUser(out.Attributes)
	if err != nil {
		return nil, err
	}
	old := it.user()
	it.Email, it.Name, it.Role = strings.ToLower(email), name, role
	if err := st.indexUser(ctx, old, it.user()); err != nil {
		return nil, err
	}
	return it.user(), nil
}

// create writes a new user, with its welcome messages when there are any.
// A user that exists fails the condition (IsConditionFailed).
func (st *Users) create(ctx context.Context, av map[string]types.AttributeValue, u *panel.User) error {
	put := &types.Put{TableName: &st.Table, Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	var notes []panel.Notification
	if st.Welcome != nil {
		notes = st.Welcome(u)
	}
	if len(notes) == 0 {
		_, err := st.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: put.TableName, Item: put.Item,
			ConditionExpression: put.ConditionExpression})
		return err
	}
	items := []types.TransactWriteItem{{Put: put}}
	for _, n := range notes {
		w, err := OutboxPut(st.Table, n)
		if err != nil {
			return err
		}
		items = append(items, w)
	}
	_, err := st.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	// The user's own condition comes first: a cancelled write whose first
	// reason is a failed condition means the user exists.
	codes := billCancelCodes(err)
	switch {
	case len(codes) > 0 && codes[0] == "ConditionalCheckFailed":
		return &types.ConditionalCheckFailedException{Message: aws.String("user exists")}
	case IsConditionFailed(err):
		// Welcomed before, under this id (a user created again): no second welcome.
		_, err = st.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: put.TableName, Item: put.Item,
			ConditionExpression: put.ConditionExpression})
	}
	return err
}

// SetEmailVerified records whether the identity provider says the user
// proved their email address.
func (st *Users) SetEmailVerified(ctx context.Context, userID string, verified bool) (*panel.User, error) {
	out, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(acctUserPK(userID), userSK),
		UpdateExpression:          aws.String("SET emailVerified = :v"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberBOOL{Value: verified}},
		ReturnValues:              types.ReturnValueAllNew})
	if IsConditionFailed(err) {
		return nil, panel.NotFound("user")
	}
	if err != nil {
		return nil, storeErr("set email verified", err)
	}
	it, err := decodeUser(out.Attributes)
	if err != nil {
		return nil, err
	}
	return it.user(), nil
}
