package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Invoices (issue 20, item 9): a customer's billing profile is one item
// USER#<id> / BILLPROFILE; invoice numbers come from one counter,
// INVCOUNTER / META, and each allocated number is kept as
// USER#<id> / INVNO#<yyyy-mm>, written in the counter's transaction.

var _ panel.InvoiceStore = (*Ledger)(nil)

// invoiceNumberAttempts bounds the optimistic retries of an allocation:
// each round of concurrent allocations lets at least one through.
const invoiceNumberAttempts = 64

// BillingProfile returns userID's billing profile (zero when never saved).
func (l *Ledger) BillingProfile(ctx context.Context, userID string) (*panel.BillingProfile, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(billUserPK(userID), skBillProfile)})
	if err != nil {
		return nil, billErr("get billing profile", err)
	}
	b := &panel.BillingProfile{AddressLines: []string{}}
	if doc, ok := out.Item["doc"].(*types.AttributeValueMemberS); ok {
		if err := json.Unmarshal([]byte(doc.Value), b); err != nil {
			return nil, fmt.Errorf("dynamo: decode billing profile: %w", err)
		}
		if b.AddressLines == nil {
			b.AddressLines = []string{}
		}
	}
	return b, nil
}

// PutBillingProfile saves userID's billing profile.
func (l *Ledger) PutBillingProfile(ctx context.Context, userID string, b panel.BillingProfile) error {
	doc, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("dynamo: encode billing profile: %w", err)
	}
	l.Calls.Add(1)
	_, err = l.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Table, Item: map[string]types.AttributeValue{
		"PK": S(billUserPK(userID)), "SK": S(skBillProfile), "doc": S(string(doc))}})
	return billErr("put billing profile", err)
}

// InvoiceNumber returns the number of userID's invoice for period,
// allocating the counter's next value the first time. The counter moves
// and the number is recorded in one transaction, conditional on the
// counter still holding what was read and on the period having no
// number yet: concurrent allocations retry, so numbers have no gaps and
// no duplicates, and a period never gets two.
func (l *Ledger) InvoiceNumber(ctx context.Context, userID, period string) (int64, error) {
	if _, err := time.Parse("2006-01", period); err != nil {
		return 0, panel.NotFound("invoice")
	}
	pk, sk := billUserPK(userID), skInvoiceNo+period
	for attempt := 0; attempt < invoiceNumberAttempts; attempt++ {
		if n, err := l.numberAttr(ctx, pk, sk); err != nil || n > 0 {
			return n, err
		}
		cur, err := l.numberAttr(ctx, pkInvoiceCounter, skMeta)
		if err != nil {
			return 0, err
		}
		next := cur + 1
		counter := &types.Update{TableName: &l.Table, Key: Key(pkInvoiceCounter, skMeta),
			UpdateExpression:          aws.String("SET #n = :next"),
			ExpressionAttributeNames:  map[string]string{"#n": "number"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":next": N(next)}}
		if cur == 0 {
			counter.ConditionExpression = aws.String("attribute_not_exists(#n)")
		} else {
			counter.ConditionExpression = aws.String("#n = :cur")
			counter.ExpressionAttributeValues[":cur"] = N(cur)
		}
		l.Calls.Add(1)
		_, err = l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: counter},
			{Put: &types.Put{TableName: &l.Table, ConditionExpression: aws.String("attribute_not_exists(PK)"),
				Item: map[string]types.AttributeValue{"PK": S(pk), "SK": S(sk), "number": N(next),
					"allocatedAt": S(time.Now().UTC().Format(time.RFC3339))}}},
		}})
		if err == nil {
			return next, nil
		}
		if billCancelCodes(err) == nil && !billRetryable(err) {
			return 0, billErr("allocate invoice number", err)
		}
		// Someone else took the number, or numbered this period: read again.
		if err := billBackoff(ctx, attempt%8); err != nil {
			return 0, err
		}
	}
	return 0, panel.Errorf(panel.ECONFLICT, "Too many invoices are being numbered at once; try again.")
}

// numberAttr reads the "number" attribute of one item (0 when absent).
func (l *Ledger) numberAttr(ctx context.Context, pk, sk string) (int64, error) {
	l.Calls.Add(1)
	out, err := l.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &l.Table, Key: Key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return 0, billErr("get invoice number", err)
	}
	n, ok := out.Item["number"].(*types.AttributeValueMemberN)
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dynamo: decode invoice number: %w", err)
	}
	return v, nil
}
