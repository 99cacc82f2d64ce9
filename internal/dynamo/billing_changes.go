package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Package changes and add-ons of billed servers, and the add-on price book:
//
//	SERVER#<id> / BILLING     resize (the pending change), priceFrom, prev*,
//	                          backupPlanId, ipv4Count, ipv4Extra, …, rev
//	PRICES / BACKUPPLAN#<id>  a backup plan's hourly price
//	PRICES / IPV4             the extra IPv4 price and per-server maximum
//
// Every write here adds 1 to the server's rev; the hourly charge is
// conditioned on the rev it priced its hours by, so an hour is never
// charged at a price that changed under it.

var _ panel.ServerChangeStore = (*Ledger)(nil)

type resizeItem struct {
	Key             string `dynamodbav:"key"`
	FromPackageID   int64  `dynamodbav:"fromPackageId"`
	PackageID       int64  `dynamodbav:"packageId"`
	HourlyMinor     int64  `dynamodbav:"hourlyMinor"`
	MonthlyCapMinor int64  `dynamodbav:"monthlyCapMinor"`
	ChargedMinor    int64  `dynamodbav:"chargedMinor"`
	At              int64  `dynamodbav:"at"`
}

func (r *resizeItem) pending() *panel.PendingResize {
	if r == nil {
		return nil
	}
	return &panel.PendingResize{Key: r.Key, FromPackageID: r.FromPackageID, PackageID: r.PackageID, HourlyMinor: r.HourlyMinor,
		MonthlyCapMinor: r.MonthlyCapMinor, ChargedMinor: r.ChargedMinor, At: billTime(r.At)}
}

// revCondition is the charge's condition on the rev it read.
func revCondition(rev int64) string {
	if rev == 0 {
		return "attribute_not_exists(rev)"
	}
	return "rev = :rev"
}

// revValue adds :rev to vals when revCondition uses it (DynamoDB refuses
// unused values).
func revValue(rev int64, vals map[string]types.AttributeValue) map[string]types.AttributeValue {
	if rev != 0 {
		vals[":rev"] = N(rev)
	}
	return vals
}

// hourPostings are the ledger entries of hour h of c: the server's (when
// not zero) and one per add-on, whose IdemKey holds the suffix of its key.
func hourPostings(c *panel.ServerCharge, h int) []panel.Posting {
	hc := c.Hours[h]
	var out []panel.Posting
	if hc.AmountMinor != 0 {
		out = append(out, c.Postings[h])
	}
	for _, a := range hc.Addons {
		p := c.Postings[h]
		p.AmountMinor, p.Description, p.IdemKey = -a.AmountMinor, a.Description, "#"+a.Kind
		out = append(out, p)
	}
	return out
}

// serverUpdate is one conditional update of a billed server (expr, plus
// add for its ADD clause) that bumps its rev and returns the new item;
// ECONFLICT (with msg) when cond fails.
func (l *Ledger) serverUpdate(ctx context.Context, id int64, expr, add, cond, msg string, names map[string]string, vals map[string]types.AttributeValue) (*panel.BilledServer, error) {
	if vals == nil {
		vals = map[string]types.AttributeValue{}
	}
	vals[":one"] = N(1)
	l.Calls.Add(1)
	in := &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
		UpdateExpression: aws.String(expr + " ADD rev :one" + add), ConditionExpression: aws.String(cond),
		ExpressionAttributeValues: vals, ReturnValues: types.ReturnValueAllNew}
	if len(names) > 0 {
		in.ExpressionAttributeNames = names
	}
	out, err := l.DB.UpdateItem(ctx, in)
	if IsConditionFailed(err) {
		return nil, panel.Errorf(panel.ECONFLICT, "%s", msg)
	}
	if err != nil {
		return nil, billErr("update billed server", err)
	}
	return billDecodeServer(out.Attributes)
}

