package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// billShards spreads active servers over several GSI2 partitions, so the
// hourly run reads them in parallel and no partition gets hot.
const billShards = 8

type billedItem struct {
	PK              string `dynamodbav:"PK"`
	SK              string `dynamodbav:"SK"`
	GSI1PK          string `dynamodbav:"GSI1PK"`
	GSI1SK          string `dynamodbav:"GSI1SK"`
	GSI2PK          string `dynamodbav:"GSI2PK,omitempty"`
	GSI2SK          string `dynamodbav:"GSI2SK,omitempty"`
	ServerID        int64  `dynamodbav:"serverId"`
	UserID          string `dynamodbav:"userId"`
	VFUserID        int64  `dynamodbav:"vfUserId"`
	Name            string `dynamodbav:"name"`
	PackageID       int64  `dynamodbav:"packageId"`
	HourlyMinor     int64  `dynamodbav:"hourlyMinor"`
	MonthlyCapMinor int64  `dynamodbav:"monthlyCapMinor"`
	Currency        string `dynamodbav:"currency"`
	ActiveSince     int64  `dynamodbav:"activeSince"`   // unix seconds
	BilledThrough   int64  `dynamodbav:"billedThrough"` // unix seconds
	CapMonth        string `dynamodbav:"capMonth"`
	CapChargedMinor int64  `dynamodbav:"capChargedMinor"`
	Status          string `dynamodbav:"status"`
	StoppedAt       int64  `dynamodbav:"stoppedAt"`
	StopReason      string `dynamodbav:"stopReason"`
	Suspended       bool   `dynamodbav:"suspended"`
	CreatedAt       int64  `dynamodbav:"createdAt"`
}

const billedSK = "BILLING"

func billedPK(id int64) string { return "SERVER#" + strconv.FormatInt(id, 10) }

func billedShard(id int64) string { return "BILLING#ACTIVE#" + strconv.FormatInt(id%billShards, 10) }

func billUnix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func billTime(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

func (it *billedItem) server() *panel.BilledServer {
	return &panel.BilledServer{ServerID: it.ServerID, UserID: it.UserID, VFUserID: it.VFUserID, Name: it.Name,
		PackageID: it.PackageID, HourlyMinor: it.HourlyMinor, MonthlyCapMinor: it.MonthlyCapMinor, Currency: it.Currency,
		ActiveSince: billTime(it.ActiveSince), BilledThrough: billTime(it.BilledThrough), CapMonth: it.CapMonth,
		CapChargedMinor: it.CapChargedMinor, Status: it.Status, StoppedAt: billTime(it.StoppedAt),
		StopReason: it.StopReason, Suspended: it.Suspended, CreatedAt: billTime(it.CreatedAt)}
}

func billDecodeServer(av map[string]types.AttributeValue) (*panel.BilledServer, error) {
	var it billedItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return nil, fmt.Errorf("dynamo: decode billed server: %w", err)
	}
	return it.server(), nil
}

// ChargeKey is the idempotency key of one server-hour.
func ChargeKey(serverID int64, hourStart time.Time) string {
	return "CHARGE#" + strconv.FormatInt(serverID, 10) + "#" + hourStart.UTC().Format(time.RFC3339)
}

