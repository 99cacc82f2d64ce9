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
	PK        string    `dynamodbav:"PK"`
	SK        string    `dynamodbav:"SK"`
	ID        string    `dynamodbav:"id"`
	UserID    string    `dynamodbav:"userId"`
	Actor     string    `dynamodbav:"actor"`
	Action    string    `dynamodbav:"action"`
	Target    string    `dynamodbav:"target"`
	Outcome   string    `dynamodbav:"outcome"`
	Detail    string    `dynamodbav:"detail"`
	IP        string    `dynamodbav:"ip"`
	At        time.Time `dynamodbav:"at"`
	Before    string    `dynamodbav:"before,omitempty"`
	After     string    `dynamodbav:"after,omitempty"`
	ExpiresAt int64     `dynamodbav:"expiresAt"`
}

func auditPK(userID string) string { return pkAudit + userID }

// auditTime is fixed-width so sort keys order by time.
const auditTime = "2006-01-02T15:04:05.000000000Z"

// RecordAudit appends e to its user's log.
func (l *AuditLog) RecordAudit(ctx context.Context, e panel.AuditEntry) error {
	if e.UserID == "" {
		return fmt.Errorf("dynamo: record audit: no user id")
	}
	if e.At.IsZero() {
		e.At = l.Clock()
	}
	if e.ID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:])
		e.ID = "a_" + hex.EncodeToString(b[:])
	}
	at := e.At.UTC()
	it := auditItem{PK: auditPK(e.UserID), SK: at.Format(auditTime) + "#" + e.ID, ID: e.ID, UserID: e.UserID,
		Actor: e.Actor, Action: e.Action, Target: e.Target, Outcome: e.Outcome, Detail: e.Detail, IP: e.IP,
		At: at, Before: e.Before, After: e.After, ExpiresAt: at.Add(AuditRetention).Unix()}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("dynamo: marshal audit entry: %w", err)
	}
	if _, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: av}); err != nil {
		return storeErr("record audit "+e.Action, err)
	}
	return nil
}

// Activity lists a user's entries newest first. The cursor is the sort
// key of the last entry returned, base64url-encoded.
func (l *AuditLog) Activity(ctx context.Context, userID, cursor string, limit int) ([]panel.AuditEntry, string, error) {
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	in := &dynamodb.QueryInput{TableName: &l.Table,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(auditPK(userID))},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit))}
	if cursor != "" {
		sk, ok := decodeCursor(cursor, "", auditTime)
		if !ok {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = Key(auditPK(userID), sk)
	}
	out, err := l.DB.Query(ctx, in)
	if err != nil {
		return nil, "", storeErr("list activity", err)
	}
	now := l.Clock()
	entries := make([]panel.AuditEntry, 0, len(out.Items))
	for _, av := range out.Items {
		var it auditItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("dynamo: unmarshal audit entry: %w", err)
		}
		if it.ExpiresAt > 0 && now.Unix() >= it.ExpiresAt {
			continue // TTL deletes late
		}
		entries = append(entries, panel.AuditEntry{ID: it.ID, UserID: it.UserID, Actor: it.Actor, Action: it.Action,
			Target: it.Target, Outcome: it.Outcome, Detail: it.Detail, IP: it.IP, At: it.At, Before: it.Before, After: it.After})
	}
	next := ""
	if lek := out.LastEvaluatedKey; len(lek) > 0 {
		if sk, ok := lek["SK"].(*types.AttributeValueMemberS); ok {
			next = encodeCursor(sk.Value)
		}
	}
	return entries, next, nil
}
