package dynamo

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Coupon items:
//
//	COUPON#<code> / META                    the coupon and its counters; GSI2 COUPONS by creation
//	COUPON#<code> / COUPONUSE#<uid>         how often a customer redeemed it
//	COUPON#<code> / REDEMPTION#<ts>#<uid>#<ref>   one redemption, for reports
//	USER#<uid> / FIRSTORDERPROMO            the customer's one first-order credit

var _ panel.CouponStore = (*Ledger)(nil)

type couponItem struct {
	PK             string    `dynamodbav:"PK"`
	SK             string    `dynamodbav:"SK"`
	GSI2PK         string    `dynamodbav:"GSI2PK"`
	GSI2SK         string    `dynamodbav:"GSI2SK"`
	Code           string    `dynamodbav:"code"`
	Kind           string    `dynamodbav:"kind"`
	Percent        int64     `dynamodbav:"percent"`
	AmountMinor    int64     `dynamodbav:"amountMinor"`
	Hours          int64     `dynamodbav:"hours"`
	PackageID      int64     `dynamodbav:"packageId"`
	MinAmountMinor int64     `dynamodbav:"minAmountMinor"`
	ValidFrom      time.Time `dynamodbav:"validFrom"`
	ValidUntil     time.Time `dynamodbav:"validUntil"`
	// The window again as epoch seconds: the redemption's condition
	// compares numbers.
	FromUnix       int64     `dynamodbav:"fromUnix"`
	UntilUnix      int64     `dynamodbav:"untilUnix"`
	MaxRedemptions int64     `dynamodbav:"maxRedemptions"`
	PerCustomer    int64     `dynamodbav:"perCustomer"`
	Disabled       bool      `dynamodbav:"disabled"`
	Redeemed       int64     `dynamodbav:"redeemed"`
	CreditedMinor  int64     `dynamodbav:"creditedMinor"`
	CreatedAt      time.Time `dynamodbav:"createdAt"`
	CreatedBy      string    `dynamodbav:"createdBy"`
}

func (it *couponItem) coupon() *panel.Coupon {
	return &panel.Coupon{Code: it.Code, Kind: it.Kind, Percent: it.Percent, AmountMinor: it.AmountMinor, Hours: it.Hours,
		PackageID: it.PackageID, MinAmountMinor: it.MinAmountMinor, ValidFrom: it.ValidFrom, ValidUntil: it.ValidUntil,
		MaxRedemptions: it.MaxRedemptions, PerCustomer: it.PerCustomer, Disabled: it.Disabled, Redeemed: it.Redeemed,
		CreditedMinor: it.CreditedMinor, CreatedAt: it.CreatedAt, CreatedBy: it.CreatedBy}
}

func couponPK(code string) string { return pkCoupon + code }

// CreateCoupon stores a new coupon with zero counters.
func (l *Ledger) CreateCoupon(ctx context.Context, c *panel.Coupon) error {
	it := couponItem{PK: couponPK(c.Code), SK: skMeta, GSI2PK: gsi2Coupons,
		GSI2SK: c.CreatedAt.UTC().Format(time.RFC3339Nano) + "#" + c.Code, Code: c.Code, Kind: c.Kind, Percent: c.Percent,
		AmountMinor: c.AmountMinor, Hours: c.Hours, PackageID: c.PackageID, MinAmountMinor: c.MinAmountMinor,
		ValidFrom: c.ValidFrom.UTC(), ValidUntil: c.ValidUntil.UTC(), FromUnix: c.ValidFrom.Unix(), UntilUnix: c.ValidUntil.Unix(),
		MaxRedemptions: c.MaxRedemptions, PerCustomer: c.PerCustomer, Disabled: c.Disabled, CreatedAt: c.CreatedAt.UTC(),
		CreatedBy: c.CreatedBy}
	l.Calls.Add(1)
	_, err := l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: billMarshal(it),
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if IsConditionFailed(err) {
		return panel.Errorf(panel.ECONFLICT, "A coupon with this code exists already.")
	}
	return billErr("create coupon", err)
}

// Coupon returns a coupon by code.
func (l *Ledger) Coupon(ctx context.Context, code string) (*panel.Coupon, error) {
	var it couponItem
	if err := l.getItem(ctx, couponPK(code), skMeta, "coupon", &it); err != nil {
		return nil, err
	}
	return it.coupon(), nil
}

// Coupons lists every coupon newest first (GSI2 COUPONS).
func (l *Ledger) Coupons(ctx context.Context) ([]*panel.Coupon, error) {
	out := []*panel.Coupon{}
	in := &dynamodb.QueryInput{TableName: &l.Table, IndexName: aws.String("GSI2"), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi2Coupons)}}
	err := l.queryAll(ctx, "query coupons", in, func(av map[string]types.AttributeValue) error {
		var it couponItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return err
		}
		out = append(out, it.coupon())
		return nil
	})
	return out, err
}

// SetCouponDisabled sets the disabled flag and returns the coupon before
// and after.
func (l *Ledger) SetCouponDisabled(ctx context.Context, code string, disabled bool) (*panel.Coupon, *panel.Coupon, error) {
	l.Calls.Add(1)
	out, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &l.Table, Key: Key(couponPK(code), skMeta),
		UpdateExpression:          aws.String("SET disabled = :d"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": &types.AttributeValueMemberBOOL{Value: disabled}},
		ReturnValues:              types.ReturnValueAllOld})
	if IsConditionFailed(err) {
		return nil, nil, panel.NotFound("coupon")
	}
	if err != nil {
		return nil, nil, billErr("disable coupon", err)
	}
	var it couponItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return nil, nil, err
	}
	before := it.coupon()
	after := *before
	after.Disabled = disabled
	return before, &after, nil
}

