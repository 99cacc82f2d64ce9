package dynamo

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Outbox stores notifications and their delivery state. Items:
//
//	OUTBOX#<msgId> / META    one message and its state
//	USER#<uid> / NOTIFYPREFS a customer's mail preferences
//
// GSI1 holds the sender's work lists, sparse: OUTBOX#DUE (queued messages by
// next attempt, and sending ones by lease end, so a crashed sender's claim
// comes due again) and OUTBOX#FAILED (by failure time, for admins). GSI2
// holds a customer's mail history: MAIL#<uid> by creation time. The table's
// stream carries the INSERT of each OUTBOX# item to the notify function.
type Outbox struct{ Store }

var _ panel.Outbox = (*Outbox)(nil)

// NewOutbox returns the outbox store.
func NewOutbox(s Store) *Outbox { return &Outbox{s} }

const (
	outboxSK        = skMeta
	outboxDue       = gsi1OutboxDue
	outboxFailed    = gsi1OutboxFailed
	notifyPrefsSK   = skNotifyPrefs
	outboxRetention = 400 * 24 * time.Hour
)

func outboxPK(id string) string       { return OutboxPKPrefix + id }
func mailHistoryPK(uid string) string { return gsi2MailHistory + uid }

// OutboxIDFromPK returns the message id of an outbox item's partition key,
// and false for any other key.
func OutboxIDFromPK(pk string) (string, bool) {
	id, ok := strings.CutPrefix(pk, OutboxPKPrefix)
	return id, ok && id != ""
}

