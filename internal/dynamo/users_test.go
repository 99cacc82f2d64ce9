package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

func TestUsers(t *testing.T) {
	st, clk := newAcctStore(t)
	u := dynamo.NewUsers(st)
	ctx := context.Background()
	now := clk.t
	ann := &panel.User{ID: "u_ann", Email: "Ann@Example.com", Name: "Ann", Role: panel.RoleCustomer, CreatedAt: now}

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := u.User(ctx, "u_ann"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ClaimCreates", func(t *testing.T) {
		got, claimed, err := u.ClaimLink(ctx, ann, "tok1", now, 30*time.Second)
		if err != nil || !claimed || got.Email != "ann@example.com" {
			t.Fatalf("got %+v %v %v", got, claimed, err)
		}
	})
	t.Run("ClaimHeldByOther", func(t *testing.T) {
		_, claimed, err := u.ClaimLink(ctx, ann, "tok2", now.Add(time.Second), 30*time.Second)
		if err != nil || claimed {
			t.Fatalf("got claimed=%v err=%v, want not claimed", claimed, err)
		}
	})
	t.Run("ClaimStaleTakenOver", func(t *testing.T) {
		_, claimed, err := u.ClaimLink(ctx, ann, "tok3", now.Add(time.Minute), 30*time.Second)
		if err != nil || !claimed {
			t.Fatalf("got claimed=%v err=%v, want claimed", claimed, err)
		}
	})
	t.Run("CompleteLostClaim", func(t *testing.T) {
		if _, err := u.CompleteLink(ctx, "u_ann", "tok1", 5); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("Release", func(t *testing.T) {
		if err := u.ReleaseLink(ctx, "u_ann", "tok3"); err != nil {
			t.Fatal(err)
		}
		_, claimed, err := u.ClaimLink(ctx, ann, "tok3", now.Add(time.Minute), 30*time.Second)
		if err != nil || !claimed {
			t.Fatalf("after release: got claimed=%v err=%v, want claimed", claimed, err)
		}
	})
	t.Run("Complete", func(t *testing.T) {
		got, err := u.CompleteLink(ctx, "u_ann", "tok3", 42)
		if err != nil || got.VFUserID != 42 {
			t.Fatalf("got %+v %v", got, err)
		}
	})
	t.Run("LinkedNeverClaimed", func(t *testing.T) {
		got, claimed, err := u.ClaimLink(ctx, ann, "tok4", now.Add(time.Hour), 30*time.Second)
		if err != nil || claimed || got.VFUserID != 42 {
			t.Fatalf("got %+v claimed=%v err=%v", got, claimed, err)
		}
	})
	t.Run("ByEmail", func(t *testing.T) {
		got, err := u.UserByEmail(ctx, "ANN@example.com")
		if err != nil || got.ID != "u_ann" {
			t.Fatalf("got %+v %v", got, err)
		}
		if _, err := u.UserByEmail(ctx, "nobody@example.com"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Update", func(t *testing.T) {
		got, err := u.UpdateUser(ctx, "u_ann", "ann2@example.com", "Ann B", panel.RoleAdmin)
		if err != nil || got.Name != "Ann B" || got.Role != panel.RoleAdmin || got.VFUserID != 42 {
			t.Fatalf("got %+v %v", got, err)
		}
		if _, err := u.UserByEmail(ctx, "ann2@example.com"); err != nil {
			t.Fatalf("new email: %v", err)
		}
		if _, err := u.UpdateUser(ctx, "u_nobody", "x@example.com", "X", "customer"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("List", func(t *testing.T) {
		for i := range 4 {
			nu := &panel.User{ID: fmt.Sprintf("u_%d", i), Email: fmt.Sprintf("u%d@example.com", i), Name: "U",
				Role: panel.RoleCustomer, CreatedAt: now.Add(time.Duration(i+1) * time.Second)}
			if _, _, err := u.ClaimLink(ctx, nu, "t", now, time.Second); err != nil {
				t.Fatal(err)
			}
		}
		var all []string
		cursor := ""
		for {
			page, next, err := u.Users(ctx, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page {
				all = append(all, p.ID)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if fmt.Sprint(all) != "[u_ann u_0 u_1 u_2 u_3]" {
			t.Fatalf("got %v", all)
		}
		if _, _, err := u.Users(ctx, "garbage!", 2); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("bad cursor: got %v", err)
		}
	})
}
