package dynamo

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// The operator console's user queries, all through indexes:
//
//   - search: each user has USER#<id> / SEARCH#<term> items, one per
//     search term (email, its local part and domain, each word of the
//     name, the id), on GSI1 as USEARCH#<first 2 chars> / <term>#<id>. A
//     prefix search is one Query on one shard with begins_with.
//   - negative balance: a balance below zero carries GSI2 NEGBALANCE /
//     <offset balance>#<id> (set or removed in the same write that moves
//     the balance), so the customers in debt are one Query, most negative
//     first.
//   - everyone else: GSI2 USERS by creation, role and blocked as filters.

var _ panel.AdminUserStore = (*Users)(nil)

const maxSearchTerm = 100

// searchTerms are the lower-case terms a user is found by.
func searchTerms(u *panel.User) []string {
	if u == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		t = strings.ToLower(strings.TrimSpace(t))
		if utf8.RuneCountInString(t) < 2 || seen[t] {
			return
		}
		if len(t) > maxSearchTerm {
			t = t[:maxSearchTerm]
			for !utf8.ValidString(t) {
				t = t[:len(t)-1]
			}
		}
		seen[t] = true
		out = append(out, t)
	}
	add(u.ID)
	add(u.Email)
	if local, domain, ok := strings.Cut(u.Email, "@"); ok {
		add(local)
		add(domain)
	}
	for _, w := range strings.Fields(u.Name) {
		add(w)
	}
	add(u.Name)
	return out
}

// searchShard is the GSI1 partition of a term or query: its first two runes.
func searchShard(t string) string {
	n := 0
	for i := range t {
		if n == 2 {
			return gsi1UserSearch + t[:i]
		}
		n++
	}
	return gsi1UserSearch + t
}

func searchItem(userID, term string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": S(acctUserPK(userID)), "SK": S(skSearch + term),
		"GSI1PK": S(searchShard(term)), "GSI1SK": S(term + "#" + userID), "userId": S(userID)}
}

// indexUser replaces old's search terms with u's.
func (st *Users) indexUser(ctx context.Context, old, u *panel.User) error {
	keep := map[string]bool{}
	for _, t := range searchTerms(u) {
		keep[t] = true
	}
	var reqs []types.WriteRequest
	for _, t := range searchTerms(old) {
		if !keep[t] {
			reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: Key(acctUserPK(old.ID), skSearch+t)}})
		}
	}
	for t := range keep {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: searchItem(u.ID, t)}})
	}
	return st.batchWrite(ctx, "index user", reqs)
}

// ReindexUsers writes the search terms of every user (for users made
// before the index existed); it returns how many users it indexed.
func (st *Users) ReindexUsers(ctx context.Context) (int, error) {
	n, cursor := 0, ""
	for {
		users, next, err := st.Users(ctx, cursor, 100)
		if err != nil {
			return n, err
		}
		for _, u := range users {
			if err := st.indexUser(ctx, nil, u); err != nil {
				return n, err
			}
			n++
		}
		if next == "" {
			return n, nil
		}
		cursor = next
	}
}

// negBalanceKey orders balances below zero most negative first.
func negBalanceKey(balance int64, userID string) string {
	return fmt.Sprintf("%019d#%s", balance+panel.MaxBalanceMinor+1, userID)
}

// balanceIndex returns the UpdateExpression clause that keeps a balance's
// NEGBALANCE index entry in step with its new value, and sets its values
// in vals.
func balanceIndex(userID string, balance int64, vals map[string]types.AttributeValue) string {
	if balance >= 0 {
		return " REMOVE GSI2PK, GSI2SK"
	}
	vals[":negpk"], vals[":negsk"] = S(gsi2NegBalance), S(negBalanceKey(balance, userID))
	return ", GSI2PK = :negpk, GSI2SK = :negsk"
}

// adminCursor is an opaque cursor carrying a key value that must start
// with prefix.
func adminCursor(c, prefix string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || encodeCursor(string(b)) != c || len(b) > maxCursorKey || !strings.HasPrefix(string(b), prefix) {
		return "", badCursor()
	}
	return string(b), nil
}