// ReserveResize implements panel.ServerChangeStore.
func (l *Ledger) ReserveResize(ctx context.Context, id int64, r panel.PendingResize, p *panel.Posting) (*panel.BilledServer, error) {
	ri := resizeItem{Key: r.Key, FromPackageID: r.FromPackageID, PackageID: r.PackageID, HourlyMinor: r.HourlyMinor,
		MonthlyCapMinor: r.MonthlyCapMinor, ChargedMinor: r.ChargedMinor, At: r.At.Unix()}
	rav, err := attributevalue.Marshal(ri)
	if err != nil {
		return nil, fmt.Errorf("dynamo: encode resize: %w", err)
	}
	const msg = "Another change of this server is in progress, or it changed meanwhile; reload and try again."
	cond := "#st = :active AND packageId = :from AND attribute_not_exists(resize)"
	names := map[string]string{"#st": "status"}
	vals := func() map[string]types.AttributeValue {
		return map[string]types.AttributeValue{":r": rav, ":active": S(panel.BilledActive), ":from": N(r.FromPackageID), ":one": N(1)}
	}
	if p == nil {
		if _, err := l.serverUpdate(ctx, id, "SET resize = :r", "", cond, msg, names, vals()); err != nil {
			return nil, err
		}
		return l.BilledServer(ctx, id)
	}
	_, applied, err := l.post(ctx, *p, func(time.Time) []types.TransactWriteItem {
		return []types.TransactWriteItem{{Update: &types.Update{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
			UpdateExpression: aws.String("SET resize = :r ADD rev :one"), ConditionExpression: aws.String(cond),
			ExpressionAttributeNames: names, ExpressionAttributeValues: vals()}}}
	})
	var ex billExtraErr
	switch {
	case errors.As(err, &ex):
		return nil, panel.Errorf(panel.ECONFLICT, msg)
	case err != nil:
		return nil, err
	case !applied:
		return nil, panel.Errorf(panel.ECONFLICT, "This change was made (or undone) before; send a new Idempotency-Key.")
	}
	return l.BilledServer(ctx, id)
}

// SettleResize implements panel.ServerChangeStore. The old price stays for
// the hours before priceFrom; the cap counts what the reserve charged.
func (l *Ledger) SettleResize(ctx context.Context, id int64, key string, priceFrom time.Time) (*panel.BilledServer, error) {
	cur, err := l.BilledServer(ctx, id)
	if err != nil {
		return nil, err
	}
	r := cur.Resize
	if r == nil || r.Key != key {
		return nil, panel.Errorf(panel.ECONFLICT, "No such change is pending.")
	}
	// Added, not set: an hourly charge may move the month's total meanwhile.
	capCharged := int64(0)
	if cur.CapMonth == r.At.UTC().Format("2006-01") {
		capCharged = r.ChargedMinor
	}
	return l.serverUpdate(ctx, id,
		"SET packageId = :pkg, hourlyMinor = :h, monthlyCapMinor = :cap, prevHourlyMinor = :ph, prevCapMinor = :pc, priceFrom = :pf REMOVE resize", ", capChargedMinor :cc",
		"resize.#k = :key AND rev = :rev", "No such change is pending.", map[string]string{"#k": "key"},
		map[string]types.AttributeValue{":pkg": N(r.PackageID), ":h": N(r.HourlyMinor), ":cap": N(r.MonthlyCapMinor),
			":ph": N(cur.HourlyMinor), ":pc": N(cur.MonthlyCapMinor), ":pf": N(priceFrom.Unix()), ":cc": N(capCharged),
			":key": S(key), ":rev": N(cur.Rev)})
}

// UndoResize implements panel.ServerChangeStore.
func (l *Ledger) UndoResize(ctx context.Context, id int64, key string, p *panel.Posting) (bool, error) {
	cond := "resize.#k = :key"
	names := map[string]string{"#k": "key"}
	if p == nil {
		_, err := l.serverUpdate(ctx, id, "REMOVE resize", "", cond, "gone", names, map[string]types.AttributeValue{":key": S(key)})
		if panel.ErrorCode(err) == panel.ECONFLICT {
			return false, nil
		}
		return err == nil, err
	}
	_, applied, err := l.post(ctx, *p, func(time.Time) []types.TransactWriteItem {
		return []types.TransactWriteItem{{Update: &types.Update{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
			UpdateExpression: aws.String("REMOVE resize ADD rev :one"), ConditionExpression: aws.String(cond),
			ExpressionAttributeNames: names, ExpressionAttributeValues: map[string]types.AttributeValue{":key": S(key), ":one": N(1)}}}}
	})
	var ex billExtraErr
	if errors.As(err, &ex) {
		return false, nil // nothing pending under key: settled or undone before
	}
	return applied, err
}

