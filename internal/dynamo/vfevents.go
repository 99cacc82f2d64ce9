package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// ServerEvents stores VirtFusion webhook deliveries as VFEVENT#<deliveryId>
// / META items. The conditional put on the delivery id is the
// deduplication. Undelivered events also sit in GSI1 under
// VFEVENTS#PENDING (dropped once delivered) so a job can retry them; every
// event is listed per server in GSI2 under VFSERVER#<id>.
type ServerEvents struct{ Store }

var _ panel.ServerEventStore = (*ServerEvents)(nil)

// ServerEventRetention is how long webhook events are kept.
const ServerEventRetention = 90 * 24 * time.Hour

// maxRawEvent bounds the stored webhook body (an item is at most 400 KB).
const maxRawEvent = 100 << 10

const pendingEventsPK = gsi1PendingEvents

// NewServerEvents returns the event store.
func NewServerEvents(s Store) *ServerEvents { return &ServerEvents{s} }

type serverEventItem struct {
	PK         string    `dynamodbav:"PK"`
	SK         string    `dynamodbav:"SK"`
	GSI1PK     string    `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK     string    `dynamodbav:"GSI1SK,omitempty"`
	GSI2PK     string    `dynamodbav:"GSI2PK"`
	GSI2SK     string    `dynamodbav:"GSI2SK"`
	ID         string    `dynamodbav:"id"`
	Event      string    `dynamodbav:"event"`
	Kind       string    `dynamodbav:"kind"`
	Status     string    `dynamodbav:"status"`
	ServerID   int64     `dynamodbav:"serverId"`
	ServerName string    `dynamodbav:"serverName"`
	VFUserID   int64     `dynamodbav:"vfUserId"`
	UserID     string    `dynamodbav:"userId"`
	At         time.Time `dynamodbav:"at"`
	ReceivedAt time.Time `dynamodbav:"receivedAt"`
	Delivered  bool      `dynamodbav:"delivered"`
	Raw        string    `dynamodbav:"raw"`
	ExpiresAt  int64     `dynamodbav:"expiresAt"`
}

func serverEventPK(id string) string { return pkVFEvent + id }

func (it *serverEventItem) event() panel.ServerEvent {
	return panel.ServerEvent{ID: it.ID, Event: it.Event, Kind: it.Kind, Status: it.Status, ServerID: it.ServerID,
		ServerName: it.ServerName, VFUserID: it.VFUserID, UserID: it.UserID, At: it.At, ReceivedAt: it.ReceivedAt}
}

// RecordServerEvent stores ev once per delivery id.
func (st *ServerEvents) RecordServerEvent(ctx context.Context, ev panel.ServerEvent, raw []byte) (fresh, delivered bool, err error) {
	if ev.ID == "" {
		return false, false, fmt.Errorf("dynamo: record server event: no delivery id")
	}
	if ev.ReceivedAt.IsZero() {
		ev.ReceivedAt = st.Clock()
	}
	if len(raw) > maxRawEvent {
		raw = raw[:maxRawEvent]
	}
	recv := ev.ReceivedAt.UTC()
	it := serverEventItem{PK: serverEventPK(ev.ID), SK: skMeta,
		GSI1PK: pendingEventsPK, GSI1SK: recv.Format(auditTime) + "#" + ev.ID,
		GSI2PK: gsi2VFServerEvents + strconv.FormatInt(ev.ServerID, 10), GSI2SK: ev.At.UTC().Format(auditTime) + "#" + ev.ID,
		ID: ev.ID, Event: ev.Event, Kind: ev.Kind, Status: ev.Status, ServerID: ev.ServerID, ServerName: ev.ServerName,
		VFUserID: ev.VFUserID, UserID: ev.UserID, At: ev.At.UTC(), ReceivedAt: recv, Raw: string(raw),
		ExpiresAt: recv.Add(ServerEventRetention).Unix()}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return false, false, fmt.Errorf("dynamo: marshal server event: %w", err)
	}
	_, err = st.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &st.Table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if err == nil {
		return true, false, nil
	}
	if !IsConditionFailed(err) {
		return false, false, storeErr("record server event "+ev.ID, err)
	}
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &st.Table, Key: Key(serverEventPK(ev.ID), skMeta),
		ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("delivered")})
	if err != nil {
		return false, false, storeErr("read server event "+ev.ID, err)
	}
	var old struct {
		Delivered bool `dynamodbav:"delivered"`
	}
	_ = attributevalue.UnmarshalMap(out.Item, &old)
	return false, old.Delivered, nil
}

// MarkServerEventDelivered sets delivered and takes the event off the
// pending index.
func (st *ServerEvents) MarkServerEventDelivered(ctx context.Context, id string) error {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &st.Table, Key: Key(serverEventPK(id), skMeta),
		UpdateExpression:          aws.String("SET delivered = :t REMOVE GSI1PK, GSI1SK"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}}})
	if IsConditionFailed(err) {
		return panel.NotFound("server event")
	}
	if err != nil {
		return storeErr("mark server event "+id, err)
	}
	return nil
}

// PendingServerEvents lists undelivered events, oldest first.
func (st *ServerEvents) PendingServerEvents(ctx context.Context, limit int) ([]panel.ServerEvent, error) {
	return st.query(ctx, "GSI1", "GSI1PK", pendingEventsPK, true, limit)
}

// ServerEventsFor lists one server's events, newest first.
func (st *ServerEvents) ServerEventsFor(ctx context.Context, serverID int64, limit int) ([]panel.ServerEvent, error) {
	return st.query(ctx, "GSI2", "GSI2PK", gsi2VFServerEvents+strconv.FormatInt(serverID, 10), false, limit)
}

func (st *ServerEvents) query(ctx context.Context, index, attr, pk string, forward bool, limit int) ([]panel.ServerEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	out, err := st.DB.Query(ctx, &dynamodb.QueryInput{TableName: &st.Table, IndexName: aws.String(index),
		KeyConditionExpression:    aws.String(attr + " = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pk)},
		ScanIndexForward:          aws.Bool(forward), Limit: aws.Int32(int32(limit))})
	if err != nil {
		return nil, storeErr("list server events "+pk, err)
	}
	evs := make([]panel.ServerEvent, 0, len(out.Items))
	for _, av := range out.Items {
		var it serverEventItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("dynamo: unmarshal server event: %w", err)
		}
		evs = append(evs, it.event())
	}
	return evs, nil
}
