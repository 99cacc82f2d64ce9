package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math/big"
	mrand "math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Ledger is billing's storage. Items (all in the one table):
//
//	USER#<uid> / BALANCE            balanceMinor, currency, version
//	USER#<uid> / LEDGER#<ts>#<id>   one ledger entry
//	USER#<uid> / STMT#<yyyy-mm>     month totals (creditsMinor, chargesMinor, <type>Minor); GSI2 by month
//	USER#<uid> / ORDER#<key>        POST /api/servers idempotency record
//	IDEM#<key> / IDEM               idempotency record of a money movement
//	TOPUP#<id> / META               a PayPal top-up; PPORDER#<orderId> / META points to it
//	PRICES / PKG#<id>               a package's price
//	SERVER#<id> / BILLING           a billed server; GSI1 by user, GSI2 (sparse) while active
//	PPEVENT#<id> / META             a raw PayPal webhook event
//
// Every money movement is one TransactWriteItems: the idempotency record
// (attribute_not_exists), the entry, the balance (version check), the month
// totals and whatever state the movement changes (top-up, server). The
// hourly charges are the exception: the server's billing cursor, moved in
// the same transaction on the condition that it still points at the hour,
// is their idempotency record (see ChargeHours).
type Ledger struct {
	Store
	// Calls counts DynamoDB requests, for benchmarks.
	Calls atomic.Int64
}

var _ panel.LedgerStore = (*Ledger)(nil)

// NewLedger returns the billing store.
func NewLedger(s Store) *Ledger { return &Ledger{Store: s} }

const (
	billBalanceSK    = skBalance
	billLedgerPrefix = skLedger
	billStmtPrefix   = skStmt
	billTS           = "2006-01-02T15:04:05.000000000Z"
	billMaxAttempts  = 12
)

func billUserPK(id string) string  { return pkUser + id }
func billIdemPK(key string) string { return pkIdem + key }

func billLedgerSK(at time.Time, id string) string {
	return billLedgerPrefix + at.UTC().Format(billTS) + "#" + id
}

// NewLedgerID returns a time-ordered random id with a prefix ("le_…").
func NewLedgerID(prefix string, at time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + strconv.FormatInt(at.UnixMilli(), 36) + hex.EncodeToString(b[:])
}

// billErr wraps a failed DynamoDB call of the ledger (see dbErr).
func billErr(op string, err error) error { return dbErr(op, err) }

// billCancelCodes returns the cancellation reason codes of a cancelled
// transaction, in request order, or nil for any other error.
func billCancelCodes(err error) []string {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil
	}
	out := make([]string, len(tce.CancellationReasons))
	for i, r := range tce.CancellationReasons {
		out[i] = aws.ToString(r.Code)
	}
	return out
}

// billRetryable reports a transient conflict worth retrying at once.
func billRetryable(err error) bool {
	for _, c := range billCancelCodes(err) {
		if c == "TransactionConflict" || c == "ThrottlingError" || c == "ProvisionedThroughputExceeded" {
			return true
		}
	}
	var tip *types.TransactionInProgressException
	return errors.As(err, &tip)
}

func billBackoff(ctx context.Context, attempt int) error {
	d := time.Duration(1+mrand.IntN(5*(attempt+1))) * time.Millisecond
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

type billBalanceItem struct {
	BalanceMinor int64  `dynamodbav:"balanceMinor"`
	Currency     string `dynamodbav:"currency"`
	Version      int64  `dynamodbav:"version"`
}

// Balance reads a wallet with a consistent read.
func (l *Ledger) Balance(ctx context.Context, userID string) (*panel.Balance, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), billBalanceSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, billErr("get balance", err)
	}
	b := &panel.Balance{UserID: userID}
	if out.Item != nil {
		var it billBalanceItem
		if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
			return nil, fmt.Errorf("dynamo: decode balance: %w", err)
		}
		b.BalanceMinor, b.Currency, b.Version = it.BalanceMinor, it.Currency, it.Version
	}
	return b, nil
}