// addonSnapshot keeps the add-ons in effect before a change, for the
// hours before addonsFrom. SET reads the values from before the update.
const addonSnapshot = "prevBackupPlanId = if_not_exists(backupPlanId, :snap0), prevBackupHourlyMinor = if_not_exists(backupHourlyMinor, :snap0), " +
	"prevIPv4Count = if_not_exists(ipv4Count, :snap0), prevIPv4HourlyMinor = if_not_exists(ipv4HourlyMinor, :snap0), addonsFrom = :next"

// addonUpdate is serverUpdate for a change of add-ons at time at. The
// first change in an hour also snapshots the add-ons as they are (those in
// effect at the hour's start) and sets addonsFrom to the next hour; later
// changes in the same hour leave the snapshot alone. Which of the two
// applies is the write's condition, so concurrent changes cannot both
// snapshot. vals builds fresh values for each attempt.
func (l *Ledger) addonUpdate(ctx context.Context, at time.Time, id int64, expr, add, cond, msg string, names map[string]string, vals func() map[string]types.AttributeValue) (*panel.BilledServer, error) {
	next := N(at.UTC().Truncate(time.Hour).Add(time.Hour).Unix())
	snapExpr := "SET " + addonSnapshot + " " + expr
	if rest, ok := strings.CutPrefix(expr, "SET "); ok {
		snapExpr = "SET " + addonSnapshot + ", " + rest
	}
	v := vals()
	v[":next"], v[":snap0"] = next, N(0)
	bs, err := l.serverUpdate(ctx, id, snapExpr, add, "("+cond+") AND (attribute_not_exists(addonsFrom) OR addonsFrom < :next)", msg, names, v)
	if panel.ErrorCode(err) != panel.ECONFLICT {
		return bs, err
	}
	v = vals()
	v[":next"] = next
	return l.serverUpdate(ctx, id, expr, add, "("+cond+") AND addonsFrom = :next", msg, names, v)
}

// SetBackupPlan implements panel.ServerChangeStore.
func (l *Ledger) SetBackupPlan(ctx context.Context, at time.Time, id, from, planID, hourlyMinor int64) (*panel.BilledServer, error) {
	cond := "#st = :active AND (backupPlanId = :from OR (attribute_not_exists(backupPlanId) AND :from = :zero))"
	return l.addonUpdate(ctx, at, id, "SET backupPlanId = :plan, backupHourlyMinor = :h", "", cond,
		"The server's backup plan changed meanwhile, or it is not billed; reload and try again.", map[string]string{"#st": "status"},
		func() map[string]types.AttributeValue {
			return map[string]types.AttributeValue{":plan": N(planID), ":h": N(hourlyMinor), ":from": N(from), ":zero": N(0),
				":active": S(panel.BilledActive)}
		})
}

// ReserveIPv4 implements panel.ServerChangeStore: the maximum is the
// write's condition, so concurrent adds cannot pass it.
func (l *Ledger) ReserveIPv4(ctx context.Context, at time.Time, id, max, hourlyMinor int64) (*panel.BilledServer, error) {
	cond := "#st = :active AND (ipv4Count < :max OR (attribute_not_exists(ipv4Count) AND :zero < :max))"
	return l.addonUpdate(ctx, at, id, "SET ipv4HourlyMinor = :h", ", ipv4Count :one", cond,
		fmt.Sprintf("This server has the most extra IPv4 addresses allowed (%d).", max), map[string]string{"#st": "status"},
		func() map[string]types.AttributeValue {
			return map[string]types.AttributeValue{":max": N(max), ":zero": N(0), ":h": N(hourlyMinor), ":active": S(panel.BilledActive)}
		})
}

// AssignIPv4 implements panel.ServerChangeStore.
func (l *Ledger) AssignIPv4(ctx context.Context, id int64, ips []string) (*panel.BilledServer, error) {
	list := &types.AttributeValueMemberL{}
	for _, ip := range ips {
		list.Value = append(list.Value, S(ip))
	}
	return l.serverUpdate(ctx, id, "SET ipv4Extra = list_append(if_not_exists(ipv4Extra, :empty), :ips)", "", "attribute_exists(PK)",
		"The server is not billed.", nil, map[string]types.AttributeValue{":ips": list, ":empty": &types.AttributeValueMemberL{}})
}

