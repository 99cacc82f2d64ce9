package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	// Package changes and add-ons (billing_changes.go). Rev counts their
	// writes; a charge is conditioned on the rev it priced the hours by.
	Rev               int64       `dynamodbav:"rev,omitempty"`
	PriceFrom         int64       `dynamodbav:"priceFrom,omitempty"`
	PrevHourlyMinor   int64       `dynamodbav:"prevHourlyMinor,omitempty"`
	PrevCapMinor      int64       `dynamodbav:"prevCapMinor,omitempty"`
	Resize            *resizeItem `dynamodbav:"resize,omitempty"`
	BackupPlanID      int64       `dynamodbav:"backupPlanId,omitempty"`
	BackupHourlyMinor int64       `dynamodbav:"backupHourlyMinor,omitempty"`
	IPv4Count         int64       `dynamodbav:"ipv4Count,omitempty"`
	IPv4Extra         []string    `dynamodbav:"ipv4Extra,omitempty"`
	IPv4HourlyMinor   int64       `dynamodbav:"ipv4HourlyMinor,omitempty"`
	// The add-ons before addonsFrom (billing_changes.go addonUpdate).
	AddonsFrom            int64 `dynamodbav:"addonsFrom,omitempty"`
	PrevBackupPlanID      int64 `dynamodbav:"prevBackupPlanId,omitempty"`
	PrevBackupHourlyMinor int64 `dynamodbav:"prevBackupHourlyMinor,omitempty"`
	PrevIPv4Count         int64 `dynamodbav:"prevIPv4Count,omitempty"`
	PrevIPv4HourlyMinor   int64 `dynamodbav:"prevIPv4HourlyMinor,omitempty"`
}

const billedSK = skBilling

func billedPK(id int64) string { return pkServer + strconv.FormatInt(id, 10) }

func billedShard(id int64) string { return gsi2BillingActive + strconv.FormatInt(id%billShards, 10) }

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
		StopReason: it.StopReason, Suspended: it.Suspended, CreatedAt: billTime(it.CreatedAt),
		Rev: it.Rev, PriceFrom: billTime(it.PriceFrom), PrevHourlyMinor: it.PrevHourlyMinor, PrevCapMinor: it.PrevCapMinor,
		Resize: it.Resize.pending(), BackupPlanID: it.BackupPlanID, BackupHourlyMinor: it.BackupHourlyMinor,
		IPv4Count: it.IPv4Count, IPv4Extra: it.IPv4Extra, IPv4HourlyMinor: it.IPv4HourlyMinor,
		AddonsFrom: billTime(it.AddonsFrom), PrevBackupPlanID: it.PrevBackupPlanID, PrevBackupHourlyMinor: it.PrevBackupHourlyMinor,
		PrevIPv4Count: it.PrevIPv4Count, PrevIPv4HourlyMinor: it.PrevIPv4HourlyMinor}
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
	return idemCharge + strconv.FormatInt(serverID, 10) + "#" + hourStart.UTC().Format(time.RFC3339)
}