// RedeemCoupon posts the coupon's credit once, in one transaction with:
// the coupon's counters (conditions: same kind, enabled, inside its window
// at the posting's time, under its total limit, its minimum met), the
// customer's use counter (under the per-customer limit), the report item
// and, for a first-order credit, the customer's first-order marker.
func (l *Ledger) RedeemCoupon(ctx context.Context, r panel.Redemption) (*panel.LedgerEntry, bool, error) {
	c, p := r.Coupon, r.Posting
	p.Type = panel.EntryPromo
	p.IdemKey = panel.IdemPromo + c.Code + "#" + r.Ref
	if p.AmountMinor <= 0 {
		return nil, false, panel.Errorf(panel.ECONFLICT, "This code gives nothing here.")
	}
	e, applied, err := l.post(ctx, p, func(at time.Time) []types.TransactWriteItem {
		one, zero := N(1), N(0)
		items := []types.TransactWriteItem{
			{Update: &types.Update{TableName: &l.Table, Key: Key(couponPK(c.Code), skMeta),
				UpdateExpression: aws.String("SET redeemed = redeemed + :one, creditedMinor = creditedMinor + :amt"),
				ConditionExpression: aws.String("attribute_exists(PK) AND kind = :kind AND disabled = :false" +
					" AND fromUnix <= :now AND untilUnix > :now AND minAmountMinor <= :base AND perCustomer = :per" +
					" AND (maxRedemptions = :zero OR redeemed < maxRedemptions)"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":one": one, ":zero": zero, ":amt": N(p.AmountMinor),
					":kind": S(c.Kind), ":false": &types.AttributeValueMemberBOOL{Value: false}, ":now": N(at.Unix()),
					":base": N(r.BaseMinor), ":per": N(c.PerCustomer)}}},
			{Update: &types.Update{TableName: &l.Table, Key: Key(couponPK(c.Code), skCouponUse+p.UserID),
				UpdateExpression:          aws.String("SET uses = if_not_exists(uses, :zero) + :one"),
				ConditionExpression:       aws.String("attribute_not_exists(uses) OR uses < :per"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":one": one, ":zero": zero, ":per": N(c.PerCustomer)}}},
			{Put: &types.Put{TableName: &l.Table, Item: map[string]types.AttributeValue{
				"PK": S(couponPK(c.Code)), "SK": S(skCouponRedemption + at.Format(billTS) + "#" + p.UserID + "#" + r.Ref),
				"code": S(c.Code), "userId": S(p.UserID), "ref": S(r.Ref), "amountMinor": N(p.AmountMinor),
				"at": S(at.Format(time.RFC3339Nano)), "idemKey": S(p.IdemKey)}}},
		}
		if r.FirstOrder {
			items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &l.Table,
				Item:                map[string]types.AttributeValue{"PK": S(billUserPK(p.UserID)), "SK": S(skFirstOrderPromo), "code": S(c.Code)},
				ConditionExpression: aws.String("attribute_not_exists(PK)")}})
		}
		return items
	})
	var ex billExtraErr
	if errors.As(err, &ex) {
		msg := "This code has expired, been used up or been disabled."
		switch ex.index {
		case 1:
			msg = "You have used this code as often as it allows."
		case 3:
			msg = "A first-order code was used on this account already."
		}
		return nil, false, panel.Errorf(panel.ECONFLICT, "%s", msg)
	}
	return e, applied, err
}

// CouponUses returns how often userID redeemed code.
func (l *Ledger) CouponUses(ctx context.Context, code, userID string) (int64, error) {
	var it struct {
		Uses int64 `dynamodbav:"uses"`
	}
	err := l.getItem(ctx, couponPK(code), skCouponUse+userID, "coupon use", &it)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return 0, nil
	}
	return it.Uses, err
}

// FirstOrderPromoUsed reports whether the customer had a first-order credit.
func (l *Ledger) FirstOrderPromoUsed(ctx context.Context, userID string) (bool, error) {
	var it struct{}
	err := l.getItem(ctx, billUserPK(userID), skFirstOrderPromo, "first-order promo", &it)
	if panel.ErrorCode(err) == panel.ENOTFOUND {
		return false, nil
	}
	return err == nil, err
}

// CouponRedemptions lists a coupon's redemptions newest first.
func (l *Ledger) CouponRedemptions(ctx context.Context, code string) ([]panel.CouponRedemption, error) {
	out := []panel.CouponRedemption{}
	in := &dynamodb.QueryInput{TableName: &l.Table, ScanIndexForward: aws.Bool(false),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(couponPK(code)),
			":p": S(skCouponRedemption)}}
	err := l.queryAll(ctx, "query redemptions", in, func(av map[string]types.AttributeValue) error {
		var it struct {
			Code        string    `dynamodbav:"code"`
			UserID      string    `dynamodbav:"userId"`
			Ref         string    `dynamodbav:"ref"`
			AmountMinor int64     `dynamodbav:"amountMinor"`
			At          time.Time `dynamodbav:"at"`
			IdemKey     string    `dynamodbav:"idemKey"`
		}
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return err
		}
		out = append(out, panel.CouponRedemption{Code: it.Code, UserID: it.UserID, Ref: it.Ref, AmountMinor: it.AmountMinor, At: it.At})
		return nil
	})
	return out, err
}
