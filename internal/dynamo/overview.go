package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Admin overview (issue 20, item 10): the figures of the console's front
// page, each one COUNT query on an index partition the table already has
// (never a scan). Only the users total reads a whole partition (its keys);
// the caller caches the result.

// OverviewBuildDays is how many days back failed builds are counted.
const OverviewBuildDays = 7

// Overview counts users, this month's new users and denied payments,
// failed builds of the last OverviewBuildDays days and open tickets.
func (l *Ledger) Overview(ctx context.Context, now time.Time) (*panel.AdminOverview, error) {
	now = now.UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	o := &panel.AdminOverview{Month: month.Format("2006-01"), BuildDays: OverviewBuildDays}
	var err error
	count := func(in *dynamodb.QueryInput) int {
		if err != nil {
			return 0
		}
		in.TableName, in.Select = &l.Table, types.SelectCount
		n := 0
		for {
			l.Calls.Add(1)
			out, qerr := l.DB.Query(ctx, in)
			if qerr != nil {
				err = billErr("count overview", qerr)
				return 0
			}
			n += int(out.Count)
			if len(out.LastEvaluatedKey) == 0 {
				return n
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	since := month.Format("2006-01-02T")
	gsi2 := func(pk string, from string, filter string, vals map[string]types.AttributeValue, names map[string]string) *dynamodb.QueryInput {
		in := &dynamodb.QueryInput{IndexName: aws.String("GSI2"), KeyConditionExpression: aws.String("GSI2PK = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pk)}}
		if from != "" {
			in.KeyConditionExpression = aws.String("GSI2PK = :pk AND GSI2SK >= :from")
			in.ExpressionAttributeValues[":from"] = S(from)
		}
		if filter != "" {
			in.FilterExpression = aws.String(filter)
			for k, v := range vals {
				in.ExpressionAttributeValues[k] = v
			}
			in.ExpressionAttributeNames = names
		}
		return in
	}
	o.Users = count(gsi2(gsi2Users, "", "", nil, nil))
	o.NewUsers = count(gsi2(gsi2Users, since, "", nil, nil))
	o.FailedPayments = count(gsi2(gsi2Topups, since, "#st = :denied",
		map[string]types.AttributeValue{":denied": S(panel.TopupDenied)}, map[string]string{"#st": "status"}))
	// VirtFusion's events are audited with the actor "virtfusion"; a failed
	// install is one with the outcome "error".
	o.FailedBuilds = count(&dynamodb.QueryInput{IndexName: aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK >= :from"), FilterExpression: aws.String("outcome = :err"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(gsi1AuditBy + panel.ActorSystem),
			":from": S(now.AddDate(0, 0, -OverviewBuildDays).Format(auditTime)), ":err": S(panel.OutcomeError)}})
	for _, st := range []string{panel.TicketOpen, panel.TicketPending} {
		o.OpenTickets += count(&dynamodb.QueryInput{IndexName: aws.String("GSI1"), KeyConditionExpression: aws.String("GSI1PK = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(ticketQueuePK(st))}})
	}
	if err != nil {
		return nil, err
	}
	rev, err := l.Revenue(ctx, []string{o.Month})
	if err != nil {
		return nil, err
	}
	if len(rev) > 0 {
		o.Revenue = rev[0]
	}
	return o, nil
}