// StartServer stores the billed server and charges its first hour.
func (l *Ledger) StartServer(ctx context.Context, s *panel.BilledServer, first panel.HourCharge, p panel.Posting) (*panel.LedgerEntry, error) {
	it := billedItem{PK: billedPK(s.ServerID), SK: billedSK,
		GSI1PK: "USERSERVERS#" + s.UserID, GSI1SK: fmt.Sprintf("%019d", s.ServerID),
		GSI2PK: billedShard(s.ServerID), GSI2SK: s.UserID + "#" + strconv.FormatInt(s.ServerID, 10),
		ServerID: s.ServerID, UserID: s.UserID, VFUserID: s.VFUserID, Name: s.Name, PackageID: s.PackageID,
		HourlyMinor: s.HourlyMinor, MonthlyCapMinor: s.MonthlyCapMinor, Currency: s.Currency,
		ActiveSince: s.ActiveSince.Unix(), BilledThrough: first.HourStart.Add(time.Hour).Unix(),
		CapMonth: first.CapMonth, CapChargedMinor: first.CapCharged, Status: panel.BilledActive, CreatedAt: s.ActiveSince.Unix()}
	p.IdemKey = ChargeKey(s.ServerID, first.HourStart)
	e, applied, err := l.post(ctx, p, func(time.Time) []types.TransactWriteItem {
		return []types.TransactWriteItem{{Put: &types.Put{TableName: &l.Table, Item: billMarshal(it),
			ConditionExpression: aws.String("attribute_not_exists(PK)")}}}
	})
	var ex billExtraErr
	if errors.As(err, &ex) || (err == nil && !applied) {
		return nil, panel.Errorf(panel.ECONFLICT, "Server %d is billed already.", s.ServerID)
	}
	if err != nil {
		return nil, err
	}
	*s = *it.server()
	return e, nil
}

// ChargeHour charges one hour and moves the server's cursor on, once.
func (l *Ledger) ChargeHour(ctx context.Context, s *panel.BilledServer, c panel.HourCharge, p panel.Posting) (*panel.LedgerEntry, bool, error) {
	next := c.HourStart.Add(time.Hour)
	upd := &types.Update{TableName: &l.Table, Key: Key(billedPK(s.ServerID), billedSK),
		UpdateExpression:         aws.String("SET billedThrough = :next, capMonth = :cm, capChargedMinor = :cc"),
		ConditionExpression:      aws.String("billedThrough = :cur AND #st = :active"),
		ExpressionAttributeNames: map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":next": N(next.Unix()), ":cm": S(c.CapMonth),
			":cc": N(c.CapCharged), ":cur": N(c.HourStart.Unix()), ":active": S(panel.BilledActive)}}
	var e *panel.LedgerEntry
	applied := false
	var err error
	if c.AmountMinor == 0 {
		// Capped: nothing to post, only the cursor moves.
		l.Calls.Add(1)
		_, err = l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: upd.TableName, Key: upd.Key,
			UpdateExpression: upd.UpdateExpression, ConditionExpression: upd.ConditionExpression,
			ExpressionAttributeNames: upd.ExpressionAttributeNames, ExpressionAttributeValues: upd.ExpressionAttributeValues})
		if IsConditionFailed(err) {
			return nil, false, panel.Errorf(panel.ECONFLICT, "Server %d changed while it was charged.", s.ServerID)
		}
		if err != nil {
			return nil, false, billErr("advance billed server", err)
		}
		applied = true
	} else {
		p.IdemKey = ChargeKey(s.ServerID, c.HourStart)
		e, applied, err = l.post(ctx, p, func(time.Time) []types.TransactWriteItem {
			return []types.TransactWriteItem{{Update: upd}}
		})
		var ex billExtraErr
		if errors.As(err, &ex) {
			return nil, false, panel.Errorf(panel.ECONFLICT, "Server %d changed while it was charged.", s.ServerID)
		}
		if err != nil {
			return nil, false, err
		}
	}
	if applied {
		s.BilledThrough, s.CapMonth, s.CapChargedMinor = next, c.CapMonth, c.CapCharged
	}
	return e, applied, nil
}

// BilledServer returns one server's billing state.
func (l *Ledger) BilledServer(ctx context.Context, id int64) (*panel.BilledServer, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billedPK(id), billedSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, billErr("get billed server", err)
	}
	if out.Item == nil {
		return nil, panel.NotFound("server")
	}
	return billDecodeServer(out.Item)
}

// ActiveServers reads every shard of the active-server index in parallel.
func (l *Ledger) ActiveServers(ctx context.Context) ([]*panel.BilledServer, error) {
	var (
		mu   sync.Mutex
		all  []*panel.BilledServer
		errs []error
		wg   sync.WaitGroup
	)
	for shard := range billShards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := l.queryServers(ctx, "GSI2", "GSI2PK", billedShard(int64(shard)))
			mu.Lock()
			defer mu.Unlock()
			all = append(all, got...)
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return all, nil
}