type billEntryItem struct {
	PK                string    `dynamodbav:"PK"`
	SK                string    `dynamodbav:"SK"`
	ID                string    `dynamodbav:"id"`
	Type              string    `dynamodbav:"type"`
	AmountMinor       int64     `dynamodbav:"amountMinor"`
	BalanceAfterMinor int64     `dynamodbav:"balanceAfterMinor"`
	Currency          string    `dynamodbav:"currency"`
	Description       string    `dynamodbav:"description"`
	Ref               string    `dynamodbav:"ref"`
	Actor             string    `dynamodbav:"actor,omitempty"`
	IdemKey           string    `dynamodbav:"idemKey"`
	Version           int64     `dynamodbav:"version"`
	CreatedAt         time.Time `dynamodbav:"createdAt"`
}

func (it *billEntryItem) entry(userID string) *panel.LedgerEntry {
	return &panel.LedgerEntry{ID: it.ID, UserID: userID, Type: it.Type, AmountMinor: it.AmountMinor,
		BalanceAfterMinor: it.BalanceAfterMinor, Currency: it.Currency, Description: it.Description,
		CreatedAt: it.CreatedAt, Ref: it.Ref, Actor: it.Actor}
}

// billExtraErr is returned by post when the condition of extra item i failed.
type billExtraErr struct{ index int }

func (e billExtraErr) Error() string {
	return fmt.Sprintf("dynamo: condition of extra item %d failed", e.index)
}