// StartServer stores the billed server and charges its first hour.
func (l *Ledger) StartServer(ctx context.Context, s *panel.BilledServer, first panel.HourCharge, p panel.Posting) (*panel.LedgerEntry, error) {
	it := billedItem{PK: billedPK(s.ServerID), SK: billedSK,
		GSI1PK: gsi1UserServers + s.UserID, GSI1SK: fmt.Sprintf("%019d", s.ServerID),
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

// billMaxActions is DynamoDB's limit of actions in one transaction.
const billMaxActions = 100

// billSegment is a run of one server's hours written in one transaction.
type billSegment struct {
	c        *panel.ServerCharge
	from, to int // Hours[from:to]
	seq      int // entries in the segments before it
}

// ChargeHours writes the charges in transactions of up to billMaxActions
// actions: per customer in it the balance (version-checked) and the month
// totals, per server its cursor, conditioned on the cursor it expects and
// on being active (what makes a server-hour chargeable once, and never
// after the server stopped), and the entries of its hours. A server with
// more hours than fit is split across transactions, written in order.
func (l *Ledger) ChargeHours(ctx context.Context, bals map[string]*panel.Balance, charges []panel.ServerCharge) error {
	charged := make([]string, len(charges))
	for i, c := range charges {
		charged[i] = c.Server.UserID
	}
	if err := l.readBalances(ctx, bals, charged); err != nil {
		return err
	}
	var (
		chunk []billSegment
		n     int             // actions in chunk
		users map[string]bool // customers in chunk
		seq   int
	)
	for i := range charges {
		c := &charges[i]
		for from := 0; from < len(c.Hours); {
			need := 1 + max(1, len(hourPostings(c, from))) // the cursor and the hour's entries
			if !users[c.Server.UserID] {
				need += 2 // the balance and the month totals
			}
			if chunk == nil || n+need > billMaxActions {
				if err := l.chargeChunk(ctx, bals, chunk); err != nil {
					return err
				}
				chunk, n, users = nil, 0, map[string]bool{}
			}
			if !users[c.Server.UserID] {
				users[c.Server.UserID] = true
				n += 2
			}
			n++ // the cursor
			to, first := from, seq
			for to < len(c.Hours) {
				k := len(hourPostings(c, to))
				if k > 0 && n+k > billMaxActions {
					break
				}
				n += k
				seq += k
				to++
			}
			chunk = append(chunk, billSegment{c, from, to, first})
			from = to
		}
	}
	return l.chargeChunk(ctx, bals, chunk)
}

// Balances implements panel.LedgerStore: the wallets of userIDs, a
// hundred to a BatchGetItem.
func (l *Ledger) Balances(ctx context.Context, userIDs []string) (map[string]*panel.Balance, error) {
	bals := map[string]*panel.Balance{}
	if err := l.readBalances(ctx, bals, userIDs); err != nil {
		return nil, err
	}
	return bals, nil
}

// readBalances adds the balances of users missing from bals, a hundred to
// a BatchGetItem.
func (l *Ledger) readBalances(ctx context.Context, bals map[string]*panel.Balance, users []string) error {
	var keys []map[string]types.AttributeValue
	for _, u := range users {
		if bals[u] == nil {
			bals[u] = &panel.Balance{UserID: u} // no item: a new wallet
			keys = append(keys, Key(billUserPK(u), billBalanceSK))
		}
	}
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 100)]
		keys = keys[len(batch):]
		for len(batch) > 0 {
			l.Calls.Add(1)
			out, err := l.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
				l.Table: {Keys: batch, ConsistentRead: aws.Bool(true)}}})
			if err != nil {
				return billErr("get balances", err)
			}
			for _, av := range out.Responses[l.Table] {
				var it struct {
					PK string `dynamodbav:"PK"`
					billBalanceItem
				}
				if err := attributevalue.UnmarshalMap(av, &it); err != nil {
					return fmt.Errorf("dynamo: decode balance: %w", err)
				}
				b := bals[strings.TrimPrefix(it.PK, pkUser)]
				b.BalanceMinor, b.Currency, b.Version = it.BalanceMinor, it.Currency, it.Version
			}
			batch = out.UnprocessedKeys[l.Table].Keys
			if len(batch) > 0 {
				if err := billBackoff(ctx, 0); err != nil {
					return billErr("get balances", err)
				}
			}
		}
	}
	return nil
}

// chargeChunk writes one transaction of ChargeHours, retrying transient
// conflicts and balances moved by someone else meanwhile.
func (l *Ledger) chargeChunk(ctx context.Context, bals map[string]*panel.Balance, chunk []billSegment) error {
	if len(chunk) == 0 {
		return nil
	}
	for attempt := 0; ; attempt++ {
		items, balOf, after, err := l.chargeItems(bals, chunk)
		if err != nil {
			return err
		}
		l.Calls.Add(1)
		_, err = l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			for u, b := range after {
				*bals[u] = b
			}
			for _, sg := range chunk {
				last := sg.c.Hours[sg.to-1]
				sg.c.Server.BilledThrough = last.HourStart.Add(time.Hour)
				sg.c.Server.CapMonth, sg.c.Server.CapChargedMinor = last.CapMonth, last.CapCharged
			}
			return nil
		}
		var moved []string
		for i, code := range billCancelCodes(err) {
			if code != "ConditionalCheckFailed" {
				continue
			}
			if i >= len(balOf) {
				return panel.Errorf(panel.ECONFLICT, "Server %d changed while it was charged.", chunk[0].c.Server.ServerID)
			}
			moved = append(moved, balOf[i])
		}
		if attempt >= billMaxAttempts || (len(moved) == 0 && !billRetryable(err)) {
			return billErr("charge hours", err)
		}
		for _, u := range moved {
			fresh, err := l.Balance(ctx, u)
			if err != nil {
				return err
			}
			*bals[u] = *fresh
		}
		if err := billBackoff(ctx, attempt); err != nil {
			return billErr("charge hours", err)
		}
	}
}