// FindUsers implements panel.AdminUserStore.
func (st *Users) FindUsers(ctx context.Context, q panel.UserQuery) ([]*panel.User, string, error) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 25
	}
	switch {
	case q.Search != "":
		return st.searchUsers(ctx, q)
	case q.NegativeBalance:
		return st.negativeUsers(ctx, q)
	}
	in := &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String("GSI2"),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2Users)},
		ScanIndexForward:          aws.Bool(q.Sort != panel.SortCreatedDesc)}
	var filters []string
	names := map[string]string{}
	if q.Role != "" {
		filters = append(filters, "#r = :role")
		names["#r"] = "role"
		in.ExpressionAttributeValues[":role"] = S(q.Role)
	}
	if q.Blocked != nil {
		if *q.Blocked {
			filters = append(filters, "blocked = :t")
		} else {
			filters = append(filters, "(attribute_not_exists(blocked) OR blocked = :f)")
			in.ExpressionAttributeValues[":f"] = &types.AttributeValueMemberBOOL{Value: false}
		}
		if *q.Blocked {
			in.ExpressionAttributeValues[":t"] = &types.AttributeValueMemberBOOL{Value: true}
		}
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	if len(names) > 0 {
		in.ExpressionAttributeNames = names
	}
	if q.Cursor != "" {
		sk, ok := decodeCursor(q.Cursor, "", time.RFC3339Nano)
		if !ok {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(acctUserPK(sk[strings.IndexByte(sk, '#')+1:])),
			"SK": S(userSK), "GSI2PK": S(gsi2Users), "GSI2SK": S(sk)}
	}
	// A filter can leave a page short: read on (a few pages at most) until
	// the page is full, and hand back where it stopped.
	users := []*panel.User{}
	for range 5 {
		in.Limit = aws.Int32(int32(q.Limit - len(users)))
		if len(filters) > 0 {
			in.Limit = aws.Int32(100)
		}
		out, err := st.DB.Query(ctx, in)
		if err != nil {
			return nil, "", storeErr("list users", err)
		}
		for _, av := range out.Items {
			it, err := decodeUser(av)
			if err != nil {
				return nil, "", err
			}
			users = append(users, it.user())
			if len(users) == q.Limit {
				return users, encodeCursor(it.GSI2SK), nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return users, "", nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	sk, _ := in.ExclusiveStartKey["GSI2SK"].(*types.AttributeValueMemberS)
	if sk == nil {
		return users, "", nil
	}
	return users, encodeCursor(sk.Value), nil
}

// searchUsers is a prefix Query on the query's shard of the term index.
func (st *Users) searchUsers(ctx context.Context, q panel.UserQuery) ([]*panel.User, string, error) {
	term := strings.ToLower(strings.TrimSpace(q.Search))
	if utf8.RuneCountInString(term) < 2 || len(term) > maxSearchTerm {
		return nil, "", panel.Invalid(map[string]string{"q": "Search with 2 to 100 characters."})
	}
	in := &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :t)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(searchShard(term)), ":t": S(term)},
		Limit:                     aws.Int32(int32(q.Limit))}
	if q.Cursor != "" {
		sk, err := adminCursor(q.Cursor, term)
		if err != nil {
			return nil, "", err
		}
		uid := sk[strings.LastIndexByte(sk, '#')+1:]
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(acctUserPK(uid)), "SK": S(skSearch + sk[:strings.LastIndexByte(sk, '#')]),
			"GSI1PK": S(searchShard(term)), "GSI1SK": S(sk)}
	}
	out, err := st.DB.Query(ctx, in)
	if err != nil {
		return nil, "", storeErr("search users", err)
	}
	var ids []string
	seen := map[string]bool{}
	for _, av := range out.Items {
		if id, ok := av["userId"].(*types.AttributeValueMemberS); ok && !seen[id.Value] {
			seen[id.Value] = true
			ids = append(ids, id.Value)
		}
	}
	users, err := st.usersByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if sk, ok := out.LastEvaluatedKey["GSI1SK"].(*types.AttributeValueMemberS); ok {
		next = encodeCursor(sk.Value)
	}
	return filterUsers(users, q), next, nil
}

// negativeUsers reads the sparse index of balances below zero.
func (st *Users) negativeUsers(ctx context.Context, q panel.UserQuery) ([]*panel.User, string, error) {
	in := &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String("GSI2"),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2NegBalance)},
		Limit:                     aws.Int32(int32(q.Limit))}
	if q.Cursor != "" {
		sk, err := adminCursor(q.Cursor, "")
		if err != nil {
			return nil, "", err
		}
		_, uid, ok := strings.Cut(sk, "#")
		if !ok || uid == "" {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(acctUserPK(uid)), "SK": S(skBalance),
			"GSI2PK": S(gsi2NegBalance), "GSI2SK": S(sk)}
	}
	out, err := st.DB.Query(ctx, in)
	if err != nil {
		return nil, "", storeErr("users in debt", err)
	}
	var ids []string
	for _, av := range out.Items {
		if pk, ok := av["PK"].(*types.AttributeValueMemberS); ok {
			ids = append(ids, strings.TrimPrefix(pk.Value, pkUser))
		}
	}
	users, err := st.usersByID(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if sk, ok := out.LastEvaluatedKey["GSI2SK"].(*types.AttributeValueMemberS); ok {
		next = encodeCursor(sk.Value)
	}
	return filterUsers(users, q), next, nil
}

