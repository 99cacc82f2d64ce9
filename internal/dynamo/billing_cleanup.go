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

var _ panel.OrderCleanups = (*Ledger)(nil)

// orderCleanupPK is the (sparse) GSI1 partition of orders that have not
// reached a final state: pending ones, and failed ones whose server
// deletion is pending. They are few at any time: one partition does.
const orderCleanupPK = gsi1OrderCleanups

// orderCleanupTS sorts as text in time order.
const orderCleanupTS = "2006-01-02T15:04:05.000000000Z"

// indexOpenOrder puts an order that is not settled on the cleanup index
// (ClaimOrder and UpdateOrder call it on the item they write): a pending
// order, or a failed one that created a server. A done order, written
// whole, leaves the index.
func indexOpenOrder(item map[string]types.AttributeValue, o *panel.ServerOrder) {
	if o.Status != panel.OrderPending && (o.Status != panel.OrderFailed || o.ServerID <= 0) {
		return
	}
	item["GSI1PK"] = S(orderCleanupPK)
	item["GSI1SK"] = S(o.CreatedAt.UTC().Format(orderCleanupTS) + "#" + o.UserID + "#" + o.Key)
}

// PendingOrderCleanups lists the orders not settled yet, oldest first.
func (l *Ledger) PendingOrderCleanups(ctx context.Context, limit int) ([]panel.OrderCleanup, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	l.Calls.Add(1)
	out, err := l.DB.Query(ctx, &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(orderCleanupPK)},
		ScanIndexForward:          aws.Bool(true), Limit: aws.Int32(int32(limit))})
	if err != nil {
		return nil, billErr("list order cleanups", err)
	}
	cs := make([]panel.OrderCleanup, 0, len(out.Items))
	for _, av := range out.Items {
		var it struct {
			billOrderItem
			CleanupAttempts int    `dynamodbav:"cleanupAttempts"`
			CleanupError    string `dynamodbav:"cleanupError"`
		}
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("dynamo: decode order cleanup: %w", err)
		}
		cs = append(cs, panel.OrderCleanup{UserID: it.UserID, Key: it.Key, RequestHash: it.RequestHash, Status: it.Status, ServerID: it.ServerID,
			Attempts: it.CleanupAttempts, LastError: it.CleanupError, CreatedAt: it.CreatedAt})
	}
	return cs, nil
}

// FinishOrderCleanup records a retry of an order's server deletion.
func (l *Ledger) FinishOrderCleanup(ctx context.Context, c panel.OrderCleanup, done, giveUp bool) error {
	vals := map[string]types.AttributeValue{":a": N(int64(c.Attempts)), ":e": S(c.LastError),
		":t": S(l.Clock().UTC().Format(time.RFC3339))}
	expr := "SET cleanupAttempts = :a, cleanupError = :e, cleanupAt = :t"
	switch {
	case done:
		expr += ", cleanupStatus = :s REMOVE GSI1PK, GSI1SK"
		vals[":s"] = S("done")
	case giveUp:
		expr += ", cleanupStatus = :s REMOVE GSI1PK, GSI1SK"
		vals[":s"] = S("gave_up")
	}
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billUserPK(c.UserID), billOrderSK(c.Key)),
		UpdateExpression: aws.String(expr), ConditionExpression: aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: vals})
	if IsConditionFailed(err) {
		return panel.NotFound("order")
	}
	return billErr("finish order cleanup", err)
}
