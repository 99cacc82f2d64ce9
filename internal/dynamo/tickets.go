package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Tickets stores support tickets. Items:
//
//	TICKET#<id> / META                  the ticket
//	TICKET#<id> / MSG#<time>#<msgId>    one message or internal note
//	CANNED / REPLY#<id>                 a canned reply
//
// GSI1 is the staff queue: TKQUEUE#<status> by last activity. GSI2 is a
// customer's list: TKUSER#<uid> by last activity. Both sort keys are
// <time>#<ticketId>, so a page cursor names the ticket it stopped at.
type Tickets struct{ Store }

var _ panel.TicketStore = (*Tickets)(nil)

// NewTickets returns the ticket store.
func NewTickets(s Store) *Tickets { return &Tickets{s} }

func ticketPK(id string) string          { return pkTicket + id }
func ticketQueuePK(status string) string { return gsi1TicketQueue + status }
func ticketUserPK(uid string) string     { return gsi2UserTickets + uid }

type ticketItem struct {
	PK             string `dynamodbav:"PK"`
	SK             string `dynamodbav:"SK"`
	GSI1PK         string `dynamodbav:"GSI1PK"`
	GSI1SK         string `dynamodbav:"GSI1SK"`
	GSI2PK         string `dynamodbav:"GSI2PK"`
	GSI2SK         string `dynamodbav:"GSI2SK"`
	ID             string `dynamodbav:"id"`
	UserID         string `dynamodbav:"userId"`
	Email          string `dynamodbav:"email"`
	Name           string `dynamodbav:"name"`
	Subject        string `dynamodbav:"subject"`
	Category       string `dynamodbav:"category"`
	Priority       string `dynamodbav:"priority"`
	Status         string `dynamodbav:"status"`
	ServerID       int64  `dynamodbav:"serverId"`
	ServerName     string `dynamodbav:"serverName"`
	AssigneeID     string `dynamodbav:"assigneeId"`
	AssigneeName   string `dynamodbav:"assigneeName"`
	WaitingOn      string `dynamodbav:"waitingOn"`
	CreatedAt      string `dynamodbav:"createdAt"`
	LastActivityAt string `dynamodbav:"lastActivityAt"`
	LastCustomerAt string `dynamodbav:"lastCustomerAt"`
	LastStaffAt    string `dynamodbav:"lastStaffAt"`
	CustomerSeenAt string `dynamodbav:"customerSeenAt"`
	StaffSeenAt    string `dynamodbav:"staffSeenAt"`
}

func (it *ticketItem) ticket() *panel.Ticket {
	return &panel.Ticket{ID: it.ID, UserID: it.UserID, Email: it.Email, Name: it.Name, Subject: it.Subject,
		Category: it.Category, Priority: it.Priority, Status: it.Status, ServerID: it.ServerID, ServerName: it.ServerName,
		AssigneeID: it.AssigneeID, AssigneeName: it.AssigneeName, WaitingOn: it.WaitingOn,
		CreatedAt: parseTS(it.CreatedAt), LastActivityAt: parseTS(it.LastActivityAt),
		LastCustomerAt: parseTS(it.LastCustomerAt), LastStaffAt: parseTS(it.LastStaffAt),
		CustomerSeenAt: parseTS(it.CustomerSeenAt), StaffSeenAt: parseTS(it.StaffSeenAt)}
}

type ticketMessageItem struct {
	PK         string `dynamodbav:"PK"`
	SK         string `dynamodbav:"SK"`
	ID         string `dynamodbav:"id"`
	TicketID   string `dynamodbav:"ticketId"`
	AuthorID   string `dynamodbav:"authorId"`
	AuthorName string `dynamodbav:"authorName"`
	Staff      bool   `dynamodbav:"staff"`
	Internal   bool   `dynamodbav:"internal"`
	Body       string `dynamodbav:"body"`
	CreatedAt  string `dynamodbav:"createdAt"`
}

type cannedItem struct {
	PK        string `dynamodbav:"PK"`
	SK        string `dynamodbav:"SK"`
	ID        string `dynamodbav:"id"`
	Title     string `dynamodbav:"title"`
	Body      string `dynamodbav:"body"`
	UpdatedAt string `dynamodbav:"updatedAt"`
}

