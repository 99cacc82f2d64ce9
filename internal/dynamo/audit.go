package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// AuditLog stores activity as AUDIT#<userId> / <time>#<id> items: one
// partition per customer, sorted by time, so a page newest first is one
// Query. Entries expire after AuditRetention.
type AuditLog struct{ Store }

var _ panel.AuditLog = (*AuditLog)(nil)

// AuditRetention is how long activity is kept.
const AuditRetention = 400 * 24 * time.Hour

// NewAuditLog returns the audit log.
func NewAuditLog(s Store) *AuditLog { return &AuditLog{s} }

type auditItem struct {
	PK        string             `dynamodbav:"PK"`
	SK        string             `dynamodbav:"SK"`
	GSI1PK    string             `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK    string             `dynamodbav:"GSI1SK,omitempty"`
	GSI2PK    string             `dynamodbav:"GSI2PK"`
	GSI2SK    string             `dynamodbav:"GSI2SK"`
	Before    string             `dynamodbav:"before,omitempty"`
	After     string             `dynamodbav:"after,omitempty"`
	ID        string             `dynamodbav:"id"`
	UserID    string             `dynamodbav:"userId"`
	Actor     string             `dynamodbav:"actor"`
	Action    panel.ActivityKind `dynamodbav:"action"`
	Target    string             `dynamodbav:"target"`
	Outcome   string             `dynamodbav:"outcome"`
	Detail    string             `dynamodbav:"detail"`
	IP        string             `dynamodbav:"ip"`
	At        time.Time          `dynamodbav:"at"`
	ExpiresAt int64              `dynamodbav:"expiresAt"`
}

func auditPK(userID string) string { return pkAudit + userID }

// auditTime is fixed-width so sort keys order by time.
const auditTime = "2006-01-02T15:04:05.000000000Z"

// AuditItem is the item of entry e (ID and At filled in when empty), for
// writes that record an entry in their own transaction. Besides its user's
// log, each entry is indexed by actor (GSI1 AUDITBY#) and by day (GSI2
// AUDITLOG#), for the admin audit viewer.
func AuditItem(e panel.AuditEntry, clock func() time.Time) (map[string]types.AttributeValue, error) {
	if e.UserID == "" {
		return nil, fmt.Errorf("dynamo: record audit: no user id")
	}
	if !e.Action.Known() {
		// Every writer uses panel's vocabulary, which the UI labels.
		return nil, fmt.Errorf("dynamo: record audit: unknown activity kind %q", e.Action)
	}
	if e.At.IsZero() {
		e.At = clock()
	}
	if e.ID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		e.ID = "a_" + hex.EncodeToString(b[:])
	}
	at := e.At.UTC()
	sk := at.Format(auditTime) + "#" + e.ID
	it := auditItem{PK: auditPK(e.UserID), SK: sk, GSI2PK: gsi2AuditDay + at.Format(time.DateOnly), GSI2SK: sk,
		ID: e.ID, UserID: e.UserID, Actor: e.Actor, Action: e.Action, Target: e.Target, Outcome: e.Outcome,
		Detail: e.Detail, IP: e.IP, Before: e.Before, After: e.After, At: at, ExpiresAt: at.Add(AuditRetention).Unix()}
	if e.Actor != "" {
		it.GSI1PK, it.GSI1SK = gsi1AuditBy+e.Actor, sk
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("dynamo: marshal audit entry: %w", err)
	}
	return av, nil
}

// RecordAudit appends e to its user's log.
func (l *AuditLog) RecordAudit(ctx context.Context, e panel.AuditEntry) error {
	av, err := AuditItem(e, l.Clock)
	if err != nil {
		return err
	}
	if _, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: av}); err != nil {
		return storeErr("record audit "+string(e.Action), err)
	}
	return nil
}

// Activity lists a user's entries newest first. The cursor is the sort
// key of the last entry returned, base64url-encoded.
func (l *AuditLog) Activity(ctx context.Context, userID, cursor string, limit int) ([]panel.AuditEntry, string, error) {
	return l.activity(ctx, userID, "", cursor, limit)
}

// TargetActivity lists a user's entries about one target, newest first.
// The target is a filter on the user's partition: one call reads at most
// targetReads pages, so a page may come back short (even empty) with a
// next cursor when the target is rare among the user's entries.
func (l *AuditLog) TargetActivity(ctx context.Context, userID, target, cursor string, limit int) ([]panel.AuditEntry, string, error) {
	if target == "" {
		return nil, "", panel.Invalid(map[string]string{"target": "is required"})
	}
	return l.activity(ctx, userID, target, cursor, limit)
}

// targetReads bounds the Query pages one TargetActivity call reads.
const targetReads = 8

func (l *AuditLog) activity(ctx context.Context, userID, target, cursor string, limit int) ([]panel.AuditEntry, string, error) {
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	in := &dynamodb.QueryInput{TableName: &l.Table,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(auditPK(userID))},
		ScanIndexForward:          aws.Bool(false)}
	if target != "" {
		in.FilterExpression = aws.String("#t = :t")
		in.ExpressionAttributeNames = map[string]string{"#t": "target"}
		in.ExpressionAttributeValues[":t"] = S(target)
	}
	if cursor != "" {
		sk, ok := decodeCursor(cursor, "", auditTime)
		if !ok {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = Key(auditPK(userID), sk)
	}
	now := l.Clock()
	entries := make([]panel.AuditEntry, 0, limit)
	next := ""
	for reads := 0; reads < targetReads; reads++ {
		// Limit counts items read before the filter: ask only for what is
		// still missing, so the cursor never skips an entry.
		in.Limit = aws.Int32(int32(limit - len(entries)))
		out, err := l.DB.Query(ctx, in)
		if err != nil {
			return nil, "", storeErr("list activity", err)
		}
		for _, av := range out.Items {
			var it auditItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("dynamo: unmarshal audit entry: %w", err)
			}
			if it.ExpiresAt > 0 && now.Unix() >= it.ExpiresAt {
				continue // TTL deletes late
			}
			entries = append(entries, it.entry())
		}
		next = ""
		sk, ok := out.LastEvaluatedKey["SK"].(*types.AttributeValueMemberS)
		if !ok {
			break // the log's end
		}
		next = encodeCursor(sk.Value)
		if target == "" || len(entries) >= limit {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	return entries, next, nil
}

func (it *auditItem) entry() panel.AuditEntry {
	return panel.AuditEntry{ID: it.ID, UserID: it.UserID, Actor: it.Actor, Action: it.Action, Target: it.Target,
		Outcome: it.Outcome, Detail: it.Detail, IP: it.IP, At: it.At, Before: it.Before, After: it.After}
}