type outboxItem struct {
	PK            string            `dynamodbav:"PK"`
	SK            string            `dynamodbav:"SK"`
	GSI1PK        string            `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK        string            `dynamodbav:"GSI1SK,omitempty"`
	GSI2PK        string            `dynamodbav:"GSI2PK,omitempty"`
	GSI2SK        string            `dynamodbav:"GSI2SK,omitempty"`
	ID            string            `dynamodbav:"id"`
	Kind          string            `dynamodbav:"kind"`
	UserID        string            `dynamodbav:"userId,omitempty"`
	Email         string            `dynamodbav:"email,omitempty"`
	Name          string            `dynamodbav:"name,omitempty"`
	Data          map[string]string `dynamodbav:"data,omitempty"`
	CreatedAt     string            `dynamodbav:"createdAt"`
	State         string            `dynamodbav:"state"`
	Subject       string            `dynamodbav:"subject,omitempty"`
	Attempts      int               `dynamodbav:"attempts"`
	NextAttemptAt string            `dynamodbav:"nextAttemptAt,omitempty"`
	LeaseUntil    string            `dynamodbav:"leaseUntil,omitempty"`
	LastError     string            `dynamodbav:"lastError,omitempty"`
	SentAt        string            `dynamodbav:"sentAt,omitempty"`
	ExpiresAt     int64             `dynamodbav:"expiresAt"`
}

// ts formats times fixed-width so sort keys and string comparisons in
// conditions order by time.
func ts(t time.Time) string { return t.UTC().Format(auditTime) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(auditTime, s)
	return t
}

func (it *outboxItem) delivery() *panel.Delivery {
	return &panel.Delivery{
		Notification: panel.Notification{ID: it.ID, Kind: panel.NotificationKind(it.Kind), UserID: it.UserID,
			Email: it.Email, Name: it.Name, Data: it.Data, CreatedAt: parseTS(it.CreatedAt)},
		State: it.State, Subject: it.Subject, Attempts: it.Attempts, NextAttemptAt: parseTS(it.NextAttemptAt),
		LastError: it.LastError, SentAt: parseTS(it.SentAt)}
}

// OutboxPut returns the write that queues n, for the caller to append to
// the TransactWriteItems of the event that causes it. The condition makes
// a second write of the same message id cancel the transaction, which is
// what a replayed event should do anyway.
func OutboxPut(table string, n panel.Notification) (types.TransactWriteItem, error) {
	if bad := n.Validate(); bad != nil {
		return types.TransactWriteItem{}, fmt.Errorf("dynamo: outbox %q: %v", n.ID, bad)
	}
	created := n.CreatedAt.UTC()
	it := outboxItem{PK: outboxPK(n.ID), SK: outboxSK,
		GSI1PK: outboxDue, GSI1SK: ts(created) + "#" + n.ID,
		ID: n.ID, Kind: string(n.Kind), UserID: n.UserID, Email: n.Email, Name: n.Name, Data: n.Data,
		CreatedAt: ts(created), State: panel.DeliveryQueued, NextAttemptAt: ts(created),
		ExpiresAt: created.Add(outboxRetention).Unix()}
	if n.UserID != "" && !n.Kind.Plain() {
		it.GSI2PK, it.GSI2SK = mailHistoryPK(n.UserID), ts(created)+"#"+n.ID
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("dynamo: marshal outbox item: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}, nil
}

// Enqueue writes n on its own, for events that have no transaction of their
// own (a sign-in from a new device, a billing run error). A message id
// that exists already is not an error: the event was queued before.
func (o *Outbox) Enqueue(ctx context.Context, n panel.Notification) error {
	w, err := OutboxPut(o.Table, n)
	if err != nil {
		return err
	}
	_, err = o.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: w.Put.TableName, Item: w.Put.Item,
		ConditionExpression: w.Put.ConditionExpression})
	if err != nil && !IsConditionFailed(err) {
		return storeErr("enqueue notification", err)
	}
	return nil
}

// Claim implements panel.Outbox. The condition is the whole guard against
// double sends: only one caller can move a message into sending, and a
// sent or failed message never matches.
func (o *Outbox) Claim(ctx context.Context, id string, lease time.Duration) (*panel.Delivery, error) {
	now := o.Clock()
	until := ts(now.Add(lease))
	out, err := o.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &o.Table, Key: Key(outboxPK(id), outboxSK),
		UpdateExpression: aws.String("SET #s = :sending, leaseUntil = :until, GSI1SK = :gsk, attempts = attempts + :one"),
		ConditionExpression: aws.String("attribute_exists(PK) AND ((#s = :queued AND nextAttemptAt <= :now) OR " +
			"(#s = :sending AND leaseUntil < :now))"),
		ExpressionAttributeNames: map[string]string{"#s": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sending": S(panel.DeliverySending),
			":queued": S(panel.DeliveryQueued), ":now": S(ts(now)), ":until": S(until),
			":gsk": S(until + "#" + id), ":one": N(1)},
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	if IsConditionFailed(err) {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) && len(ccf.Item) == 0 {
			return nil, panel.NotFound("notification")
		}
		return nil, panel.Errorf(panel.ECONFLICT, "This notification is not due, or another sender has it.")
	}
	if err != nil {
		return nil, storeErr("claim notification", err)
	}
	var it outboxItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal outbox item: %w", err)
	}
	return it.delivery(), nil
}

// MarkSent implements panel.Outbox.
func (o *Outbox) MarkSent(ctx context.Context, id, subject string) error {
	return o.finish(ctx, id, "mark notification sent",
		"SET #s = :sent, sentAt = :now, subject = :subj REMOVE GSI1PK, GSI1SK, leaseUntil, nextAttemptAt, lastError",
		map[string]types.AttributeValue{":sent": S(panel.DeliverySent), ":subj": S(subject)})
}

// MarkSkipped implements panel.Outbox.
func (o *Outbox) MarkSkipped(ctx context.Context, id, reason string) error {
	return o.finish(ctx, id, "mark notification skipped",
		"SET #s = :skipped, lastError = :r REMOVE GSI1PK, GSI1SK, leaseUntil, nextAttemptAt",
		map[string]types.AttributeValue{":skipped": S(panel.DeliverySkipped), ":r": S(reason)})
}

// MarkAttemptFailed implements panel.Outbox.
func (o *Outbox) MarkAttemptFailed(ctx context.Context, id, reason string, next time.Time, final bool) error {
	now := o.Clock()
	if final {
		return o.finish(ctx, id, "mark notification failed",
			"SET #s = :failed, lastError = :r, GSI1PK = :fpk, GSI1SK = :fsk REMOVE leaseUntil, nextAttemptAt",
			map[string]types.AttributeValue{":failed": S(panel.DeliveryFailed), ":r": S(reason),
				":fpk": S(outboxFailed), ":fsk": S(ts(now) + "#" + id)})
	}
	return o.finish(ctx, id, "record notification attempt",
		"SET #s = :queued, lastError = :r, nextAttemptAt = :next, GSI1PK = :dpk, GSI1SK = :dsk REMOVE leaseUntil",
		map[string]types.AttributeValue{":queued": S(panel.DeliveryQueued), ":r": S(reason),
			":next": S(ts(next)), ":dpk": S(outboxDue), ":dsk": S(ts(next) + "#" + id)})
}

// finish applies a transition out of sending. It is conditional on the
// message still being sending, so a sender whose lease ran out and was
// taken over cannot overwrite the newer state.
func (o *Outbox) finish(ctx context.Context, id, op, update string, vals map[string]types.AttributeValue) error {
	vals[":sending"] = S(panel.DeliverySending)
	vals[":now"] = S(ts(o.Clock()))
	_, err := o.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &o.Table, Key: Key(outboxPK(id), outboxSK),
		UpdateExpression:          aws.String(update),
		ConditionExpression:       aws.String("#s = :sending"),
		ExpressionAttributeNames:  map[string]string{"#s": "state"},
		ExpressionAttributeValues: pruneUnused(update, vals)})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "This notification is no longer being sent.")
	}
	if err != nil {
		return storeErr(op, err)
	}
	return nil
}

// pruneUnused drops values the expressions do not name: DynamoDB refuses
// unused expression attribute values.
func pruneUnused(update string, vals map[string]types.AttributeValue) map[string]types.AttributeValue {
	for k := range vals {
		if k != ":sending" && !strings.Contains(update, k) {
			delete(vals, k)
		}
	}
	return vals
}

// Due implements panel.Outbox.
func (o *Outbox) Due(ctx context.Context, limit int) ([]string, error) {
	if limit <= 0 {
		limit = 100
	}
	out, err := o.DB.Query(ctx, &dynamodb.QueryInput{TableName: &o.Table, IndexName: aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(outboxDue),
			// "~" sorts after "#<id>", so messages due exactly now are included.
			":now": S(ts(o.Clock()) + "~")},
		ProjectionExpression: aws.String("id"),
		Limit:                aws.Int32(int32(limit))})
	if err != nil {
		return nil, storeErr("list due notifications", err)
	}
	ids := make([]string, 0, len(out.Items))
	for _, av := range out.Items {
		if s, ok := av["id"].(*types.AttributeValueMemberS); ok {
			ids = append(ids, s.Value)
		}
	}
	return ids, nil
}

// Delivery implements panel.Outbox.
func (o *Outbox) Delivery(ctx context.Context, id string) (*panel.Delivery, error) {
	out, err := o.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &o.Table, Key: Key(outboxPK(id), outboxSK),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get notification", err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("notification")
	}
	var it outboxItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal outbox item: %w", err)
	}
	return it.delivery(), nil
}

// History implements panel.Outbox.
func (o *Outbox) History(ctx context.Context, userID, cursor string, limit int) ([]*panel.Delivery, string, error) {
	return o.page(ctx, "GSI2", "GSI2PK", "GSI2SK", mailHistoryPK(userID), cursor, limit)
}

// Failed implements panel.Outbox.
func (o *Outbox) Failed(ctx context.Context, cursor string, limit int) ([]*panel.Delivery, string, error) {
	return o.page(ctx, "GSI1", "GSI1PK", "GSI1SK", outboxFailed, cursor, limit)
}

// page reads one page of an index partition newest first. The cursor is
// the index sort key of the last item returned; the item's own key follows
// from the message id at its end.
func (o *Outbox) page(ctx context.Context, index, pkAttr, skAttr, pk, cursor string, limit int) ([]*panel.Delivery, string, error) {
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	in := &dynamodb.QueryInput{TableName: &o.Table, IndexName: aws.String(index),
		KeyConditionExpression:    aws.String(pkAttr + " = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pk)},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit))}
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		sk := string(raw)
		_, id, ok := strings.Cut(sk, "#")
		if err != nil || !ok || id == "" || len(sk) > 400 {
			return nil, "", panel.Invalid(map[string]string{"cursor": "This cursor is not valid; start again without it."})
		}
		in.ExclusiveStartKey = Key(outboxPK(id), outboxSK)
		in.ExclusiveStartKey[pkAttr], in.ExclusiveStartKey[skAttr] = S(pk), S(sk)
	}
	out, err := o.DB.Query(ctx, in)
	if err != nil {
		return nil, "", storeErr("list notifications", err)
	}
	var items []outboxItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return nil, "", fmt.Errorf("dynamo: unmarshal outbox items: %w", err)
	}
	list := make([]*panel.Delivery, 0, len(items))
	for i := range items {
		list = append(list, items[i].delivery())
	}
	next := ""
	if lek := out.LastEvaluatedKey; len(lek) > 0 {
		if sk, ok := lek[skAttr].(*types.AttributeValueMemberS); ok {
			next = base64.RawURLEncoding.EncodeToString([]byte(sk.Value))
		}
	}
	return list, next, nil
}

// Retry implements panel.Outbox: a failed message gets a fresh set of
// attempts, due now.
func (o *Outbox) Retry(ctx context.Context, id string) error {
	now := ts(o.Clock())
	_, err := o.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &o.Table, Key: Key(outboxPK(id), outboxSK),
		UpdateExpression:         aws.String("SET #s = :queued, attempts = :zero, nextAttemptAt = :now, GSI1PK = :dpk, GSI1SK = :dsk"),
		ConditionExpression:      aws.String("#s = :failed"),
		ExpressionAttributeNames: map[string]string{"#s": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":queued": S(panel.DeliveryQueued),
			":failed": S(panel.DeliveryFailed), ":zero": N(0), ":now": S(now), ":dpk": S(outboxDue),
			":dsk": S(now + "#" + id)}})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "Only a failed notification can be retried.")
	}
	if err != nil {
		return storeErr("retry notification", err)
	}
	return nil
}

type prefsItem struct {
	PK              string `dynamodbav:"PK"`
	SK              string `dynamodbav:"SK"`
	NonEssentialOff bool   `dynamodbav:"nonEssentialOff"`
	UpdatedAt       string `dynamodbav:"updatedAt"`
}

// Prefs implements panel.Outbox.
func (o *Outbox) Prefs(ctx context.Context, userID string) (panel.NotificationPrefs, error) {
	out, err := o.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &o.Table, Key: Key(acctUserPK(userID), notifyPrefsSK),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return panel.NotificationPrefs{}, storeErr("get notification preferences", err)
	}
	var it prefsItem
	if out.Item != nil {
		if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
			return panel.NotificationPrefs{}, fmt.Errorf("dynamo: unmarshal preferences: %w", err)
		}
	}
	return panel.NotificationPrefs{NonEssentialOff: it.NonEssentialOff, UpdatedAt: parseTS(it.UpdatedAt)}, nil
}

// SetPrefs implements panel.Outbox.
func (o *Outbox) SetPrefs(ctx context.Context, userID string, p panel.NotificationPrefs) error {
	av, err := attributevalue.MarshalMap(prefsItem{PK: acctUserPK(userID), SK: notifyPrefsSK,
		NonEssentialOff: p.NonEssentialOff, UpdatedAt: ts(o.Clock())})
	if err != nil {
		return fmt.Errorf("dynamo: marshal preferences: %w", err)
	}
	if _, err := o.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &o.Table, Item: av}); err != nil {
		return storeErr("set notification preferences", err)
	}
	return nil
}