// filterUsers applies role and blocked to an index page.
func filterUsers(users []*panel.User, q panel.UserQuery) []*panel.User {
	out := []*panel.User{}
	for _, u := range users {
		if (q.Role == "" || u.Role == q.Role) && (q.Blocked == nil || u.Blocked == *q.Blocked) {
			out = append(out, u)
		}
	}
	return out
}

// UsersByID implements panel.AdminUserStore.
func (st *Users) UsersByID(ctx context.Context, ids []string) ([]*panel.User, error) {
	return st.usersByID(ctx, ids)
}

// usersByID reads profiles with BatchGetItem, in the order of ids; ids
// without a profile are skipped.
func (st *Users) usersByID(ctx context.Context, ids []string) ([]*panel.User, error) {
	byID := map[string]*panel.User{}
	for start := 0; start < len(ids); start += 100 {
		var keys []map[string]types.AttributeValue
		for _, id := range ids[start:min(start+100, len(ids))] {
			keys = append(keys, Key(acctUserPK(id), userSK))
		}
		pending := map[string]types.KeysAndAttributes{st.Table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		for attempt := 0; len(pending[st.Table].Keys) > 0; attempt++ {
			if attempt > 5 {
				return nil, storeErr("get users", fmt.Errorf("%d reads left unprocessed", len(pending[st.Table].Keys)))
			}
			out, err := st.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return nil, storeErr("get users", err)
			}
			for _, av := range out.Responses[st.Table] {
				it, err := decodeUser(av)
				if err != nil {
					return nil, err
				}
				byID[it.ID] = it.user()
			}
			pending = out.UnprocessedKeys
		}
	}
	users := make([]*panel.User, 0, len(ids))
	for _, id := range ids {
		if u := byID[id]; u != nil {
			users = append(users, u)
		}
	}
	return users, nil
}

// setUser applies one admin update to a profile and returns the user after it.
func (st *Users) setUser(ctx context.Context, userID, op, expr, cond string, vals map[string]types.AttributeValue) (*panel.User, error) {
	c := "attribute_exists(PK)"
	if cond != "" {
		c += " AND " + cond
	}
	in := &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(acctUserPK(userID), userSK),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String(c), ReturnValues: types.ReturnValueAllNew}
	if len(vals) > 0 {
		in.ExpressionAttributeValues = vals
	}
	if strings.Contains(expr, "#r") {
		in.ExpressionAttributeNames = map[string]string{"#r": "role"}
	}
	out, err := st.DB.UpdateItem(ctx, in)
	if IsConditionFailed(err) {
		if cond == "" {
			return nil, panel.NotFound("user")
		}
		if _, gerr := st.item(ctx, userID); gerr != nil {
			return nil, gerr
		}
		return nil, panel.Errorf(panel.ECONFLICT, "The user is linked to a VirtFusion account already.")
	}
	if err != nil {
		return nil, storeErr(op, err)
	}
	it, err := decodeUser(out.Attributes)
	if err != nil {
		return nil, err
	}
	return it.user(), nil
}

// SetBlocked implements panel.AdminUserStore.
func (st *Users) SetBlocked(ctx context.Context, userID string, blocked bool) (*panel.User, error) {
	if !blocked {
		return st.setUser(ctx, userID, "unblock user", "REMOVE blocked", "", nil)
	}
	return st.setUser(ctx, userID, "block user", "SET blocked = :b", "",
		map[string]types.AttributeValue{":b": &types.AttributeValueMemberBOOL{Value: true}})
}

// SetRoleOverride implements panel.AdminUserStore.
func (st *Users) SetRoleOverride(ctx context.Context, userID, role string) (*panel.User, error) {
	return st.setUser(ctx, userID, "set role", "SET #r = :r, roleOverride = :r", "",
		map[string]types.AttributeValue{":r": S(role)})
}

// LinkVirtFusion implements panel.AdminUserStore.
func (st *Users) LinkVirtFusion(ctx context.Context, userID string, vfUserID int64) (*panel.User, error) {
	return st.setUser(ctx, userID, "link virtfusion user", "SET vfUserId = :v REMOVE linkToken, linkClaimedAt",
		"(attribute_not_exists(vfUserId) OR vfUserId = :zero)", map[string]types.AttributeValue{":v": N(vfUserID), ":zero": N(0)})
}