// chargeItems builds the transaction of chunk and returns it, the customer
// whose balance each of its first items is, and the balances it leaves.
func (l *Ledger) chargeItems(bals map[string]*panel.Balance, chunk []billSegment) ([]types.TransactWriteItem, []string, map[string]panel.Balance, error) {
	var (
		users           []string
		after           = map[string]panel.Balance{}
		at              = map[string]time.Time{}
		entries, cursor []types.TransactWriteItem
	)
	for _, sg := range chunk {
		s, seq := sg.c.Server, sg.seq
		for h := sg.from; h < sg.to; h++ {
			for _, p := range hourPostings(sg.c, h) {
				b, ok := after[s.UserID]
				if !ok {
					b = *bals[s.UserID]
					users = append(users, s.UserID)
				}
				if b.Currency == "" {
					b.Currency = p.Currency
				}
				b.BalanceMinor += p.AmountMinor
				b.Version++
				after[s.UserID] = b
				t := p.At.UTC()
				if t.IsZero() {
					t = l.Clock().UTC()
				}
				// Entries of one call are a nanosecond apart, so the ledger
				// lists them in the order their balances follow.
				t = t.Add(time.Duration(seq))
				seq++
				at[s.UserID] = t
				id := NewLedgerID("le_", t)
				// An add-on line's key is the hour's plus its kind.
				av, err := attributevalue.MarshalMap(billEntryItem{PK: billUserPK(s.UserID), SK: billLedgerSK(t, id), ID: id,
					Type: p.Type, AmountMinor: p.AmountMinor, BalanceAfterMinor: b.BalanceMinor, Currency: p.Currency,
					Description: p.Description, Ref: p.Ref, IdemKey: ChargeKey(s.ServerID, sg.c.Hours[h].HourStart) + p.IdemKey,
					Version: b.Version, CreatedAt: t})
				if err != nil {
					return nil, nil, nil, fmt.Errorf("dynamo: encode entry: %w", err)
				}
				entries = append(entries, types.TransactWriteItem{Put: &types.Put{TableName: &l.Table, Item: av}})
			}
		}
		last := sg.c.Hours[sg.to-1]
		cursor = append(cursor, types.TransactWriteItem{Update: &types.Update{TableName: &l.Table, Key: Key(billedPK(s.ServerID), billedSK),
			UpdateExpression:         aws.String("SET billedThrough = :next, capMonth = :cm, capChargedMinor = :cc"),
			ConditionExpression:      aws.String("billedThrough = :cur AND #st = :active AND " + revCondition(s.Rev)),
			ExpressionAttributeNames: map[string]string{"#st": "status"},
			ExpressionAttributeValues: revValue(s.Rev, map[string]types.AttributeValue{":next": N(last.HourStart.Add(time.Hour).Unix()),
				":cm": S(last.CapMonth), ":cc": N(last.CapCharged), ":cur": N(sg.c.Hours[sg.from].HourStart.Unix()),
				":active": S(panel.BilledActive)})}})
	}
	// Balances first, so a cancellation reason's index tells a moved
	// balance from a changed server; then the month totals.
	var items, totals []types.TransactWriteItem
	for _, u := range users {
		before, b, t := bals[u], after[u], at[u]
		if b.BalanceMinor < -panel.MaxBalanceMinor {
			return nil, nil, nil, panel.AmountOutOfRange("", "Charging customer %s would take the balance below -%d.%02d.",
				u, panel.MaxBalanceMinor/100, panel.MaxBalanceMinor%100)
		}
		vals := map[string]types.AttributeValue{":b": N(b.BalanceMinor), ":nv": N(b.Version),
			":c": S(b.Currency), ":t": S(t.Format(time.RFC3339Nano))}
		upd := &types.Update{TableName: &l.Table, Key: Key(billUserPK(u), billBalanceSK),
			UpdateExpression:          aws.String("SET balanceMinor = :b, version = :nv, currency = :c, updatedAt = :t" + balanceIndex(u, b.BalanceMinor, vals)),
			ExpressionAttributeValues: vals}
		if before.Version == 0 {
			upd.ConditionExpression = aws.String("attribute_not_exists(PK)")
		} else {
			// The balance after stays within bounds (as in post).
			upd.ConditionExpression = aws.String("version = :v AND balanceMinor >= :lo")
			upd.ExpressionAttributeValues[":v"] = N(before.Version)
			upd.ExpressionAttributeValues[":lo"] = N(-panel.MaxBalanceMinor + before.BalanceMinor - b.BalanceMinor)
		}
		items = append(items, types.TransactWriteItem{Update: upd})
		totals = append(totals, l.stmtUpdate(u, t, panel.EntryCharge, b.BalanceMinor-before.BalanceMinor))
	}
	items = append(append(append(items, totals...), entries...), cursor...)
	return items, users, after, nil
}

