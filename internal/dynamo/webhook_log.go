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

// WebhookLog stores the operator console's webhook log: one item per
// delivery, WHLOG#<source>#<id> / META, listed newest first in GSI2 under
// WEBHOOKS (sort key <received>#<source>#<id>), expiring after
// panel.WebhookRetention. It is a view for people: the deduplication that
// money depends on stays in the PayPal and VirtFusion event stores.
type WebhookLog struct{ Store }

var _ panel.WebhookLog = (*WebhookLog)(nil)

// NewWebhookLog returns the webhook log.
func NewWebhookLog(s Store) *WebhookLog { return &WebhookLog{s} }

// maxLoggedPayload bounds the stored payload (an item is at most 400 KB).
const maxLoggedPayload = 100 << 10

type webhookLogItem struct {
	Source        string    `dynamodbav:"source"`
	ID            string    `dynamodbav:"id"`
	EventType     string    `dynamodbav:"eventType"`
	State         string    `dynamodbav:"state"`
	ReceivedAt    time.Time `dynamodbav:"receivedAt"`
	LastAttemptAt time.Time `dynamodbav:"lastAttemptAt"`
	Attempts      int       `dynamodbav:"attempts"`
	Error         string    `dynamodbav:"error"`
	Payload       string    `dynamodbav:"payload"`
	ReprocessedBy string    `dynamodbav:"reprocessedBy"`
}

func (it webhookLogItem) delivery() panel.WebhookDelivery {
	return panel.WebhookDelivery{Source: it.Source, ID: it.ID, EventType: it.EventType, State: it.State, ReceivedAt: it.ReceivedAt,
		LastAttemptAt: it.LastAttemptAt, Attempts: it.Attempts, Error: it.Error, Payload: it.Payload, ReprocessedBy: it.ReprocessedBy}
}

func webhookLogPK(source, id string) string { return pkWebhookLog + source + "#" + id }

// RecordWebhook implements panel.WebhookLog.
func (w *WebhookLog) RecordWebhook(ctx context.Context, d panel.WebhookDelivery) error {
	if d.Source == "" || d.ID == "" {
		return fmt.Errorf("dynamo: record webhook: no source or id")
	}
	now := w.Clock().UTC()
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = now
	}
	if len(d.Payload) > maxLoggedPayload {
		d.Payload = d.Payload[:maxLoggedPayload]
	}
	expr := "SET #src = :src, #id = :id, #et = :et, #st = :st, #la = :now, #err = :err, #exp = :exp, GSI2PK = :g, " +
		"#ra = if_not_exists(#ra, :ra), #pl = if_not_exists(#pl, :pl), GSI2SK = if_not_exists(GSI2SK, :gs)"
	names := map[string]string{"#src": "source", "#id": "id", "#et": "eventType", "#st": "state", "#la": "lastAttemptAt",
		"#err": "error", "#exp": "expiresAt", "#ra": "receivedAt", "#pl": "payload", "#at": "attempts"}
	vals := map[string]types.AttributeValue{":src": S(d.Source), ":id": S(d.ID), ":et": S(d.EventType), ":st": S(d.State),
		":now": S(now.Format(time.RFC3339Nano)), ":err": S(d.Error), ":exp": N(now.Add(panel.WebhookRetention).Unix()),
		":g": S(gsi2WebhookLog), ":ra": S(d.ReceivedAt.UTC().Format(time.RFC3339Nano)), ":pl": S(d.Payload),
		":gs": S(d.ReceivedAt.UTC().Format(auditTime) + "#" + d.Source + "#" + d.ID), ":one": N(1)}
	if d.ReprocessedBy != "" {
		expr += ", #rb = :rb"
		names["#rb"], vals[":rb"] = "reprocessedBy", S(d.ReprocessedBy)
	}
	_, err := w.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &w.Table, Key: Key(webhookLogPK(d.Source, d.ID), skMeta),
		UpdateExpression: aws.String(expr + " ADD #at :one"), ExpressionAttributeNames: names, ExpressionAttributeValues: vals})
	if err != nil {
		return storeErr("record webhook "+d.Source+" "+d.ID, err)
	}
	return nil
}

// Webhook implements panel.WebhookLog.
func (w *WebhookLog) Webhook(ctx context.Context, source, id string) (*panel.WebhookDelivery, error) {
	out, err := w.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &w.Table, Key: Key(webhookLogPK(source, id), skMeta), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr("get webhook", err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("webhook delivery")
	}
	var it webhookLogItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal webhook: %w", err)
	}
	d := it.delivery()
	return &d, nil
}

// Webhooks implements panel.WebhookLog: one Query of GSI2, the filters
// applied by DynamoDB, read on until the page is full or the index ends.
func (w *WebhookLog) Webhooks(ctx context.Context, f panel.WebhookFilter) ([]panel.WebhookDelivery, string, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	in := &dynamodb.QueryInput{TableName: &w.Table, IndexName: aws.String("GSI2"),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2WebhookLog)},
		ScanIndexForward:          aws.Bool(false)}
	var filters []string
	names := map[string]string{}
	for attr, v := range map[string]string{"source": f.Source, "state": f.State, "eventType": f.EventType} {
		if v != "" {
			filters = append(filters, "#"+attr+" = :"+attr)
			names["#"+attr], in.ExpressionAttributeValues[":"+attr] = attr, S(v)
		}
	}
	if len(filters) > 0 {
		in.FilterExpression, in.ExpressionAttributeNames = aws.String(strings.Join(filters, " AND ")), names
	}
	if f.Cursor != "" {
		sk, ok := decodeCursor(f.Cursor, "", auditTime)
		if !ok {
			return nil, "", badCursor()
		}
		source, id, ok := strings.Cut(sk[len(auditTime)+1:], "#")
		if !ok || id == "" {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(webhookLogPK(source, id)), "SK": S(skMeta),
			"GSI2PK": S(gsi2WebhookLog), "GSI2SK": S(sk)}
	}
	var out []panel.WebhookDelivery
	var lastSK string
	for {
		in.Limit = aws.Int32(int32(limit - len(out)))
		res, err := w.DB.Query(ctx, in)
		if err != nil {
			return nil, "", storeErr("list webhooks", err)
		}
		for _, av := range res.Items {
			var it webhookLogItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("dynamo: unmarshal webhook: %w", err)
			}
			out = append(out, it.delivery())
			if v, ok := av["GSI2SK"].(*types.AttributeValueMemberS); ok {
				lastSK = v.Value
			}
		}
		if res.LastEvaluatedKey == nil {
			return out, "", nil
		}
		if len(out) >= limit {
			return out, encodeCursor(lastSK), nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// ServerEvent returns one stored VirtFusion event and its (redacted) body,
// for the operator console's re-processing; ENOTFOUND when unknown.
func (st *ServerEvents) ServerEvent(ctx context.Context, id string) (panel.ServerEvent, []byte, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.Table, Key: Key(serverEventPK(id), skMeta), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return panel.ServerEvent{}, nil, storeErr("get server event "+id, err)
	}
	if out.Item == nil {
		return panel.ServerEvent{}, nil, panel.NotFound("server event")
	}
	var it serverEventItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return panel.ServerEvent{}, nil, fmt.Errorf("dynamo: unmarshal server event: %w", err)
	}
	return it.event(), []byte(it.Raw), nil
}
