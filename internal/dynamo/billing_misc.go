package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Prices.

const billPricesPK = pkPrices

// SetPrice sets a package's price; whether it is hidden is kept.
func (l *Ledger) SetPrice(ctx context.Context, packageID int64, p panel.Price) error {
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billPricesPK, skPackage+strconv.FormatInt(packageID, 10)),
		UpdateExpression: aws.String("SET packageId = :id, hourlyMinor = :h, monthlyCapMinor = :c, currency = :cur, updatedAt = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": N(packageID), ":h": N(p.HourlyMinor),
			":c": N(p.MonthlyCapMinor), ":cur": S(p.Currency), ":t": S(l.Clock().UTC().Format(time.RFC3339))}})
	return billErr("set price", err)
}

// SetPriceHidden hides a priced package from ordering, or offers it again;
// ENOTFOUND when the package has no price.
func (l *Ledger) SetPriceHidden(ctx context.Context, packageID int64, hidden bool) error {
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billPricesPK, skPackage+strconv.FormatInt(packageID, 10)),
		UpdateExpression:          aws.String("SET #h = :h"), // HIDDEN is a reserved word
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames:  map[string]string{"#h": "hidden"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": &types.AttributeValueMemberBOOL{Value: hidden}}})
	if IsConditionFailed(err) {
		return panel.NotFound("price")
	}
	return billErr("hide price", err)
}

// DeletePrice removes a package's price, so it cannot be ordered; servers
// ordered before keep the price they were ordered at.
func (l *Ledger) DeletePrice(ctx context.Context, packageID int64) error {
	_, err := l.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &l.Table, Key: Key(billPricesPK, skPackage+strconv.FormatInt(packageID, 10))})
	return billErr("delete price", err)
}

// Prices lists every package price with one query.
func (l *Ledger) Prices(ctx context.Context) (map[int64]panel.Price, error) {
	in := &dynamodb.QueryInput{TableName: &l.Table, KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(billPricesPK), ":p": S(skPackage)}}
	out := map[int64]panel.Price{}
	err := l.queryAll(ctx, "query prices", in, func(av map[string]types.AttributeValue) error {
		var it struct {
			PackageID       int64  `dynamodbav:"packageId"`
			HourlyMinor     int64  `dynamodbav:"hourlyMinor"`
			MonthlyCapMinor int64  `dynamodbav:"monthlyCapMinor"`
			Currency        string `dynamodbav:"currency"`
			Hidden          bool   `dynamodbav:"hidden"`
		}
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("dynamo: decode price: %w", err)
		}
		out[it.PackageID] = panel.Price{HourlyMinor: it.HourlyMinor, MonthlyCapMinor: it.MonthlyCapMinor, Currency: it.Currency, Hidden: it.Hidden}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Server orders (POST /api/servers idempotency).

type billOrderItem struct {
	PK           string    `dynamodbav:"PK"`
	SK           string    `dynamodbav:"SK"`
	UserID       string    `dynamodbav:"userId"`
	Key          string    `dynamodbav:"key"`
	RequestHash  string    `dynamodbav:"requestHash"`
	Status       string    `dynamodbav:"status"`
	ServerID     int64     `dynamodbav:"serverId"`
	Result       []byte    `dynamodbav:"result,omitempty"`
	RootPassword string    `dynamodbav:"rootPassword,omitempty"`
	PasswordTill time.Time `dynamodbav:"passwordTill"`
	Error        string    `dynamodbav:"error,omitempty"`
	CreatedAt    time.Time `dynamodbav:"createdAt"`
}

func billOrderSK(key string) string { return skOrder + key }

func billOrderItemOf(o *panel.ServerOrder) billOrderItem {
	return billOrderItem{PK: billUserPK(o.UserID), SK: billOrderSK(o.Key), UserID: o.UserID, Key: o.Key, RequestHash: o.RequestHash,
		Status: o.Status, ServerID: o.ServerID, Result: o.Result, RootPassword: o.RootPassword,
		PasswordTill: o.PasswordTill, Error: o.Error, CreatedAt: o.CreatedAt}
}

func (it *billOrderItem) order() *panel.ServerOrder {
	return &panel.ServerOrder{UserID: it.UserID, Key: it.Key, RequestHash: it.RequestHash, Status: it.Status,
		ServerID: it.ServerID, Result: it.Result, RootPassword: it.RootPassword, PasswordTill: it.PasswordTill,
		Error: it.Error, CreatedAt: it.CreatedAt}
}

// ClaimOrder stores a pending order, or returns the stored one.
func (l *Ledger) ClaimOrder(ctx context.Context, o *panel.ServerOrder) (*panel.ServerOrder, bool, error) {
	item := billMarshal(billOrderItemOf(o))
	indexOpenOrder(item, o)
	l.Calls.Add(1)
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: item,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err == nil {
		return o, true, nil
	}
	if !IsConditionFailed(err) {
		return nil, false, billErr("claim order", err)
	}
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billUserPK(o.UserID), billOrderSK(o.Key)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, false, billErr("get order", err)
	}
	if out.Item == nil {
		return nil, false, panel.Errorf(panel.ECONFLICT, "This order is changing; try again.")
	}
	var it billOrderItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, false, fmt.Errorf("dynamo: decode order: %w", err)
	}
	return it.order(), false, nil
}