// post applies p once, together with extras (whose conditions guard the
// state the movement changes). It returns applied=false and the earlier
// entry when p.IdemKey was used, and billExtraErr when an extra's condition
// failed.
func (l *Ledger) post(ctx context.Context, p panel.Posting, extras func(at time.Time) []types.TransactWriteItem) (*panel.LedgerEntry, bool, error) {
	if p.UserID == "" || p.IdemKey == "" || !panel.ValidEntryType(p.Type) {
		return nil, false, fmt.Errorf("dynamo: post: incomplete posting %+v", p)
	}
	if p.AmountMinor < -panel.MaxAmountMinor || p.AmountMinor > panel.MaxAmountMinor {
		return nil, false, panel.AmountOutOfRange("amountMinor", "An amount can be at most %d.%02d.",
			panel.MaxAmountMinor/100, panel.MaxAmountMinor%100)
	}
	bal := p.Expect
	for attempt := 0; ; attempt++ {
		read := bal == nil
		if bal == nil {
			fresh, err := l.Balance(ctx, p.UserID)
			if err != nil {
				return nil, false, err
			}
			bal = fresh
			if p.Expect != nil {
				// Keep the caller's copy current for its next posting.
				*p.Expect = *fresh
				bal = p.Expect
			}
		}
		if refusal := postRefusal(bal.BalanceMinor, p); refusal != nil {
			if !read {
				bal = nil // the caller's belief: judge by the stored balance
				continue
			}
			// A retry of a posting that was applied is answered as such,
			// whatever the balance is now.
			if e, err := l.idemReplay(ctx, p); e != nil || err != nil {
				return e, false, err
			}
			return nil, false, refusal
		}
		at := p.At
		if at.IsZero() {
			at = l.Clock()
		}
		at = at.UTC()
		cur := p.Currency
		if cur == "" {
			cur = bal.Currency
		}
		id := NewLedgerID("le_", at)
		it := billEntryItem{PK: billUserPK(p.UserID), SK: billLedgerSK(at, id), ID: id, Type: p.Type, AmountMinor: p.AmountMinor,
			BalanceAfterMinor: bal.BalanceMinor + p.AmountMinor, Currency: cur, Description: p.Description,
			Ref: p.Ref, Actor: p.Actor, IdemKey: p.IdemKey, Version: bal.Version + 1, CreatedAt: at}
		entryAV, err := attributevalue.MarshalMap(it)
		if err != nil {
			return nil, false, fmt.Errorf("dynamo: encode entry: %w", err)
		}
		idem := map[string]types.AttributeValue{"PK": S(billIdemPK(p.IdemKey)), "SK": S(skIdem), "userId": S(p.UserID),
			"entrySK": S(it.SK), "entryId": S(id), "createdAt": S(at.Format(time.RFC3339Nano))}
		if p.Fingerprint != "" {
			idem["fingerprint"] = S(p.Fingerprint)
		}
		balVals := map[string]types.AttributeValue{":b": N(it.BalanceAfterMinor), ":nv": N(it.Version),
			":c": S(cur), ":t": S(at.Format(time.RFC3339Nano))}
		balUpdate := &types.Update{TableName: &l.Table, Key: Key(billUserPK(p.UserID), billBalanceSK),
			UpdateExpression: aws.String("SET balanceMinor = :b, version = :nv, currency = :c, updatedAt = :t" +
				balanceIndex(p.UserID, it.BalanceAfterMinor, balVals)),
			ExpressionAttributeValues: balVals}
		if bal.Version == 0 {
			balUpdate.ConditionExpression = aws.String("attribute_not_exists(PK)")
		} else {
			// The rules money depends on are conditions of this write: the
			// balance before must be the one read, keep the balance after
			// within bounds, and cover what the posting requires.
			lo, hi := postBounds(p)
			balUpdate.ConditionExpression = aws.String("version = :v AND balanceMinor BETWEEN :lo AND :hi")
			balUpdate.ExpressionAttributeValues[":v"] = N(bal.Version)
			balUpdate.ExpressionAttributeValues[":lo"] = N(lo)
			balUpdate.ExpressionAttributeValues[":hi"] = N(hi)
		}
		items := []types.TransactWriteItem{
			{Put: &types.Put{TableName: &l.Table, Item: idem, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
			{Put: &types.Put{TableName: &l.Table, Item: entryAV, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
			{Update: balUpdate},
			l.stmtUpdate(p.UserID, at, p.Type, p.AmountMinor),
		}
		const fixed = 4
		nExtras := 0
		if extras != nil {
			items = append(items, extras(at)...)
			nExtras = len(items) - fixed
		}
		// Outbox items go last, so the extras keep their positions in the
		// cancellation reasons.
		for _, n := range p.Notify {
			if n.CreatedAt.IsZero() {
				n.CreatedAt = at
			}
			if v, ok := n.Data[panel.BalanceFact]; ok && v == "" {
				n.Data = maps.Clone(n.Data)
				n.Data[panel.BalanceFact] = formatMinor(it.BalanceAfterMinor) + " " + cur
			}
			w, err := OutboxPut(l.Table, n)
			if err != nil {
				return nil, false, err
			}
			items = append(items, w)
		}
		l.Calls.Add(1)
		_, err = l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			bal.BalanceMinor, bal.Version, bal.Currency = it.BalanceAfterMinor, it.Version, cur
			return it.entry(p.UserID), true, nil
		}
		codes := billCancelCodes(err)
		switch {
		case len(codes) > 0 && codes[0] == "ConditionalCheckFailed":
			e, err := l.idemReplay(ctx, p)
			return e, false, err
		case len(codes) > fixed:
			for i, c := range codes[fixed:] {
				if c != "ConditionalCheckFailed" {
					continue
				}
				if i < nExtras {
					return nil, false, billExtraErr{i}
				}
				// A message of another movement has this id: the caller
				// derived it from something other than the idempotency key.
				return nil, false, fmt.Errorf("dynamo: post %s: notification %q is queued already", p.IdemKey, p.Notify[i-nExtras].ID)
			}
		}
		if attempt >= billMaxAttempts {
			return nil, false, billErr("post "+p.IdemKey, err)
		}
		if len(codes) > 2 && codes[2] == "ConditionalCheckFailed" {
			bal = nil // someone else moved the balance: read it again
		} else if !billRetryable(err) {
			return nil, false, billErr("post "+p.IdemKey, err)
		}
		if err := billBackoff(ctx, attempt); err != nil {
			return nil, false, billErr("post "+p.IdemKey, err)
		}
	}
}

// postRefusal checks a posting against the balance it would follow: the
// balance after must stay within ±MaxBalanceMinor and the balance before
// must meet p.RequireBalanceMinor. The write repeats both as conditions.
func postRefusal(balance int64, p panel.Posting) error {
	if p.RequireBalanceMinor > 0 && balance < p.RequireBalanceMinor {
		return panel.Errorf(panel.EPAYMENTREQUIRED, "The balance does not cover this.")
	}
	if lo, hi := postBounds(p); balance < lo || balance > hi {
		return panel.AmountOutOfRange("amountMinor", "This would take the balance beyond ±%d.%02d.",
			panel.MaxBalanceMinor/100, panel.MaxBalanceMinor%100)
	}
	return nil
}

// postBounds is the range the balance before p may have: what keeps the
// balance after within bounds and meets p.RequireBalanceMinor. p's amount
// is within MaxAmountMinor, so nothing here overflows.
func postBounds(p panel.Posting) (lo, hi int64) {
	lo, hi = -panel.MaxBalanceMinor-p.AmountMinor, panel.MaxBalanceMinor-p.AmountMinor
	if p.RequireBalanceMinor > 0 {
		lo = max(lo, p.RequireBalanceMinor)
	}
	return lo, hi
}

// idemReplay returns the earlier entry of p's idempotency key (nil when
// the key is unused), or EIDEMPOTENCYMISMATCH.
func (l *Ledger) idemReplay(ctx context.Context, p panel.Posting) (*panel.LedgerEntry, error) {
	e, fp, err := l.idemEntry(ctx, p.IdemKey)
	if err == nil && p.Fingerprint != "" && fp != "" && fp != p.Fingerprint {
		return nil, panel.IdempotencyMismatch()
	}
	return e, err
}

// idemEntry returns the entry an idempotency key produced (nil when the
// key is unused or guarded a movement of nothing) and the fingerprint of
// the request that used it ("" when none was recorded).
func (l *Ledger) idemEntry(ctx context.Context, key string) (*panel.LedgerEntry, string, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billIdemPK(key), skIdem), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, "", billErr("get idempotency record", err)
	}
	var rec struct {
		UserID      string `dynamodbav:"userId"`
		EntrySK     string `dynamodbav:"entrySK"`
		Fingerprint string `dynamodbav:"fingerprint"`
	}
	if out.Item == nil {
		return nil, "", nil
	}
	if err := attributevalue.UnmarshalMap(out.Item, &rec); err != nil || rec.EntrySK == "" {
		return nil, rec.Fingerprint, nil
	}
	l.Calls.Add(1)
	eo, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billUserPK(rec.UserID), rec.EntrySK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, "", billErr("get entry", err)
	}
	if eo.Item == nil {
		return nil, rec.Fingerprint, nil
	}
	var it billEntryItem
	if err := attributevalue.UnmarshalMap(eo.Item, &it); err != nil {
		return nil, "", fmt.Errorf("dynamo: decode entry: %w", err)
	}
	return it.entry(rec.UserID), rec.Fingerprint, nil
}

