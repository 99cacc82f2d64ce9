package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestFindUsers: search terms follow renames, the negative-balance index
// follows the balance (most negative first), and filters and sort apply.
func TestFindUsers(t *testing.T) {
	st, clk := newAcctStore(t)
	u := dynamo.NewUsers(st)
	ledger := dynamo.NewLedger(st)
	ctx := context.Background()
	mk := func(id, email, name string, age time.Duration) {
		t.Helper()
		if _, _, err := u.ClaimLink(ctx, &panel.User{ID: id, Email: email, Name: name, Role: panel.RoleCustomer, CreatedAt: clk.t.Add(-age)}, "tok", clk.t, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	mk("u_ann", "ann@example.com", "Ann Lee", 3*time.Hour)
	mk("u_bob", "bob@sample.org", "Bob Stone", 2*time.Hour)
	mk("u_cat", "cat@example.com", "Cat Lee", time.Hour)
	ids := func(users []*panel.User) []string {
		out := []string{}
		for _, x := range users {
			out = append(out, x.ID)
		}
		return out
	}
	find := func(q panel.UserQuery) []string {
		t.Helper()
		got, _, err := u.FindUsers(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		return ids(got)
	}
	tests := map[string]struct {
		q    panel.UserQuery
		want []string
	}{
		"NamePrefix":    {panel.UserQuery{Search: "lee"}, []string{"u_ann", "u_cat"}},
		"EmailDomain":   {panel.UserQuery{Search: "sample"}, []string{"u_bob"}},
		"FullEmail":     {panel.UserQuery{Search: "CAT@example.com"}, []string{"u_cat"}},
		"ID":            {panel.UserQuery{Search: "u_b"}, []string{"u_bob"}},
		"NewestFirst":   {panel.UserQuery{Sort: panel.SortCreatedDesc}, []string{"u_cat", "u_bob", "u_ann"}},
		"OldestFirst":   {panel.UserQuery{}, []string{"u_ann", "u_bob", "u_cat"}},
		"RoleFilter":    {panel.UserQuery{Role: panel.RoleAdmin}, []string{}},
		"NoNegativeYet": {panel.UserQuery{NegativeBalance: true}, []string{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := find(tc.q); len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) || (len(got) > 1 && got[len(got)-1] != tc.want[len(tc.want)-1]) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("RenameMovesTerms", func(t *testing.T) {
		if _, err := u.UpdateUser(ctx, "u_ann", "ann@example.com", "Ann Moss", panel.RoleCustomer); err != nil {
			t.Fatal(err)
		}
		if got := find(panel.UserQuery{Search: "lee"}); len(got) != 1 || got[0] != "u_cat" {
			t.Errorf("lee: got %v, want only u_cat", got)
		}
		if got := find(panel.UserQuery{Search: "moss"}); len(got) != 1 || got[0] != "u_ann" {
			t.Errorf("moss: got %v, want u_ann", got)
		}
	})
	t.Run("NegativeBalance", func(t *testing.T) {
		post := func(user string, amount int64, key string) {
			t.Helper()
			if _, _, err := ledger.Post(ctx, panel.Posting{UserID: user, Type: panel.EntryAdjustment, AmountMinor: amount,
				Currency: "USD", Description: "test", IdemKey: key}); err != nil {
				t.Fatal(err)
			}
		}
		post("u_ann", -500, "k1")
		post("u_bob", -900, "k2")
		post("u_cat", 100, "k3")
		if got := find(panel.UserQuery{NegativeBalance: true}); len(got) != 2 || got[0] != "u_bob" || got[1] != "u_ann" {
			t.Errorf("got %v, want u_bob then u_ann", got)
		}
		post("u_bob", 1000, "k4") // back above zero: out of the index
		if got := find(panel.UserQuery{NegativeBalance: true}); len(got) != 1 || got[0] != "u_ann" {
			t.Errorf("after the credit: got %v, want u_ann", got)
		}
	})
	t.Run("Blocked", func(t *testing.T) {
		if _, err := u.SetBlocked(ctx, "u_cat", true); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		if got := find(panel.UserQuery{Blocked: &yes}); len(got) != 1 || got[0] != "u_cat" {
			t.Errorf("blocked: got %v", got)
		}
		if got := find(panel.UserQuery{Blocked: &no}); len(got) != 2 {
			t.Errorf("not blocked: got %v", got)
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		if _, _, err := u.FindUsers(ctx, panel.UserQuery{Search: "lee", Cursor: "Zm9v"}); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("got %v, want invalid", err)
		}
	})
}