// UpdateOrder saves an order. One not settled yet stays on the cleanup
// index (billing_cleanup.go).
func (l *Ledger) UpdateOrder(ctx context.Context, o *panel.ServerOrder) error {
	l.Calls.Add(1)
	item := billMarshal(billOrderItemOf(o))
	indexOpenOrder(item, o)
	if len(o.Notify) > 0 {
		items := []types.TransactWriteItem{{Put: &types.Put{TableName: &l.Table, Item: item}}}
		for _, n := range o.Notify {
			w, err := OutboxPut(l.Table, n)
			if err != nil {
				return err
			}
			items = append(items, w)
		}
		_, err := l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if codes := billCancelCodes(err); len(codes) == 0 || !slices.Contains(codes[1:], "ConditionalCheckFailed") {
			return billErr("update order", err)
		}
		// A message is queued already: this update was made before, with
		// it. Save the order on its own.
		l.Calls.Add(1)
	}
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: item})
	return billErr("update order", err)
}

// ReleaseOrder deletes a pending order.
func (l *Ledger) ReleaseOrder(ctx context.Context, userID, key string) error {
	l.Calls.Add(1)
	_, err := l.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), billOrderSK(key)),
		ConditionExpression:       aws.String("#st = :p"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": S(panel.OrderPending)}})
	if IsConditionFailed(err) {
		return nil
	}
	return billErr("release order", err)
}

// PayPal webhook events.

type billEventItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	ID          string `dynamodbav:"id"`
	Type        string `dynamodbav:"type"`
	Raw         string `dynamodbav:"raw"`
	ReceivedAt  int64  `dynamodbav:"receivedAt"`
	ProcessedAt int64  `dynamodbav:"processedAt,omitempty"`
	LeaseUntil  int64  `dynamodbav:"leaseUntil"` // unix ms; 0 = free
	Attempts    int    `dynamodbav:"attempts"`
	LastError   string `dynamodbav:"lastError,omitempty"`
}

func billEventPK(id string) string { return pkPPEvent + id }

func (it *billEventItem) record() *panel.WebhookEventRecord {
	return &panel.WebhookEventRecord{ID: it.ID, Type: it.Type, Processed: it.ProcessedAt != 0,
		ProcessedAt: time.UnixMilli(it.ProcessedAt).UTC(), Attempts: it.Attempts, LastError: it.LastError}
}

// RecordWebhookEvent stores the raw event once and claims its processing.
func (l *Ledger) RecordWebhookEvent(ctx context.Context, id, eventType string, raw []byte, now time.Time, lease time.Duration) (*panel.WebhookEventRecord, bool, error) {
	it := billEventItem{PK: billEventPK(id), SK: billMetaSK, ID: id, Type: eventType, Raw: string(raw), ReceivedAt: now.UnixMilli(),
		LeaseUntil: now.Add(lease).UnixMilli(), Attempts: 1}
	l.Calls.Add(1)
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: billMarshal(it),
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err == nil {
		return it.record(), true, nil
	}
	if !IsConditionFailed(err) {
		return nil, false, billErr("store webhook event", err)
	}
	// Stored before: take over only if it is unprocessed and unclaimed.
	l.Calls.Add(1)
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billEventPK(id), billMetaSK),
		UpdateExpression:          aws.String("SET leaseUntil = :lu, attempts = attempts + :one"),
		ConditionExpression:       aws.String("attribute_not_exists(processedAt) AND leaseUntil < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":lu": N(now.Add(lease).UnixMilli()), ":one": N(1), ":now": N(now.UnixMilli())},
		ReturnValues:              types.ReturnValueAllNew})
	if err == nil {
		var got billEventItem
		if err := attributevalue.UnmarshalMap(out.Attributes, &got); err != nil {
			return nil, false, fmt.Errorf("dynamo: decode webhook event: %w", err)
		}
		return got.record(), true, nil
	}
	if !IsConditionFailed(err) {
		return nil, false, billErr("claim webhook event", err)
	}
	rec, err := l.WebhookEvent(ctx, id)
	return rec, false, err
}

// FinishWebhookEvent marks an event processed or records its failure.
func (l *Ledger) FinishWebhookEvent(ctx context.Context, id string, now time.Time, procErr error) error {
	in := &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billEventPK(id), billMetaSK),
		UpdateExpression:          aws.String("SET processedAt = :t, leaseUntil = :zero REMOVE lastError"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": N(now.UnixMilli()), ":zero": N(0)}}
	if procErr != nil {
		msg := procErr.Error()
		if len(msg) > 1000 {
			msg = msg[:1000]
		}
		in.UpdateExpression = aws.String("SET lastError = :e, leaseUntil = :zero")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":e": S(msg), ":zero": N(0)}
	}
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, in)
	return billErr("finish webhook event", err)
}

// WebhookEvent returns a stored event's record.
func (l *Ledger) WebhookEvent(ctx context.Context, id string) (*panel.WebhookEventRecord, error) {
	var it billEventItem
	if err := l.getItem(ctx, billEventPK(id), billMetaSK, "webhook event", &it); err != nil {
		return nil, err
	}
	return it.record(), nil
}

// WebhookEventRaw returns a stored event's raw body (for re-processing).
func (l *Ledger) WebhookEventRaw(ctx context.Context, id string) ([]byte, error) {
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billEventPK(id), billMetaSK), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("raw")})
	if err != nil {
		return nil, billErr("get webhook event", err)
	}
	v, ok := out.Item["raw"].(*types.AttributeValueMemberS)
	if !ok {
		return nil, panel.NotFound("webhook event")
	}
	return []byte(strings.Clone(v.Value)), nil
}