// ReleaseIPv4 implements panel.ServerChangeStore.
func (l *Ledger) ReleaseIPv4(ctx context.Context, at time.Time, id int64, ip string) (*panel.BilledServer, error) {
	cur, err := l.BilledServer(ctx, id)
	if err != nil {
		return nil, err
	}
	if ip == "" {
		return l.addonUpdate(ctx, at, id, "", ", ipv4Count :minus", "ipv4Count > :n AND rev = :rev",
			"No address is being assigned.", nil, func() map[string]types.AttributeValue {
				return map[string]types.AttributeValue{":n": N(int64(len(cur.IPv4Extra))), ":rev": N(cur.Rev), ":minus": N(-1)}
			})
	}
	i := slices.Index(cur.IPv4Extra, ip)
	if i < 0 {
		return nil, panel.Errorf(panel.ECONFLICT, "%s is not an extra address of this server.", ip)
	}
	idx := strconv.Itoa(i)
	return l.addonUpdate(ctx, at, id, "REMOVE ipv4Extra["+idx+"]", ", ipv4Count :minus", "ipv4Extra["+idx+"] = :ip AND ipv4Count > :zero",
		"The server's addresses changed meanwhile; reload and try again.", nil, func() map[string]types.AttributeValue {
			return map[string]types.AttributeValue{":ip": S(ip), ":zero": N(0), ":minus": N(-1)}
		})
}

// The add-on price book.

// SetBackupPlanPrice implements panel.ServerChangeStore.
func (l *Ledger) SetBackupPlanPrice(ctx context.Context, p panel.BackupPlanPrice) error {
	l.Calls.Add(1)
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: map[string]types.AttributeValue{
		"PK": S(billPricesPK), "SK": S(skBackupPlanPrice + strconv.FormatInt(p.PlanID, 10)), "planId": N(p.PlanID),
		"name": S(p.Name), "hourlyMinor": N(p.HourlyMinor), "updatedAt": S(l.Clock().UTC().Format(time.RFC3339))}})
	return billErr("set backup plan price", err)
}

// DeleteBackupPlanPrice implements panel.ServerChangeStore.
func (l *Ledger) DeleteBackupPlanPrice(ctx context.Context, planID int64) error {
	l.Calls.Add(1)
	_, err := l.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &l.Table,
		Key: Key(billPricesPK, skBackupPlanPrice+strconv.FormatInt(planID, 10))})
	return billErr("delete backup plan price", err)
}

// SetIPv4Price implements panel.ServerChangeStore.
func (l *Ledger) SetIPv4Price(ctx context.Context, p panel.IPv4Price) error {
	l.Calls.Add(1)
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: map[string]types.AttributeValue{
		"PK": S(billPricesPK), "SK": S(skIPv4Price), "hourlyMinor": N(p.HourlyMinor), "maxPerServer": N(p.MaxPerServer),
		"updatedAt": S(l.Clock().UTC().Format(time.RFC3339))}})
	return billErr("set IPv4 price", err)
}

// AddonPrices implements panel.ServerChangeStore with one query.
func (l *Ledger) AddonPrices(ctx context.Context) (*panel.AddonPrices, error) {
	in := &dynamodb.QueryInput{TableName: &l.Table, KeyConditionExpression: aws.String("PK = :pk AND SK >= :lo"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(billPricesPK), ":lo": S(skBackupPlanPrice)}}
	out := &panel.AddonPrices{BackupPlans: []panel.BackupPlanPrice{}}
	err := l.queryAll(ctx, "query add-on prices", in, func(av map[string]types.AttributeValue) error {
		var it struct {
			SK           string `dynamodbav:"SK"`
			PlanID       int64  `dynamodbav:"planId"`
			Name         string `dynamodbav:"name"`
			HourlyMinor  int64  `dynamodbav:"hourlyMinor"`
			MaxPerServer int64  `dynamodbav:"maxPerServer"`
		}
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("dynamo: decode add-on price: %w", err)
		}
		switch {
		case strings.HasPrefix(it.SK, skBackupPlanPrice):
			out.BackupPlans = append(out.BackupPlans, panel.BackupPlanPrice{PlanID: it.PlanID, Name: it.Name, HourlyMinor: it.HourlyMinor})
		case it.SK == skIPv4Price:
			out.IPv4 = panel.IPv4Price{HourlyMinor: it.HourlyMinor, MaxPerServer: it.MaxPerServer}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out.BackupPlans, func(a, b panel.BackupPlanPrice) int { return int(a.PlanID - b.PlanID) })
	return out, nil
}
