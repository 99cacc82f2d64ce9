package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/routes"
)

func topupNote(id string, at time.Time) panel.Notification {
	return panel.Notification{ID: panel.NotificationID(panel.NotifyTopupCredited, id), Kind: panel.NotifyTopupCredited,
		UserID: "u_ann", Email: "ann@example.com", Name: "Ann", CreatedAt: at,
		Data: map[string]string{"amount": "$25.00", "balance": "$30.00", "reference": id}}
}

func mustPut(t *testing.T, st dynamo.Store, n panel.Notification) error {
	t.Helper()
	w, err := dynamo.OutboxPut(st.Table, n)
	if err != nil {
		t.Fatal(err)
	}
	// A stand-in for the causing event's own write in the same transaction.
	cause := types.TransactWriteItem{Put: &types.Put{TableName: &st.Table, Item: dynamo.Key("CAUSE#"+n.ID, "META"),
		ConditionExpression: awsString("attribute_not_exists(PK)")}}
	_, err = st.DB.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{cause, w}})
	return err
}

func awsString(s string) *string { return &s }

func TestOutbox(t *testing.T) {
	st, clk := newAcctStore(t)
	o := dynamo.NewOutbox(st)
	ctx := context.Background()
	t0 := clk.t
	n := topupNote("T1", t0)

	t.Run("PutInTransaction", func(t *testing.T) {
		if err := mustPut(t, st, n); err != nil {
			t.Fatal(err)
		}
		d, err := o.Delivery(ctx, n.ID)
		if err != nil || d.State != panel.DeliveryQueued || d.Email != "ann@example.com" || d.Data["amount"] != "$25.00" {
			t.Fatalf("got %+v %v", d, err)
		}
	})
	t.Run("ErrPutTwiceCancelsTransaction", func(t *testing.T) {
		if err := mustPut(t, st, n); !dynamo.IsConditionFailed(err) {
			t.Fatalf("got %v, want a condition failure", err)
		}
	})
	t.Run("ErrInvalidNotification", func(t *testing.T) {
		bad := n
		bad.Email = "not an address"
		if _, err := dynamo.OutboxPut(st.Table, bad); err == nil {
			t.Fatal("got nil error")
		}
	})
	t.Run("DueListsQueued", func(t *testing.T) {
		ids, err := o.Due(ctx, 10)
		if err != nil || len(ids) != 1 || ids[0] != n.ID {
			t.Fatalf("got %v %v", ids, err)
		}
	})
	t.Run("ClaimOnce", func(t *testing.T) {
		d, err := o.Claim(ctx, n.ID, time.Minute)
		if err != nil || d.State != panel.DeliverySending || d.Attempts != 1 {
			t.Fatalf("got %+v %v", d, err)
		}
		if _, err := o.Claim(ctx, n.ID, time.Minute); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("second claim: got %v, want conflict", err)
		}
		if ids, _ := o.Due(ctx, 10); len(ids) != 0 {
			t.Fatalf("due while leased: %v", ids)
		}
	})
	t.Run("ErrClaimMissing", func(t *testing.T) {
		if _, err := o.Claim(ctx, "topup-credited:nope", time.Minute); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("StaleLeaseComesDueAndIsTakenOver", func(t *testing.T) {
		clk.t = t0.Add(2 * time.Minute)
		if ids, _ := o.Due(ctx, 10); len(ids) != 1 {
			t.Fatalf("due after lease: %v", ids)
		}
		d, err := o.Claim(ctx, n.ID, time.Minute)
		if err != nil || d.Attempts != 2 {
			t.Fatalf("got %+v %v", d, err)
		}
	})
	t.Run("AttemptFailedWaitsForBackoff", func(t *testing.T) {
		next := clk.t.Add(5 * time.Minute)
		if err := o.MarkAttemptFailed(ctx, n.ID, "451 try later", next, false); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Claim(ctx, n.ID, time.Minute); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("claim before due: got %v", err)
		}
		if ids, _ := o.Due(ctx, 10); len(ids) != 0 {
			t.Fatalf("due before backoff: %v", ids)
		}
		clk.t = next
		if ids, _ := o.Due(ctx, 10); len(ids) != 1 {
			t.Fatalf("due at backoff: %v", ids)
		}
	})
	t.Run("SentIsFinal", func(t *testing.T) {
		if _, err := o.Claim(ctx, n.ID, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := o.MarkSent(ctx, n.ID, "Top-up of $25.00 received"); err != nil {
			t.Fatal(err)
		}
		if err := o.MarkSent(ctx, n.ID, "again"); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("second mark: got %v", err)
		}
		clk.t = clk.t.Add(24 * time.Hour)
		if _, err := o.Claim(ctx, n.ID, time.Minute); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("claim after sent: got %v", err)
		}
		d, _ := o.Delivery(ctx, n.ID)
		if d.State != panel.DeliverySent || d.Subject != "Top-up of $25.00 received" || d.SentAt.IsZero() || d.LastError != "" {
			t.Fatalf("got %+v", d)
		}
	})
	t.Run("FailedListAndRetry", func(t *testing.T) {
		f := topupNote("T2", clk.t)
		if err := mustPut(t, st, f); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Claim(ctx, f.ID, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := o.MarkAttemptFailed(ctx, f.ID, "550 no such user", time.Time{}, true); err != nil {
			t.Fatal(err)
		}
		list, _, err := o.Failed(ctx, "", 10)
		if err != nil || len(list) != 1 || list[0].ID != f.ID || list[0].LastError != "550 no such user" {
			t.Fatalf("got %+v %v", list, err)
		}
		if err := o.Retry(ctx, n.ID); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("retry of a sent message: got %v", err)
		}
		if err := o.Retry(ctx, f.ID); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := o.Failed(ctx, "", 10); len(list) != 0 {
			t.Fatalf("still failed: %+v", list)
		}
		d, err := o.Claim(ctx, f.ID, time.Minute)
		if err != nil || d.Attempts != 1 {
			t.Fatalf("claim after retry: %+v %v", d, err)
		}
	})
	t.Run("HistoryNewestFirstPaged", func(t *testing.T) {
		for i := range 5 {
			if err := mustPut(t, st, topupNote(fmt.Sprintf("H%d", i), clk.t.Add(time.Duration(i+1)*time.Second))); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		cursor := ""
		for page := 0; page < 10; page++ {
			list, next, err := o.History(ctx, "u_ann", cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range list {
				got = append(got, d.Data["reference"])
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		want := []string{"H4", "H3", "H2", "H1", "H0", "T2", "T1"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if _, _, err := o.History(ctx, "u_ann", "!!", 3); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("bad cursor: got %v", err)
		}
	})
	t.Run("Prefs", func(t *testing.T) {
		p, err := o.Prefs(ctx, "u_ann")
		if err != nil || p.NonEssentialOff {
			t.Fatalf("default: got %+v %v", p, err)
		}
		if err := o.SetPrefs(ctx, "u_ann", panel.NotificationPrefs{NonEssentialOff: true}); err != nil {
			t.Fatal(err)
		}
		if p, _ := o.Prefs(ctx, "u_ann"); !p.NonEssentialOff || p.UpdatedAt.IsZero() {
			t.Fatalf("got %+v", p)
		}
	})
}

// The notify function's stream filter comes from the route table, which
// may not import this package; the two prefixes must agree.
func TestOutboxStreamPrefix(t *testing.T) {
	for _, s := range routes.Streams {
		if s.Function == "notify" && s.KeyPrefix != dynamo.OutboxPKPrefix {
			t.Errorf("got stream prefix %q, want %q", s.KeyPrefix, dynamo.OutboxPKPrefix)
		}
	}
}
