package dynamo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// The operator console's reads of billing: every top-up newest first
// (GSI2 TOPUPS / <created>#<id>) and the month totals of every customer
// (GSI2 STMTS#<yyyy-mm>#<shard> / <userId>), both kept by the writes that
// create them.

// stmtShards spreads one month's totals over this many GSI2 partitions,
// so the hourly run's burst of writes never meets one hot partition.
const stmtShards = 8

func stmtShard(userID, month string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(userID))
	return gsi2Statements + month + "#" + strconv.Itoa(int(h.Sum32()%stmtShards))
}

// stmtUpdate adds a movement to a customer's month totals: credits and
// charges (the statement's), the amount by entry type (the revenue
// report's), and the index keys that list the month across customers.
func (l *Ledger) stmtUpdate(userID string, at time.Time, typ string, amount int64) types.TransactWriteItem {
	month := at.UTC().Format("2006-01")
	credits, charges := int64(0), int64(0)
	if amount >= 0 {
		credits = amount
	} else {
		charges = -amount
	}
	return types.TransactWriteItem{Update: &types.Update{TableName: &l.Table, Key: Key(billUserPK(userID), billStmtPrefix+month),
		UpdateExpression:         aws.String("SET GSI2PK = :g, GSI2SK = :u ADD creditsMinor :cr, chargesMinor :ch, #t :amt"),
		ExpressionAttributeNames: map[string]string{"#t": typ + "Minor"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":cr": N(credits), ":ch": N(charges), ":amt": N(amount),
			":g": S(stmtShard(userID, month)), ":u": S(userID)}}}
}

// Revenue sums every customer's month totals for each month given.
func (l *Ledger) Revenue(ctx context.Context, months []string) ([]panel.MonthRevenue, error) {
	out := make([]panel.MonthRevenue, 0, len(months))
	for _, m := range months {
		r := panel.MonthRevenue{Month: m}
		for shard := range stmtShards {
			in := &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String("GSI2"),
				KeyConditionExpression:    aws.String("GSI2PK = :pk"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2Statements + m + "#" + strconv.Itoa(shard))}}
			err := l.queryAll(ctx, "query revenue", in, func(av map[string]types.AttributeValue) error {
				r.Customers++
				r.CreditsMinor += saturatedN(av["creditsMinor"])
				r.ChargesMinor += saturatedN(av["chargesMinor"])
				r.TopupsMinor += saturatedN(av[panel.EntryTopup+"Minor"])
				r.RefundsMinor += saturatedN(av[panel.EntryRefund+"Minor"])
				r.ReversalsMinor += saturatedN(av[panel.EntryReversal+"Minor"])
				r.AdjustmentsMinor += saturatedN(av[panel.EntryAdjustment+"Minor"])
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

const topupTS = "2006-01-02T15:04:05.000000000Z"

func topupGSI2SK(t *panel.Topup) string { return t.CreatedAt.UTC().Format(topupTS) + "#" + t.ID }

// Topups lists top-ups newest first, filtered by status and customer. The
// cursor is the last top-up's index key.
func (l *Ledger) Topups(ctx context.Context, f panel.TopupFilter) ([]*panel.Topup, string, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	in := &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String("GSI2"),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2Topups)},
		ScanIndexForward:          aws.Bool(false)}
	var filters []string
	if f.Status != "" {
		filters = append(filters, "#st = :st")
		in.ExpressionAttributeNames = map[string]string{"#st": "status"}
		in.ExpressionAttributeValues[":st"] = S(f.Status)
	}
	if f.UserID != "" {
		filters = append(filters, "userId = :u")
		in.ExpressionAttributeValues[":u"] = S(f.UserID)
	}
	if len(filters) > 0 {
		expr := filters[0]
		for _, x := range filters[1:] {
			expr += " AND " + x
		}
		in.FilterExpression = aws.String(expr)
	}
	if f.Cursor != "" {
		sk, ok := decodeCursor(f.Cursor, "", topupTS)
		if !ok {
			return nil, "", badCursor()
		}
		id := sk[len(topupTS)+1:]
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(billTopupPK(id)), "SK": S(billMetaSK),
			"GSI2PK": S(gsi2Topups), "GSI2SK": S(sk)}
	}
	var out []*panel.Topup
	for {
		in.Limit = aws.Int32(int32(limit - len(out)))
		res, err := l.DB.Query(ctx, in)
		if err != nil {
			return nil, "", billErr("query topups", err)
		}
		for _, av := range res.Items {
			var it billTopupItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("dynamo: decode topup: %w", err)
			}
			out = append(out, it.topup())
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out, "", nil
		}
		if len(out) >= limit {
			return out, encodeCursor(topupGSI2SK(out[len(out)-1])), nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}
