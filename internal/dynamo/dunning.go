package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// USER#<uid> / DUNNING holds a customer's dunning state (panel.Dunning).
const dunningSK = skDunning

var _ panel.DunningStore = (*Ledger)(nil)

type dunningItem struct {
	PK            string `dynamodbav:"PK"`
	SK            string `dynamodbav:"SK"`
	Version       int64  `dynamodbav:"version"`
	LowEpisode    int64  `dynamodbav:"lowEpisode"`
	WarnedHours   int    `dynamodbav:"warnedHours"`
	SuspendedAt   string `dynamodbav:"suspendedAt,omitempty"`
	FinalWarnedAt string `dynamodbav:"finalWarnedAt,omitempty"`
	DeletedAt     string `dynamodbav:"deletedAt,omitempty"`
}

func optTS(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

// Dunning implements panel.DunningStore.
func (l *Ledger) Dunning(ctx context.Context, userID string) (*panel.Dunning, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), dunningSK),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, billErr("get dunning", err)
	}
	d := &panel.Dunning{UserID: userID}
	if out.Item == nil {
		return d, nil
	}
	var it dunningItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode dunning: %w", err)
	}
	d.Version, d.LowEpisode, d.WarnedHours = it.Version, it.LowEpisode, it.WarnedHours
	d.SuspendedAt, d.FinalWarnedAt, d.DeletedAt = parseTS(it.SuspendedAt), parseTS(it.FinalWarnedAt), parseTS(it.DeletedAt)
	return d, nil
}

// SaveDunning implements panel.DunningStore.
func (l *Ledger) SaveDunning(ctx context.Context, d *panel.Dunning, notify []panel.Notification) error {
	it := dunningItem{PK: billUserPK(d.UserID), SK: dunningSK, Version: d.Version + 1, LowEpisode: d.LowEpisode,
		WarnedHours: d.WarnedHours, SuspendedAt: optTS(d.SuspendedAt), FinalWarnedAt: optTS(d.FinalWarnedAt),
		DeletedAt: optTS(d.DeletedAt)}
	put := &types.Put{TableName: &l.Table, Item: billMarshal(it),
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": N(d.Version)}}
	if d.Version == 0 {
		put.ConditionExpression, put.ExpressionAttributeValues = aws.String("attribute_not_exists(PK)"), nil
	}
	items := []types.TransactWriteItem{{Put: put}}
	for _, n := range notify {
		w, err := OutboxPut(l.Table, n)
		if err != nil {
			return err
		}
		items = append(items, w)
	}
	l.Calls.Add(1)
	_, err := l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if IsConditionFailed(err) {
		// The version moved (or, with it, the step's message is queued).
		return panel.Errorf(panel.ECONFLICT, "The dunning state changed meanwhile.")
	}
	if err != nil {
		return billErr("save dunning", err)
	}
	d.Version++
	return nil
}