// Post applies a plain posting (adjustments, order reversals) once.
func (l *Ledger) Post(ctx context.Context, p panel.Posting) (*panel.LedgerEntry, bool, error) {
	return l.post(ctx, p, nil)
}

// Entries lists a customer's entries newest first, filtered by type and
// time, a page at a time.
func (l *Ledger) Entries(ctx context.Context, userID string, f panel.EntryFilter) ([]*panel.LedgerEntry, string, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 25
	}
	lo, hi := billLedgerPrefix, "LEDGER$"
	if !f.From.IsZero() {
		lo = billLedgerPrefix + f.From.UTC().Format(billTS)
	}
	if !f.To.IsZero() {
		hi = billLedgerPrefix + f.To.UTC().Format(billTS)
	}
	in := &dynamodb.QueryInput{TableName: &l.Table, ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String("PK = :pk AND SK BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(billUserPK(userID)), ":lo": S(lo), ":hi": S(hi)}}
	if f.Type != "" {
		in.FilterExpression = aws.String("#ty = :ty")
		in.ExpressionAttributeNames = map[string]string{"#ty": "type"}
		in.ExpressionAttributeValues[":ty"] = S(f.Type)
	}
	if f.Cursor != "" {
		sk, ok := decodeCursor(f.Cursor, billLedgerPrefix, billTS)
		if !ok || sk < lo || sk > hi {
			return nil, "", badCursor()
		}
		in.ExclusiveStartKey = Key(billUserPK(userID), sk)
	}
	entries := []*panel.LedgerEntry{}
	for {
		in.Limit = aws.Int32(int32(limit - len(entries)))
		if f.Type != "" {
			in.Limit = aws.Int32(100)
		}
		l.Calls.Add(1)
		out, err := l.DB.Query(ctx, in)
		if err != nil {
			return nil, "", billErr("query ledger", err)
		}
		for _, av := range out.Items {
			var it billEntryItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("dynamo: decode entry: %w", err)
			}
			entries = append(entries, it.entry(userID))
			if len(entries) == limit {
				// Stopped inside the page: resume after this item.
				return entries, encodeCursor(it.SK), nil
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return entries, "", nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// Statements returns the month totals, oldest first, with one query.
func (l *Ledger) Statements(ctx context.Context, userID string) ([]panel.MonthTotals, error) {
	var out []panel.MonthTotals
	in := &dynamodb.QueryInput{TableName: &l.Table, KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(billUserPK(userID)), ":p": S(billStmtPrefix)}}
	err := l.queryAll(ctx, "query statements", in, func(av map[string]types.AttributeValue) error {
		sk, _ := av["SK"].(*types.AttributeValueMemberS)
		if sk == nil {
			return fmt.Errorf("dynamo: decode statement: no SK")
		}
		// Totals are DynamoDB numbers (38 digits): a total that outgrew an
		// int64 (it took a bug to get there) is read saturated, not refused,
		// so statements keep working whatever is stored.
		out = append(out, panel.MonthTotals{Month: sk.Value[len(billStmtPrefix):],
			CreditsMinor: saturatedN(av["creditsMinor"]), ChargesMinor: saturatedN(av["chargesMinor"])})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// saturatedN reads a number attribute as an int64, clamping what does not
// fit to the nearest int64; anything else (missing, not a number) is 0.
func saturatedN(av types.AttributeValue) int64 {
	n, ok := av.(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	if v, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
		return v
	}
	f, _, err := big.ParseFloat(n.Value, 10, 0, big.ToZero)
	if err != nil {
		return 0
	}
	v, _ := f.Int64() // truncated; saturated at math.MinInt64 / math.MaxInt64
	return v
}

// getItem reads one item with a consistent read into out; ENOTFOUND
// (naming what) when there is none.
func (l *Ledger) getItem(ctx context.Context, pk, sk, what string, out any) error {
	l.Calls.Add(1)
	res, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return billErr("get "+what, err)
	}
	if res.Item == nil {
		return panel.NotFound(what)
	}
	if err := attributevalue.UnmarshalMap(res.Item, out); err != nil {
		return fmt.Errorf("dynamo: decode %s: %w", what, err)
	}
	return nil
}

// queryAll runs in page after page and hands each item to each.
func (l *Ledger) queryAll(ctx context.Context, op string, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	for {
		l.Calls.Add(1)
		res, err := l.DB.Query(ctx, in)
		if err != nil {
			return billErr(op, err)
		}
		for _, av := range res.Items {
			if err := each(av); err != nil {
				return err
			}
		}
		if len(res.LastEvaluatedKey) == 0 {
			return nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// billMarshal is attributevalue.MarshalMap for items that cannot fail.
func billMarshal(v any) map[string]types.AttributeValue {
	av, err := attributevalue.MarshalMap(v)
	if err != nil {
		panic(fmt.Sprintf("dynamo: billMarshal %T: %v", v, err))
	}
	return av
}

// formatMinor formats minor units with two decimals, as config.FormatMoney.
func formatMinor(minor int64) string {
	sign, u := "", uint64(minor)
	if minor < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
