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

var _ panel.AuditSearch = (*AuditLog)(nil)

// auditReads bounds the Queries one page of SearchAudit makes, so a
// sparse filter over a long range answers with a cursor instead of
// reading on.
const auditReads = 10

// SearchAudit implements panel.AuditSearch with one partition per read:
// the actor's (GSI1 AUDITBY#), the target user's log, or, with neither,
// the days of the range newest first (GSI2 AUDITLOG#<day>). Action and
// target are filters. The cursor is "<userId>|<sort key>" of the last
// entry read, or "|<day>" to start at the top of a day.
func (l *AuditLog) SearchAudit(ctx context.Context, q panel.AuditQuery) ([]panel.AuditEntry, string, error) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 50
	}
	if q.To.IsZero() {
		q.To = l.Clock().Add(time.Second)
	}
	if q.From.IsZero() || q.From.Before(q.To.Add(-AuditRetention)) {
		q.From = q.To.Add(-AuditRetention)
	}
	if !q.From.Before(q.To) {
		return nil, "", panel.Invalid(map[string]string{"from": "Pick a start before the end."})
	}
	lo, hi := q.From.UTC().Format(auditTime), q.To.UTC().Format(auditTime)
	var startUser, startSK, day string
	if q.Cursor != "" {
		c, err := adminCursor(q.Cursor, "")
		if err != nil {
			return nil, "", err
		}
		var ok bool
		startUser, startSK, ok = strings.Cut(c, "|")
		if !ok || (startUser == "") != (len(startSK) == len(time.DateOnly)) {
			return nil, "", badCursor()
		}
		if startUser == "" {
			if _, err := time.Parse(time.DateOnly, startSK); err != nil {
				return nil, "", badCursor()
			}
			day, startSK = startSK, ""
		}
	}
	vals := map[string]types.AttributeValue{":lo": S(lo), ":hi": S(hi)}
	names := map[string]string{}
	var filters []string
	if q.Action != "" {
		filters, names["#a"], vals[":act"] = append(filters, "begins_with(#a, :act)"), "action", S(q.Action)
	}
	if q.Target != "" {
		filters, names["#t"], vals[":tgt"] = append(filters, "#t = :tgt"), "target", S(q.Target)
	}
	in := &dynamodb.QueryInput{TableName: &l.Table, ScanIndexForward: aws.Bool(false), ExpressionAttributeValues: vals}
	byDay := false
	switch {
	case q.Actor != "":
		in.IndexName = aws.String("GSI1")
		in.KeyConditionExpression = aws.String("GSI1PK = :pk AND GSI1SK BETWEEN :lo AND :hi")
		vals[":pk"] = S(gsi1AuditBy + q.Actor)
		if q.UserID != "" {
			filters, vals[":uid"] = append(filters, "userId = :uid"), S(q.UserID)
		}
	case q.UserID != "":
		in.KeyConditionExpression = aws.String("PK = :pk AND SK BETWEEN :lo AND :hi")
		vals[":pk"] = S(auditPK(q.UserID))
	default:
		byDay = true
		in.IndexName = aws.String("GSI2")
		in.KeyConditionExpression = aws.String("GSI2PK = :pk AND GSI2SK BETWEEN :lo AND :hi")
		if day == "" {
			day = q.To.UTC().Format(time.DateOnly)
			if startSK != "" {
				day = startSK[:len(time.DateOnly)]
			}
		}
		vals[":pk"] = S(gsi2AuditDay + day)
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	if len(names) > 0 {
		in.ExpressionAttributeNames = names
	}
	if startSK != "" {
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(auditPK(startUser)), "SK": S(startSK)}
		switch {
		case q.Actor != "":
			in.ExclusiveStartKey["GSI1PK"], in.ExclusiveStartKey["GSI1SK"] = vals[":pk"], S(startSK)
		case byDay:
			in.ExclusiveStartKey["GSI2PK"], in.ExclusiveStartKey["GSI2SK"] = vals[":pk"], S(startSK)
		}
	}
	firstDay := q.From.UTC().Format(time.DateOnly)
	entries := []panel.AuditEntry{}
	now := l.Clock().Unix()
	for range auditReads {
		in.Limit = aws.Int32(int32(q.Limit - len(entries)))
		if len(filters) > 0 {
			in.Limit = aws.Int32(100)
		}
		out, err := l.DB.Query(ctx, in)
		if err != nil {
			return nil, "", storeErr("search audit", err)
		}
		for _, av := range out.Items {
			var it auditItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("dynamo: unmarshal audit entry: %w", err)
			}
			if it.ExpiresAt > 0 && now >= it.ExpiresAt {
				continue
			}
			entries = append(entries, it.entry())
			if len(entries) == q.Limit {
				return entries, encodeCursor(it.UserID + "|" + it.SK), nil
			}
		}
		if len(out.LastEvaluatedKey) > 0 {
			in.ExclusiveStartKey = out.LastEvaluatedKey
			continue
		}
		if !byDay || day <= firstDay {
			return entries, "", nil
		}
		d, _ := time.Parse(time.DateOnly, day)
		day = d.AddDate(0, 0, -1).Format(time.DateOnly)
		vals[":pk"] = S(gsi2AuditDay + day)
		in.ExclusiveStartKey = nil
	}
	if in.ExclusiveStartKey == nil {
		return entries, encodeCursor("|" + day), nil
	}
	pk, _ := in.ExclusiveStartKey["PK"].(*types.AttributeValueMemberS)
	sk, _ := in.ExclusiveStartKey["SK"].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return entries, "", nil
	}
	return entries, encodeCursor(strings.TrimPrefix(pk.Value, pkAudit) + "|" + sk.Value), nil
}
