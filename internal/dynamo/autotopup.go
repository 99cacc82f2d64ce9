package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// USER#<uid> / AUTOTOPUP holds a customer's auto top-up; while it is on
// with a saved wallet it is in GSI2 AUTOTOPUP#ON, which the job lists.

var _ panel.AutoTopupStore = (*Ledger)(nil)

type autoTopupItem struct {
	PK             string    `dynamodbav:"PK"`
	SK             string    `dynamodbav:"SK"`
	GSI2PK         string    `dynamodbav:"GSI2PK,omitempty"`
	GSI2SK         string    `dynamodbav:"GSI2SK,omitempty"`
	UserID         string    `dynamodbav:"userId"`
	SetupTokenID   string    `dynamodbav:"setupTokenId"`
	TokenID        string    `dynamodbav:"tokenId"`
	Email          string    `dynamodbav:"email"`
	ThresholdMinor int64     `dynamodbav:"thresholdMinor"`
	AmountMinor    int64     `dynamodbav:"amountMinor"`
	Enabled        bool      `dynamodbav:"enabled"`
	LastWindow     int64     `dynamodbav:"lastWindow"`
	LastStatus     string    `dynamodbav:"lastStatus"`
	LastAt         time.Time `dynamodbav:"lastAt"`
}

func (it *autoTopupItem) autoTopup() *panel.AutoTopup {
	return &panel.AutoTopup{UserID: it.UserID, SetupTokenID: it.SetupTokenID, TokenID: it.TokenID, Email: it.Email,
		ThresholdMinor: it.ThresholdMinor, AmountMinor: it.AmountMinor, Enabled: it.Enabled, LastWindow: it.LastWindow,
		LastStatus: it.LastStatus, LastAt: it.LastAt}
}

// AutoTopup returns the settings (zero when none).
func (l *Ledger) AutoTopup(ctx context.Context, userID string) (*panel.AutoTopup, error) {
	var it autoTopupItem
	err := l.getItem(ctx, billUserPK(userID), skAutoTopup, "auto top-up", &it)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return &panel.AutoTopup{UserID: userID}, nil
	}
	if err != nil {
		return nil, err
	}
	return it.autoTopup(), nil
}

// PutAutoTopup saves the settings, keeping the window counter and last
// result, and indexes them while on with a wallet.
func (l *Ledger) PutAutoTopup(ctx context.Context, a *panel.AutoTopup) error {
	set := "SET userId = :u, setupTokenId = :st, tokenId = :t, email = :e, thresholdMinor = :th, amountMinor = :a, enabled = :en," +
		" lastWindow = if_not_exists(lastWindow, :zero), lastStatus = if_not_exists(lastStatus, :empty)"
	vals := map[string]types.AttributeValue{":u": S(a.UserID), ":st": S(a.SetupTokenID), ":t": S(a.TokenID), ":e": S(a.Email),
		":th": N(a.ThresholdMinor), ":a": N(a.AmountMinor), ":en": &types.AttributeValueMemberBOOL{Value: a.Enabled},
		":zero": N(0), ":empty": S("")}
	expr := set
	if a.Enabled && a.TokenID != "" {
		expr += ", GSI2PK = :g, GSI2SK = :u"
		vals[":g"] = S(gsi2AutoTopup)
	} else {
		expr += " REMOVE GSI2PK, GSI2SK"
	}
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billUserPK(a.UserID), skAutoTopup),
		UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals})
	return billErr("put auto top-up", err)
}

// DeleteAutoTopup forgets the settings.
func (l *Ledger) DeleteAutoTopup(ctx context.Context, userID string) error {
	l.Calls.Add(1)
	_, err := l.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), skAutoTopup)})
	return billErr("delete auto top-up", err)
}

// EnabledAutoTopups lists GSI2 AUTOTOPUP#ON.
func (l *Ledger) EnabledAutoTopups(ctx context.Context) ([]*panel.AutoTopup, error) {
	var out []*panel.AutoTopup
	in := &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String("GSI2"),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2AutoTopup)}}
	err := l.queryAll(ctx, "query auto top-ups", in, func(av map[string]types.AttributeValue) error {
		var it autoTopupItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return err
		}
		out = append(out, it.autoTopup())
		return nil
	})
	return out, err
}

// ClaimAutoTopupWindow moves lastWindow to window on the condition that it
// is before it and the auto top-up is still on: two runs of the same
// window cannot both fire.
func (l *Ledger) ClaimAutoTopupWindow(ctx context.Context, userID string, window int64) (bool, error) {
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), skAutoTopup),
		UpdateExpression:    aws.String("SET lastWindow = :w"),
		ConditionExpression: aws.String("attribute_exists(PK) AND enabled = :true AND tokenId <> :empty AND lastWindow < :w"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":w": N(window), ":true": &types.AttributeValueMemberBOOL{Value: true},
			":empty": S("")}})
	if IsConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, billErr("claim auto top-up window", err)
	}
	return true, nil
}

// RecordAutoTopupResult stores the last run's outcome.
func (l *Ledger) RecordAutoTopupResult(ctx context.Context, userID, status string, at time.Time) error {
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), skAutoTopup),
		UpdateExpression:          aws.String("SET lastStatus = :s, lastAt = :t"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": S(status), ":t": S(at.UTC().Format(time.RFC3339Nano))}})
	if IsConditionFailed(err) {
		return nil // removed meanwhile
	}
	return billErr("record auto top-up", err)
}