func (s *Tickets) messagePut(m *panel.TicketMessage) (types.TransactWriteItem, error) {
	at := ts(m.CreatedAt)
	av, err := attributevalue.MarshalMap(ticketMessageItem{PK: ticketPK(m.TicketID), SK: skTicketMsg + at + "#" + m.ID,
		ID: m.ID, TicketID: m.TicketID, AuthorID: m.AuthorID, AuthorName: m.AuthorName, Staff: m.Staff,
		Internal: m.Internal, Body: m.Body, CreatedAt: at})
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("dynamo: marshal ticket message: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}, nil
}

// transact runs items plus the writes of notes in one transaction. A
// failed condition is reported as ENOTFOUND of what (the ticket is gone,
// or the message exists).
func (s *Tickets) transact(ctx context.Context, op string, items []types.TransactWriteItem, notes []panel.Notification) error {
	for _, n := range notes {
		w, err := OutboxPut(s.Table, n)
		if err != nil {
			return err
		}
		items = append(items, w)
	}
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if IsConditionFailed(err) {
		return panel.NotFound("ticket")
	}
	if err != nil {
		return dbErr(op, err)
	}
	return nil
}

// CreateTicket implements panel.TicketStore.
func (s *Tickets) CreateTicket(ctx context.Context, t *panel.Ticket, first *panel.TicketMessage, notes []panel.Notification) error {
	at := ts(t.LastActivityAt)
	it := ticketItem{PK: ticketPK(t.ID), SK: skMeta, GSI1PK: ticketQueuePK(t.Status), GSI1SK: at + "#" + t.ID,
		GSI2PK: ticketUserPK(t.UserID), GSI2SK: at + "#" + t.ID, ID: t.ID, UserID: t.UserID, Email: t.Email,
		Name: t.Name, Subject: t.Subject, Category: t.Category, Priority: t.Priority, Status: t.Status,
		ServerID: t.ServerID, ServerName: t.ServerName, WaitingOn: t.WaitingOn, CreatedAt: ts(t.CreatedAt),
		LastActivityAt: at, LastCustomerAt: ts(t.LastCustomerAt), CustomerSeenAt: ts(t.CustomerSeenAt),
		LastStaffAt: ts(t.LastStaffAt), StaffSeenAt: ts(t.StaffSeenAt)}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("dynamo: marshal ticket: %w", err)
	}
	msg, err := s.messagePut(first)
	if err != nil {
		return err
	}
	put := types.TransactWriteItem{Put: &types.Put{TableName: &s.Table, Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}
	if err := s.transact(ctx, "create ticket", []types.TransactWriteItem{put, msg}, notes); err != nil {
		if panel.ErrorCode(err) == panel.ENOTFOUND {
			return panel.Errorf(panel.ECONFLICT, "This ticket exists already.")
		}
		return err
	}
	return nil
}

// Ticket implements panel.TicketStore.
func (s *Tickets) Ticket(ctx context.Context, id string) (*panel.Ticket, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: Key(ticketPK(id), skMeta),
		ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dbErr("get ticket", err)
	}
	if len(out.Item) == 0 {
		return nil, panel.NotFound("ticket")
	}
	var it ticketItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, fmt.Errorf("dynamo: unmarshal ticket: %w", err)
	}
	return it.ticket(), nil
}

// Messages implements panel.TicketStore.
func (s *Tickets) Messages(ctx context.Context, ticketID string, internal bool) ([]*panel.TicketMessage, error) {
	in := &dynamodb.QueryInput{TableName: &s.Table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :msg)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(ticketPK(ticketID)), ":msg": S(skTicketMsg)},
		ConsistentRead:            aws.Bool(true)}
	out := []*panel.TicketMessage{}
	p := dynamodb.NewQueryPaginator(s.DB, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dbErr("list ticket messages", err)
		}
		for _, av := range page.Items {
			var it ticketMessageItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, fmt.Errorf("dynamo: unmarshal ticket message: %w", err)
			}
			if it.Internal && !internal {
				continue
			}
			out = append(out, &panel.TicketMessage{ID: it.ID, TicketID: it.TicketID, AuthorID: it.AuthorID,
				AuthorName: it.AuthorName, Staff: it.Staff, Internal: it.Internal, Body: it.Body,
				CreatedAt: parseTS(it.CreatedAt)})
		}
	}
	return out, nil
}

