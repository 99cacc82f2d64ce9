package billing_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/sim/vfsim"
)

// queued returns every message in the outbox by id.
func (e *env) queued() map[string]*panel.Delivery {
	e.t.Helper()
	out := map[string]*panel.Delivery{}
	in := &dynamodb.ScanInput{TableName: aws.String(e.store.Table), FilterExpression: aws.String("begins_with(PK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(dynamo.OutboxPKPrefix)}, ConsistentRead: aws.Bool(true)}
	for {
		res, err := e.store.DB.Scan(ctx, in)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, av := range res.Items {
			id, _ := dynamo.OutboxIDFromPK(av["PK"].(*types.AttributeValueMemberS).Value)
			d, err := e.outbox.Delivery(ctx, id)
			if err != nil {
				e.t.Fatal(err)
			}
			out[id] = d
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// checkQueued fails unless the outbox holds exactly the messages want
// (ids) and returns them.
func (e *env) checkQueued(want ...string) map[string]*panel.Delivery {
	e.t.Helper()
	got := e.queued()
	var ids []string
	for id := range got {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		e.t.Fatalf("got queued %q, want %q", ids, want)
	}
	return got
}

func TestNotifyTopupCreditedOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	p := e.customer("tina")
	st := e.topup(p.UserID, 2500)
	h, body, capture := completedDelivery(e, st)
	// The webhook, its redelivery and the payer's return credit once.
	for range 2 {
		if code := e.post(h, body); code != 200 {
			t.Fatalf("webhook: got %d", code)
		}
	}
	if _, err := e.svc.CaptureTopup(ctx, p.UserID, st.OrderID); err != nil {
		t.Fatal(err)
	}
	got := e.checkQueued(panel.NotificationID(panel.NotifyTopupCredited, capture), panel.NotificationID(panel.NotifyStaffTopup, capture))
	n := got[panel.NotificationID(panel.NotifyTopupCredited, capture)]
	if n.Email != "tina@example.com" || n.Data["amount"] != "25.00 USD" || n.Data["balance"] != "25.00 USD" || n.Data["reference"] != capture {
		t.Errorf("got %+v %v", n.Notification, n.Data)
	}
	if s := got[panel.NotificationID(panel.NotifyStaffTopup, capture)]; s.Data["email"] != "tina@example.com" || s.Data["amount"] != "25.00 USD" {
		t.Errorf("staff: got %v", s.Data)
	}

	// A refund, delivered twice, is one message.
	h, body, refund := e.refundDelivery(capture, 1000)
	for range 2 {
		if code := e.post(h, body); code != 200 {
			t.Fatalf("refund webhook: got %d", code)
		}
	}
	rid := panel.NotificationID(panel.NotifyRefundDebited, "REFUND#"+refund)
	got = e.checkQueued(panel.NotificationID(panel.NotifyTopupCredited, capture), panel.NotificationID(panel.NotifyStaffTopup, capture), rid)
	if d := got[rid].Data; d["amount"] != "10.00 USD" || d["balance"] != "15.00 USD" {
		t.Errorf("refund: got %v", d)
	}
}

func TestNotifyOrderBuiltOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 5000)
	p := e.customer("olga")
	e.fund(p.UserID, 1000)
	res, err := order(t, e, p, "k1", "web-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := order(t, e, p, "k1", "web-1"); err != nil { // a replay
		t.Fatal(err)
	}
	ids := e.activeServers(p.UserID)
	if len(ids) != 1 {
		t.Fatalf("got servers %v", ids)
	}
	sid := strconv.FormatInt(ids[0], 10)
	got := e.checkQueued(panel.NotificationID(panel.NotifyOrderBuilt, sid), panel.NotificationID(panel.NotifyStaffOrder, sid))
	d := got[panel.NotificationID(panel.NotifyOrderBuilt, sid)].Data
	if d["serverName"] != "web-1" || d["serverId"] != sid || d["ip"] == "" || d["login"] != "panel-password" {
		t.Errorf("got %v", d)
	}
	for k, v := range d {
		if res.RootPassword != "" && strings.Contains(v, res.RootPassword) {
			t.Errorf("the root password is in %s", k)
		}
	}
}

func TestNotifyBuildFailedOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 5000)
	p := e.customer("bob")
	e.fund(p.UserID, 1000)
	start := time.Now()
	e.setClock(start)
	e.vf.SetFault(vfsim.Fault{Status: 500, PathPrefix: "/servers/", Times: 2}) // build and delete fail
	if _, err := order(t, e, p, "k1", "web-1"); err == nil {
		t.Fatal("order succeeded, want the build failure")
	}
	e.vf.ClearFaults()
	ids := e.vfServers(p)
	if len(ids) != 1 {
		t.Fatalf("got %v", ids)
	}
	// The jobs function settles the order again: still one message.
	e.setClock(start.Add(time.Hour))
	if _, err := e.svc.RetryOrderCleanups(ctx, e.store, 100); err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(ids[0], 10)
	got := e.checkQueued(panel.NotificationID(panel.NotifyBuildFailed, sid), panel.NotificationID(panel.NotifyStaffBuildFailed, sid))
	if d := got[panel.NotificationID(panel.NotifyBuildFailed, sid)].Data; d["refund"] != "0.10 USD" || d["serverName"] != "web-1" {
		t.Errorf("got %v", d)
	}
}

