package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestReindexUsers: users whose search terms are missing (made before the
// index existed) are found after ReindexUsers, and running it again
// changes nothing.
func TestReindexUsers(t *testing.T) {
	st, clk := newAcctStore(t)
	u := dynamo.NewUsers(st)
	ctx := context.Background()
	for _, x := range []struct{ id, email, name string }{{"u_old1", "old1@example.com", "Olga Vance"}, {"u_old2", "old2@sample.org", "Otto Vance"}} {
		if _, _, err := u.ClaimLink(ctx, &panel.User{ID: x.id, Email: x.email, Name: x.name, Role: panel.RoleCustomer, CreatedAt: clk.t}, "tok", clk.t, time.Minute); err != nil {
			t.Fatal(err)
		}
		// Take the user's search terms away, as for a user made before the index.
		out, err := st.DB.Query(ctx, &dynamodb.QueryInput{TableName: &st.Table, KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :s)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("USER#" + x.id), ":s": dynamo.S("SEARCH#")}})
		if err != nil || len(out.Items) == 0 {
			t.Fatalf("search terms of %s: got %d, %v", x.id, len(out.Items), err)
		}
		for _, it := range out.Items {
			if _, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &st.Table, Key: map[string]types.AttributeValue{"PK": it["PK"], "SK": it["SK"]}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	find := func(q string) int {
		t.Helper()
		got, _, err := u.FindUsers(ctx, panel.UserQuery{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	if n := find("vance"); n != 0 {
		t.Fatalf("before: found %d, want 0 (the terms were removed)", n)
	}
	for run := range 2 {
		n, err := u.ReindexUsers(ctx)
		if err != nil || n != 2 {
			t.Fatalf("run %d: indexed %d, %v; want 2", run, n, err)
		}
		if got := find("vance"); got != 2 {
			t.Errorf("run %d: found %d by name, want 2", run, got)
		}
		if got := find("sample.org"); got != 1 {
			t.Errorf("run %d: found %d by email domain, want 1", run, got)
		}
	}
}