// AddMessage implements panel.TicketStore. A public message moves the
// ticket's activity (and its place in both lists) and flips who it waits
// on; an internal note changes nothing but the thread.
func (s *Tickets) AddMessage(ctx context.Context, m *panel.TicketMessage, reopen bool, notes []panel.Notification) (*panel.Ticket, error) {
	put, err := s.messagePut(m)
	if err != nil {
		return nil, err
	}
	key := Key(ticketPK(m.TicketID), skMeta)
	var touch types.TransactWriteItem
	if m.Internal {
		touch = types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: &s.Table, Key: key,
			ConditionExpression: aws.String("attribute_exists(PK)")}}
	} else {
		at := ts(m.CreatedAt)
		set := []string{"lastActivityAt = :at", "GSI1SK = :gsk", "GSI2SK = :gsk", "waitingOn = :wait"}
		vals := map[string]types.AttributeValue{":at": S(at), ":gsk": S(at + "#" + m.TicketID)}
		if m.Staff {
			set = append(set, "lastStaffAt = :at", "staffSeenAt = :at")
			vals[":wait"] = S(panel.WaitingOnCustomer)
		} else {
			set = append(set, "lastCustomerAt = :at", "customerSeenAt = :at")
			vals[":wait"] = S(panel.WaitingOnStaff)
		}
		names := map[string]string(nil)
		if reopen {
			set = append(set, "#s = :open", "GSI1PK = :queue")
			vals[":open"], vals[":queue"] = S(panel.TicketOpen), S(ticketQueuePK(panel.TicketOpen))
			names = map[string]string{"#s": "status"}
		}
		touch = types.TransactWriteItem{Update: &types.Update{TableName: &s.Table, Key: key,
			UpdateExpression: aws.String("SET " + strings.Join(set, ", ")), ConditionExpression: aws.String("attribute_exists(PK)"),
			ExpressionAttributeNames: names, ExpressionAttributeValues: vals}}
	}
	if err := s.transact(ctx, "add ticket message", []types.TransactWriteItem{touch, put}, notes); err != nil {
		return nil, err
	}
	return s.Ticket(ctx, m.TicketID)
}

// ChangeTicket implements panel.TicketStore. A status change is activity.
func (s *Tickets) ChangeTicket(ctx context.Context, id string, c panel.TicketChange, notes []panel.Notification) (*panel.Ticket, error) {
	set := []string{}
	vals := map[string]types.AttributeValue{}
	names := map[string]string{}
	if c.Status != nil {
		at := ts(s.Clock())
		set = append(set, "#s = :s", "GSI1PK = :queue", "lastActivityAt = :at", "GSI1SK = :gsk", "GSI2SK = :gsk")
		vals[":s"], vals[":queue"] = S(*c.Status), S(ticketQueuePK(*c.Status))
		vals[":at"], vals[":gsk"] = S(at), S(at+"#"+id)
		names["#s"] = "status"
	}
	if c.Priority != nil {
		set = append(set, "priority = :p")
		vals[":p"] = S(*c.Priority)
	}
	if c.AssigneeID != nil {
		name := ""
		if c.AssigneeName != nil {
			name = *c.AssigneeName
		}
		set = append(set, "assigneeId = :a", "assigneeName = :an")
		vals[":a"], vals[":an"] = S(*c.AssigneeID), S(name)
	}
	if len(set) == 0 {
		return s.Ticket(ctx, id)
	}
	if len(names) == 0 {
		names = nil
	}
	up := types.TransactWriteItem{Update: &types.Update{TableName: &s.Table, Key: Key(ticketPK(id), skMeta),
		UpdateExpression: aws.String("SET " + strings.Join(set, ", ")), ConditionExpression: aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames: names, ExpressionAttributeValues: vals}}
	if err := s.transact(ctx, "change ticket", []types.TransactWriteItem{up}, notes); err != nil {
		return nil, err
	}
	return s.Ticket(ctx, id)
}

// MarkSeen implements panel.TicketStore.
func (s *Tickets) MarkSeen(ctx context.Context, id string, staff bool) error {
	attr := "customerSeenAt"
	if staff {
		attr = "staffSeenAt"
	}
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &s.Table, Key: Key(ticketPK(id), skMeta),
		UpdateExpression: aws.String("SET " + attr + " = :now"), ConditionExpression: aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": S(ts(s.Clock()))}})
	if IsConditionFailed(err) {
		return panel.NotFound("ticket")
	}
	return dbErr("mark ticket seen", err)
}

// UserTickets implements panel.TicketStore.
func (s *Tickets) UserTickets(ctx context.Context, userID, status, cursor string, limit int) ([]*panel.Ticket, string, error) {
	var filter []string
	vals := map[string]types.AttributeValue{":pk": S(ticketUserPK(userID))}
	if status != "" {
		filter = append(filter, "#s = :s")
		vals[":s"] = S(status)
	}
	return s.page(ctx, "GSI2", "GSI2PK", ticketUserPK(userID), filter, vals, cursor, limit)
}