func panelID(n int64) string { return strconv.FormatInt(n, 10) }

func TestNotifyRunErrorsOnceAnHour(t *testing.T) {
	e := newEnv(t, envOpts{})
	at := time.Date(2026, 11, 2, 10, 5, 0, 0, time.UTC)
	e.setClock(at)
	e.svc.ReportRunErrors(ctx, nil) // no errors: no alert
	e.checkQueued()
	e.svc.ReportRunErrors(ctx, []error{errors.New("hourly-billing: boom")})
	e.setClock(at.Add(40 * time.Minute))
	e.svc.ReportRunErrors(ctx, []error{errors.New("again")})
	got := e.checkQueued("staff-billing-error:2026-11-02T10")
	if d := got["staff-billing-error:2026-11-02T10"].Data; d["first"] != "hourly-billing: boom" || d["errors"] != "1" {
		t.Errorf("got %v", d)
	}
}

func TestNotifyServerDeletedOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 5000)
	p := e.customer("dan")
	e.fund(p.UserID, 1000)
	for _, name := range []string{"web-1", "web-2"} {
		if _, err := order(t, e, p, "k-"+name, name); err != nil {
			t.Fatal(err)
		}
	}
	ids := e.activeServers(p.UserID)
	// The customer deletes the first; VirtFusion's webhook about it follows.
	if err := e.svc.DeleteServer(ctx, p, ids[0], "web-1"); err != nil {
		t.Fatal(err)
	}
	// The second is deleted in VirtFusion; the event comes twice.
	for i, id := range ids {
		for range 2 {
			ev := panel.ServerEvent{ID: "ev-" + panelID(id), Kind: panel.ServerEventDeleted, ServerID: id, At: e.now()}
			if err := e.svc.ServerEvent(ctx, ev); err != nil {
				t.Fatalf("server %d: %v", i, err)
			}
		}
	}
	var want []string
	for _, id := range ids {
		s := panelID(id)
		want = append(want, "order-built:"+s, "staff-order:"+s, "deleted:"+s)
	}
	got := e.checkQueued(want...)
	if d := got["deleted:"+panelID(ids[0])].Data; d["reason"] != "you deleted it" || d["serverName"] != "web-1" {
		t.Errorf("got %v", d)
	}
	if d := got["deleted:"+panelID(ids[1])].Data; d["serverName"] != "web-2" {
		t.Errorf("got %v", d)
	}
}

// TestNotifyStatementReadyOnce: on the first day of a month each billed
// customer is told once that last month's statement is ready, however many
// hourly runs that day makes; other days queue nothing.
func TestNotifyStatementReadyOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 5000)
	p := e.customer("stella")
	e.fund(p.UserID, 100000)
	e.setClock(time.Date(2026, 11, 30, 20, 10, 0, 0, time.UTC))
	if _, err := order(t, e, p, "k-stmt", "stmt-1"); err != nil {
		t.Fatal(err)
	}
	id := panelID(e.activeServers(p.UserID)[0])
	base := []string{"order-built:" + id, "staff-order:" + id}
	e.svc.RunHourly(ctx) // 30 November: nothing about statements
	e.checkQueued(base...)
	for _, at := range []time.Time{
		time.Date(2026, 12, 1, 0, 5, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 1, 5, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 23, 5, 0, 0, time.UTC),
		time.Date(2026, 12, 2, 0, 5, 0, 0, time.UTC),
	} {
		e.setClock(at)
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
	}
	stmt := "statement-ready:" + p.UserID + ":2026-11"
	got := e.checkQueued(append(base, stmt)...)
	if d := got[stmt]; d.Email != p.Email || d.Data["month"] != "November 2026" {
		t.Errorf("got %+v", d)
	}
}
