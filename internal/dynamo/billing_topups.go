package dynamo

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

type billTopupItem struct {
	PK            string    `dynamodbav:"PK"`
	SK            string    `dynamodbav:"SK"`
	ID            string    `dynamodbav:"id"`
	UserID        string    `dynamodbav:"userId"`
	OrderID       string    `dynamodbav:"orderId"`
	AmountMinor   int64     `dynamodbav:"amountMinor"`
	Currency      string    `dynamodbav:"currency"`
	Status        string    `dynamodbav:"status"`
	CaptureID     string    `dynamodbav:"captureId"`
	CreditedMinor int64     `dynamodbav:"creditedMinor"`
	DebitedMinor  int64     `dynamodbav:"debitedMinor"`
	CreatedAt     time.Time `dynamodbav:"createdAt"`
	Coupon        string    `dynamodbav:"coupon,omitempty"`
	Auto          bool      `dynamodbav:"auto,omitempty"`
	GSI2PK        string    `dynamodbav:"GSI2PK,omitempty"`
	GSI2SK        string    `dynamodbav:"GSI2SK,omitempty"`
}

func billTopupPK(id string) string      { return pkTopup + id }
func billPPOrderPK(order string) string { return pkPPOrder + order }

// billPPCapturePK is the pointer from a PayPal capture id to its top-up:
// refund and reversal events name only the capture (by their "up" link).
func billPPCapturePK(capture string) string { return pkPPCapture + capture }

// capturePointer writes the capture → top-up pointer; a capture already
// pointing at another top-up fails the transaction.
func (l *Ledger) capturePointer(topupID, captureID string) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{TableName: &l.Table,
		Item:                      map[string]types.AttributeValue{"PK": S(billPPCapturePK(captureID)), "SK": S(billMetaSK), "topupId": S(topupID)},
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR topupId = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": S(topupID)}}}
}

const billMetaSK = skMeta

func (it *billTopupItem) topup() *panel.Topup {
	return &panel.Topup{ID: it.ID, UserID: it.UserID, OrderID: it.OrderID, AmountMinor: it.AmountMinor,
		Currency: it.Currency, Status: it.Status, CaptureID: it.CaptureID, CreditedMinor: it.CreditedMinor,
		DebitedMinor: it.DebitedMinor, CreatedAt: it.CreatedAt, Coupon: it.Coupon, Auto: it.Auto}
}

// CreateTopup stores a new top-up.
func (l *Ledger) CreateTopup(ctx context.Context, t *panel.Topup) error {
	it := billTopupItem{PK: billTopupPK(t.ID), SK: billMetaSK, ID: t.ID, UserID: t.UserID, AmountMinor: t.AmountMinor,
		Currency: t.Currency, Status: panel.TopupCreated, CreatedAt: t.CreatedAt.UTC(), Coupon: t.Coupon, Auto: t.Auto,
		GSI2PK: gsi2Topups, GSI2SK: topupGSI2SK(t)}
	l.Calls.Add(1)
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: billMarshal(it),
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "This top-up exists already.")
	}
	return billErr("create topup", err)
}

// SetTopupOrder records the order id on the top-up and a pointer from the
// order to it, in one transaction.
func (l *Ledger) SetTopupOrder(ctx context.Context, topupID, orderID string) error {
	l.Calls.Add(1)
	_, err := l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{TableName: &l.Table, Key: Key(billTopupPK(topupID), billMetaSK),
			UpdateExpression:          aws.String("SET orderId = :o"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND (orderId = :empty OR orderId = :o)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":o": S(orderID), ":empty": S("")}}},
		{Put: &types.Put{TableName: &l.Table, Item: map[string]types.AttributeValue{
			"PK": S(billPPOrderPK(orderID)), "SK": S(billMetaSK), "topupId": S(topupID)}}},
	}})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "This top-up has another PayPal order.")
	}
	return billErr("set topup order", err)
}

// Topup returns a top-up by id.
func (l *Ledger) Topup(ctx context.Context, id string) (*panel.Topup, error) {
	var it billTopupItem
	if err := l.getItem(ctx, billTopupPK(id), billMetaSK, "top-up", &it); err != nil {
		return nil, err
	}
	return it.topup(), nil
}

// TopupByOrder follows the order pointer to the top-up.
func (l *Ledger) TopupByOrder(ctx context.Context, orderID string) (*panel.Topup, error) {
	var p struct {
		TopupID string `dynamodbav:"topupId"`
	}
	if err := l.getItem(ctx, billPPOrderPK(orderID), billMetaSK, "top-up", &p); err != nil {
		return nil, err
	}
	if p.TopupID == "" {
		return nil, panel.NotFound("top-up")
	}
	return l.Topup(ctx, p.TopupID)
}

// ClaimTopupKey stores USER#<uid> / TOPUPKEY#<key> → (requestHash,
// topupId) once; a later claim with the same hash gets the first top-up id,
// one with another hash fails the write's condition.
func (l *Ledger) ClaimTopupKey(ctx context.Context, userID, key, requestHash, topupID string) (string, error) {
	l.Calls.Add(1)
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(pkUser+userID, skTopupKey+key),
		UpdateExpression:          aws.String("SET requestHash = if_not_exists(requestHash, :h), topupId = if_not_exists(topupId, :t)"),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR requestHash = :h"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": S(requestHash), ":t": S(topupID)},
		ReturnValues:              types.ReturnValueAllNew})
	if IsConditionFailed(err) {
		return "", panel.Errorf(panel.EIDEMPOTENCYMISMATCH, "This Idempotency-Key was used for a different top-up.")
	}
	if err != nil {
		return "", billErr("claim topup key", err)
	}
	bound, ok := out.Attributes["topupId"].(*types.AttributeValueMemberS)
	if !ok || bound.Value == "" {
		return "", billErr("claim topup key", errors.New("no topupId stored"))
	}
	return bound.Value, nil
}

