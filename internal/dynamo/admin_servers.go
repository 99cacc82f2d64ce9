package dynamo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

var _ panel.TransferStore = (*Ledger)(nil)

// TransferServer implements panel.TransferStore: one transaction moves the
// billed server's owner (user id, VirtFusion id, the customer index and,
// while billed, the active index's sort key), conditioned on the owner and
// status it was read with, and writes the audit entries.
func (l *Ledger) TransferServer(ctx context.Context, id int64, from, to *panel.User, audit []panel.AuditEntry) (*panel.BilledServer, error) {
	cur, err := l.BilledServer(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.UserID != from.ID {
		return nil, panel.Errorf(panel.ECONFLICT, "Server %d belongs to another customer now.", id)
	}
	set := "SET userId = :to, vfUserId = :tovf, GSI1PK = :g1"
	vals := map[string]types.AttributeValue{":to": S(to.ID), ":tovf": N(to.VFUserID), ":g1": S(gsi1UserServers + to.ID),
		":from": S(from.ID), ":st": S(cur.Status)}
	if cur.Status == panel.BilledActive {
		set += ", GSI2SK = :g2"
		vals[":g2"] = S(to.ID + "#" + strconv.FormatInt(id, 10))
	}
	items := []types.TransactWriteItem{{Update: &types.Update{TableName: &l.Table, Key: Key(billedPK(id), billedSK),
		UpdateExpression: aws.String(set), ConditionExpression: aws.String("userId = :from AND #st = :st"),
		ExpressionAttributeNames: map[string]string{"#st": "status"}, ExpressionAttributeValues: vals}}}
	for _, e := range audit {
		av, err := AuditItem(e, l.Clock)
		if err != nil {
			return nil, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &l.Table, Item: av}})
	}
	l.Calls.Add(1)
	_, err = l.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if codes := billCancelCodes(err); len(codes) > 0 && codes[0] == "ConditionalCheckFailed" {
		return nil, panel.Errorf(panel.ECONFLICT, "Server %d changed while it was being transferred; try again.", id)
	}
	if err != nil {
		return nil, billErr(fmt.Sprintf("transfer server %d", id), err)
	}
	return l.BilledServer(ctx, id)
}