// UserServers lists a customer's billed servers through GSI1.
func (l *Ledger) UserServers(ctx context.Context, userID string) ([]*panel.BilledServer, error) {
	return l.queryServers(ctx, "GSI1", "GSI1PK", "USERSERVERS#"+userID)
}

func (l *Ledger) queryServers(ctx context.Context, index, attr, pk string) ([]*panel.BilledServer, error) {
	in := &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String(index),
		KeyConditionExpression:    aws.String(attr + " = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pk)}}
	var out []*panel.BilledServer
	for {
		l.Calls.Add(1)
		res, err := l.DB.Query(ctx, in)
		if err != nil {
			return nil, billErr("query billed servers", err)
		}
		for _, av := range res.Items {
			s, err := billDecodeServer(av)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// StopServer stops billing and takes the server out of the active index.
func (l *Ledger) StopServer(ctx context.Context, id int64, at time.Time, reason string) (*panel.BilledServer, bool, error) {
	l.Calls.Add(1)
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
		UpdateExpression:         aws.String("SET #st = :stopped, stoppedAt = :t, stopReason = :r REMOVE GSI2PK, GSI2SK"),
		ConditionExpression:      aws.String("#st = :active"),
		ExpressionAttributeNames: map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":stopped": S(panel.BilledStopped), ":t": N(at.Unix()),
			":r": S(reason), ":active": S(panel.BilledActive)},
		ReturnValues: types.ReturnValueAllNew})
	if IsConditionFailed(err) {
		s, err := l.BilledServer(ctx, id)
		return s, false, err
	}
	if err != nil {
		return nil, false, billErr("stop billed server", err)
	}
	s, err := billDecodeServer(out.Attributes)
	return s, true, err
}

// SetSuspended records whether billing suspended the server.
func (l *Ledger) SetSuspended(ctx context.Context, id int64, suspended bool) error {
	l.Calls.Add(1)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
		UpdateExpression:          aws.String("SET suspended = :s"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberBOOL{Value: suspended}}})
	if IsConditionFailed(err) {
		return panel.NotFound("server")
	}
	return billErr("set suspended", err)
}

// ImportServers writes billed servers as they are, with BatchWriteItem and
// no charge: for migrating existing customers (and for benchmarks).
func (l *Ledger) ImportServers(ctx context.Context, servers []*panel.BilledServer) error {
	var reqs []types.WriteRequest
	flush := func() error {
		for len(reqs) > 0 {
			l.Calls.Add(1)
			out, err := l.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{l.Table: reqs}})
			if err != nil {
				return billErr("import servers", err)
			}
			reqs = out.UnprocessedItems[l.Table]
		}
		return nil
	}
	for _, s := range servers {
		it := billedItem{PK: billedPK(s.ServerID), SK: billedSK,
			GSI1PK: "USERSERVERS#" + s.UserID, GSI1SK: fmt.Sprintf("%019d", s.ServerID),
			ServerID: s.ServerID, UserID: s.UserID, VFUserID: s.VFUserID, Name: s.Name, PackageID: s.PackageID,
			HourlyMinor: s.HourlyMinor, MonthlyCapMinor: s.MonthlyCapMinor, Currency: s.Currency,
			ActiveSince: billUnix(s.ActiveSince), BilledThrough: billUnix(s.BilledThrough), CapMonth: s.CapMonth,
			CapChargedMinor: s.CapChargedMinor, Status: s.Status, CreatedAt: billUnix(s.ActiveSince)}
		if it.Status == "" {
			it.Status = panel.BilledActive
		}
		if it.Status == panel.BilledActive {
			it.GSI2PK, it.GSI2SK = billedShard(s.ServerID), s.UserID+"#"+strconv.FormatInt(s.ServerID, 10)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: billMarshal(it)}})
		if len(reqs) == 25 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