// Queue implements panel.TicketStore.
func (s *Tickets) Queue(ctx context.Context, q panel.TicketQuery) ([]*panel.Ticket, string, error) {
	var filter []string
	vals := map[string]types.AttributeValue{":pk": S(ticketQueuePK(q.Status))}
	for attr, v := range map[string]string{"category": q.Category, "priority": q.Priority, "waitingOn": q.WaitingOn} {
		if v != "" {
			filter = append(filter, attr+" = :"+attr)
			vals[":"+attr] = S(v)
		}
	}
	switch q.Assignee {
	case "":
	case "none":
		filter = append(filter, "assigneeId = :none")
		vals[":none"] = S("")
	default:
		filter = append(filter, "assigneeId = :assignee")
		vals[":assignee"] = S(q.Assignee)
	}
	return s.page(ctx, "GSI1", "GSI1PK", ticketQueuePK(q.Status), filter, vals, q.Cursor, q.Limit)
}

// page reads one page of tickets of an index partition, newest activity
// first, applying filter. DynamoDB filters after its own page limit, so
// this reads on until the page is full; the cursor is the sort key of the
// last ticket returned.
func (s *Tickets) page(ctx context.Context, index, pkAttr, pk string, filter []string,
	vals map[string]types.AttributeValue, cursor string, limit int) ([]*panel.Ticket, string, error) {
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	skAttr := strings.Replace(pkAttr, "PK", "SK", 1)
	in := &dynamodb.QueryInput{TableName: &s.Table, IndexName: aws.String(index),
		KeyConditionExpression: aws.String(pkAttr + " = :pk"), ExpressionAttributeValues: vals,
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(limit))}
	if len(filter) > 0 {
		in.FilterExpression = aws.String(strings.Join(filter, " AND "))
		if strings.Contains(*in.FilterExpression, "#s") {
			in.ExpressionAttributeNames = map[string]string{"#s": "status"}
		}
	}
	if cursor != "" {
		sk, ok := decodeCursor(cursor, "", auditTime)
		if !ok {
			return nil, "", badCursor()
		}
		_, id, _ := strings.Cut(sk, "#")
		in.ExclusiveStartKey = map[string]types.AttributeValue{"PK": S(ticketPK(id)), "SK": S(skMeta),
			pkAttr: S(pk), skAttr: S(sk)}
	}
	out := []*panel.Ticket{}
	for {
		res, err := s.DB.Query(ctx, in)
		if err != nil {
			return nil, "", dbErr("list tickets", err)
		}
		for i, av := range res.Items {
			var it ticketItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("dynamo: unmarshal ticket: %w", err)
			}
			out = append(out, it.ticket())
			if len(out) == limit {
				if i < len(res.Items)-1 || len(res.LastEvaluatedKey) > 0 {
					sk := it.GSI1SK
					if skAttr == "GSI2SK" {
						sk = it.GSI2SK
					}
					return out, encodeCursor(sk), nil
				}
				return out, "", nil
			}
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out, "", nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// CannedReplies implements panel.TicketStore.
func (s *Tickets) CannedReplies(ctx context.Context) ([]*panel.CannedReply, error) {
	out := []*panel.CannedReply{}
	p := dynamodb.NewQueryPaginator(s.DB, &dynamodb.QueryInput{TableName: &s.Table,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pkCanned)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dbErr("list canned replies", err)
		}
		for _, av := range page.Items {
			var it cannedItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, fmt.Errorf("dynamo: unmarshal canned reply: %w", err)
			}
			out = append(out, &panel.CannedReply{ID: it.ID, Title: it.Title, Body: it.Body, UpdatedAt: parseTS(it.UpdatedAt)})
		}
	}
	return out, nil
}

// PutCannedReply implements panel.TicketStore.
func (s *Tickets) PutCannedReply(ctx context.Context, r *panel.CannedReply) error {
	av, err := attributevalue.MarshalMap(cannedItem{PK: pkCanned, SK: skCanned + r.ID, ID: r.ID, Title: r.Title,
		Body: r.Body, UpdatedAt: ts(r.UpdatedAt)})
	if err != nil {
		return fmt.Errorf("dynamo: marshal canned reply: %w", err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: av})
	return dbErr("put canned reply", err)
}

// DeleteCannedReply implements panel.TicketStore.
func (s *Tickets) DeleteCannedReply(ctx context.Context, id string) error {
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Table, Key: Key(pkCanned, skCanned+id),
		ConditionExpression: aws.String("attribute_exists(PK)")})
	if IsConditionFailed(err) {
		return panel.NotFound("canned reply")
	}
	return dbErr("delete canned reply", err)
}