// TopupByCapture follows the capture pointer to the top-up.
func (l *Ledger) TopupByCapture(ctx context.Context, captureID string) (*panel.Topup, error) {
	var p struct {
		TopupID string `dynamodbav:"topupId"`
	}
	if err := l.getItem(ctx, billPPCapturePK(captureID), billMetaSK, "top-up", &p); err != nil {
		return nil, err
	}
	if p.TopupID == "" {
		return nil, panel.NotFound("top-up")
	}
	return l.Topup(ctx, p.TopupID)
}

// CreditTopup credits a capture once: the idempotency record is
// CAPTURE#<captureId>, and the top-up must be neither credited nor denied
// and be for exactly the posted amount and currency. The capture pointer
// is written in the same transaction.
func (l *Ledger) CreditTopup(ctx context.Context, topupID, captureID string, p panel.Posting) (*panel.LedgerEntry, bool, error) {
	p.IdemKey = panel.IdemCapture + captureID
	e, applied, err := l.post(ctx, p, func(at time.Time) []types.TransactWriteItem {
		return []types.TransactWriteItem{{Update: &types.Update{TableName: &l.Table, Key: Key(billTopupPK(topupID), billMetaSK),
			UpdateExpression: aws.String("SET #st = :credited, captureId = :c, creditedMinor = :a"),
			ConditionExpression: aws.String("attribute_exists(PK) AND userId = :u AND #st IN (:created, :pending)" +
				" AND amountMinor = :a AND currency = :cur"),
			ExpressionAttributeNames: map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":credited": S(panel.TopupCredited), ":c": S(captureID),
				":a": N(p.AmountMinor), ":u": S(p.UserID), ":created": S(panel.TopupCreated), ":pending": S(panel.TopupPending),
				":cur": S(p.Currency)}}}, l.capturePointer(topupID, captureID)}
	})
	var ex billExtraErr
	if errors.As(err, &ex) {
		// Credited under another capture id, denied, or not this
		// amount: nothing to add.
		return nil, false, nil
	}
	return e, applied, err
}

// DebitTopup debits a refund, reversal or denial of a credited top-up
// once. The top-up's debitedMinor is version-checked against a fresh read,
// and a debit beyond what is left of the credit fails the transaction, so
// a duplicate is still recognised by its idempotency record first.
func (l *Ledger) DebitTopup(ctx context.Context, topupID, newStatus string, p panel.Posting) (*panel.LedgerEntry, bool, error) {
	debit := -p.AmountMinor
	for attempt := 0; ; attempt++ {
		t, err := l.Topup(ctx, topupID)
		if err != nil {
			return nil, false, err
		}
		ok := t.Status == panel.TopupCredited && debit > 0 && t.DebitedMinor+debit <= t.CreditedMinor
		e, applied, err := l.post(ctx, p, func(at time.Time) []types.TransactWriteItem {
			set := "SET debitedMinor = :nd"
			vals := map[string]types.AttributeValue{":nd": N(t.DebitedMinor + debit), ":old": N(t.DebitedMinor),
				":credited": S(panel.TopupCredited), ":u": S(p.UserID), ":ok": &types.AttributeValueMemberBOOL{Value: ok},
				":true": &types.AttributeValueMemberBOOL{Value: true}}
			if newStatus != "" {
				set += ", #st = :ns"
				vals[":ns"] = S(newStatus)
			}
			return []types.TransactWriteItem{{Update: &types.Update{TableName: &l.Table, Key: Key(billTopupPK(topupID), billMetaSK),
				UpdateExpression:          aws.String(set),
				ConditionExpression:       aws.String("#st = :credited AND userId = :u AND debitedMinor = :old AND :ok = :true"),
				ExpressionAttributeNames:  map[string]string{"#st": "status"},
				ExpressionAttributeValues: vals}}}
		})
		var ex billExtraErr
		if !errors.As(err, &ex) {
			return e, applied, err
		}
		if !ok || attempt >= billMaxAttempts {
			return nil, false, panel.Errorf(panel.ECONFLICT, "The top-up is not credited, or the debit exceeds what is left of it.")
		}
		// Another debit of the same top-up won the race: read it again.
	}
}

// MarkTopup sets the status of an uncredited top-up and writes the
// capture pointer, in one transaction.
func (l *Ledger) MarkTopup(ctx context.Context, topupID, status, captureID string) error {
	l.Calls.Add(1)
	_, err := l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{TableName: &l.Table, Key: Key(billTopupPK(topupID), billMetaSK),
			UpdateExpression:         aws.String("SET #st = :s, captureId = :c"),
			ConditionExpression:      aws.String("attribute_exists(PK) AND #st IN (:created, :pending, :s)"),
			ExpressionAttributeNames: map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":s": S(status), ":c": S(captureID),
				":created": S(panel.TopupCreated), ":pending": S(panel.TopupPending)}}},
		l.capturePointer(topupID, captureID),
	}})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "The top-up was credited already, or the capture is another top-up's.")
	}
	return billErr("mark topup", err)
}