// BilledServer returns one server's billing state.
func (l *Ledger) BilledServer(ctx context.Context, id int64) (*panel.BilledServer, error) {
	var it billedItem
	if err := l.getItem(ctx, billedPK(id), billedSK, "server", &it); err != nil {
		return nil, err
	}
	return it.server(), nil
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
	return l.queryServers(ctx, "GSI1", "GSI1PK", gsi1UserServers+userID)
}

func (l *Ledger) queryServers(ctx context.Context, index, attr, pk string) ([]*panel.BilledServer, error) {
	in := &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String(index),
		KeyConditionExpression:    aws.String(attr + " = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pk)}}
	var out []*panel.BilledServer
	err := l.queryAll(ctx, "query billed servers", in, func(av map[string]types.AttributeValue) error {
		s, err := billDecodeServer(av)
		if err == nil {
			out = append(out, s)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StopServer stops billing and takes the server out of the active index.
func (l *Ledger) StopServer(ctx context.Context, id int64, at time.Time, reason string) (*panel.BilledServer, bool, error) {
	return l.StopServerWith(ctx, id, at, reason, nil)
}

// StopServerWith is StopServer that queues notify in the same write when it
// stops the server. A message queued before (by whatever stopped it first)
// is not queued again.
func (l *Ledger) StopServerWith(ctx context.Context, id int64, at time.Time, reason string, notify []panel.Notification) (*panel.BilledServer, bool, error) {
	if len(notify) > 0 {
		items := []types.TransactWriteItem{{Update: &types.Update{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
			UpdateExpression:         aws.String("SET #st = :stopped, stoppedAt = :t, stopReason = :r REMOVE GSI2PK, GSI2SK"),
			ConditionExpression:      aws.String("#st = :active"),
			ExpressionAttributeNames: map[string]string{"#st": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":stopped": S(panel.BilledStopped), ":t": N(at.Unix()),
				":r": S(reason), ":active": S(panel.BilledActive)}}}}
		for _, n := range notify {
			w, err := OutboxPut(l.Table, n)
			if err != nil {
				return nil, false, err
			}
			items = append(items, w)
		}
		l.Calls.Add(1)
		_, err := l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		codes := billCancelCodes(err)
		switch {
		case err == nil:
			s, err := l.BilledServer(ctx, id)
			return s, true, err
		case len(codes) > 0 && codes[0] == "ConditionalCheckFailed":
			s, err := l.BilledServer(ctx, id) // stopped already (or unknown)
			return s, false, err
		case !IsConditionFailed(err):
			return nil, false, billErr("stop billed server", err)
		}
		// Only a message was queued before: stop without it.
	}
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
			GSI1PK: gsi1UserServers + s.UserID, GSI1SK: fmt.Sprintf("%019d", s.ServerID),
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

// ServerCharges sums a server's charges since a time (a consistent query
// of its owner's ledger from then on, filtered by the server's ref).
func (l *Ledger) ServerCharges(ctx context.Context, userID string, serverID int64, since time.Time) (int64, error) {
	in := &dynamodb.QueryInput{TableName: &l.Table, ConsistentRead: aws.Bool(true),
		KeyConditionExpression:   aws.String("PK = :pk AND SK BETWEEN :lo AND :hi"),
		FilterExpression:         aws.String("#ty = :charge AND #ref = :ref"),
		ExpressionAttributeNames: map[string]string{"#ty": "type", "#ref": "ref"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(billUserPK(userID)),
			":lo": S(billLedgerPrefix + since.UTC().Format(billTS)), ":hi": S("LEDGER$"),
			":charge": S(panel.EntryCharge), ":ref": S("server:" + strconv.FormatInt(serverID, 10))}}
	total := int64(0)
	err := l.queryAll(ctx, "query server charges", in, func(av map[string]types.AttributeValue) error {
		total -= saturatedN(av["amountMinor"])
		return nil
	})
	return total, err
}

var _ panel.UnbilledServers = (*Ledger)(nil)

// Unbilled reports whether billing knows the server and has stopped
// billing it.
func (l *Ledger) Unbilled(ctx context.Context, serverID int64) (bool, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billedPK(serverID), billedSK),
		ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("#st"), ExpressionAttributeNames: map[string]string{"#st": "status"}})
	if err != nil {
		return false, billErr("get billed server", err)
	}
	st, ok := out.Item["status"].(*types.AttributeValueMemberS)
	return ok && st.Value != panel.BilledActive, nil
}
