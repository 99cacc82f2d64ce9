package dynamo_test

import (
	"context"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

func newTicket(id, user, category string, at time.Time) (*panel.Ticket, *panel.TicketMessage) {
	t := &panel.Ticket{ID: id, UserID: user, Email: user + "@example.com", Name: user, Subject: "Help " + id,
		Category: category, Priority: "normal", Status: panel.TicketOpen, WaitingOn: panel.WaitingOnStaff,
		CreatedAt: at, LastActivityAt: at, LastCustomerAt: at, CustomerSeenAt: at}
	return t, &panel.TicketMessage{ID: "m_" + id, TicketID: id, AuthorID: user, AuthorName: user, Body: "first", CreatedAt: at}
}

func ids(ts []*panel.Ticket) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestTickets(t *testing.T) {
	st, clk := newAcctStore(t)
	s := dynamo.NewTickets(st)
	ctx := context.Background()
	t0 := clk.t

	// Five tickets of ann, one of bob, a minute apart.
	for i, id := range []string{"t1", "t2", "t3", "t4", "t5"} {
		cat := "billing"
		if i%2 == 1 {
			cat = "technical"
		}
		tk, m := newTicket(id, "u_ann", cat, t0.Add(time.Duration(i)*time.Minute))
		var notes []panel.Notification
		if id == "t1" {
			notes = []panel.Notification{topupNote("ticket-t1", t0)}
		}
		if err := s.CreateTicket(ctx, tk, m, notes); err != nil {
			t.Fatal(err)
		}
	}
	bob, bm := newTicket("t6", "u_bob", "sales", t0.Add(10*time.Minute))
	if err := s.CreateTicket(ctx, bob, bm, nil); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrCreateTwice", func(t *testing.T) {
		tk, m := newTicket("t1", "u_ann", "billing", t0)
		if err := s.CreateTicket(ctx, tk, m, nil); panel.ErrorCode(err) != panel.ECONFLICT {
			t.Fatalf("got %v, want conflict", err)
		}
	})
	t.Run("NotificationInSameTransaction", func(t *testing.T) {
		d, err := dynamo.NewOutbox(st).Delivery(ctx, panel.NotificationID(panel.NotifyTopupCredited, "ticket-t1"))
		if err != nil || d.State != panel.DeliveryQueued {
			t.Fatalf("got %+v %v", d, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.Ticket(ctx, "t_nope"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("got %v", err)
		}
		m := &panel.TicketMessage{ID: "m_x", TicketID: "t_nope", Body: "x", CreatedAt: t0}
		if _, err := s.AddMessage(ctx, m, false, nil); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("add message: got %v", err)
		}
		if _, err := s.ChangeTicket(ctx, "t_nope", panel.TicketChange{Status: ptr(panel.TicketClosed)}, nil); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("change: got %v", err)
		}
		if err := s.MarkSeen(ctx, "t_nope", true); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("seen: got %v", err)
		}
	})
	t.Run("UserTicketsPaged", func(t *testing.T) {
		var got []string
		cursor := ""
		for range 5 {
			page, next, err := s.UserTickets(ctx, "u_ann", "", cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(page)...)
			if cursor = next; cursor == "" {
				break
			}
		}
		want := []string{"t5", "t4", "t3", "t2", "t1"}
		if !equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		if _, _, err := s.UserTickets(ctx, "u_ann", "", "bm9wZQ", 2); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("StaffReplyMovesTicketAndMarksUnread", func(t *testing.T) {
		clk.t = t0.Add(20 * time.Minute)
		m := &panel.TicketMessage{ID: "m_r1", TicketID: "t1", AuthorID: "u_staff", AuthorName: "Sam", Staff: true,
			Body: "We are on it.", CreatedAt: clk.t}
		tk, err := s.AddMessage(ctx, m, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tk.WaitingOn != panel.WaitingOnCustomer || !tk.UnreadFor(false) || tk.UnreadFor(true) || !tk.LastActivityAt.Equal(clk.t) {
			t.Fatalf("got %+v", tk)
		}
		page, _, _ := s.UserTickets(ctx, "u_ann", "", "", 1)
		if len(page) != 1 || page[0].ID != "t1" {
			t.Fatalf("got %v, want t1 first", ids(page))
		}
		if err := s.MarkSeen(ctx, "t1", false); err != nil {
			t.Fatal(err)
		}
		if tk, _ = s.Ticket(ctx, "t1"); tk.UnreadFor(false) {
			t.Fatalf("still unread after seen: %+v", tk)
		}
	})
	t.Run("InternalNoteHiddenAndNoActivity", func(t *testing.T) {
		before, _ := s.Ticket(ctx, "t2")
		m := &panel.TicketMessage{ID: "m_n1", TicketID: "t2", AuthorID: "u_staff", Staff: true, Internal: true,
			Body: "customer is on a legacy plan", CreatedAt: t0.Add(30 * time.Minute)}
		after, err := s.AddMessage(ctx, m, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !after.LastActivityAt.Equal(before.LastActivityAt) || after.WaitingOn != before.WaitingOn {
			t.Fatalf("note moved the ticket: %+v", after)
		}
		pub, _ := s.Messages(ctx, "t2", false)
		all, _ := s.Messages(ctx, "t2", true)
		if len(pub) != 1 || len(all) != 2 || !all[1].Internal {
			t.Fatalf("got public %d, all %d", len(pub), len(all))
		}
	})
	t.Run("QueueByStatusWithFilters", func(t *testing.T) {
		clk.t = t0.Add(40 * time.Minute)
		if _, err := s.ChangeTicket(ctx, "t3", panel.TicketChange{Status: ptr(panel.TicketClosed)}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChangeTicket(ctx, "t4", panel.TicketChange{AssigneeID: ptr("u_staff"), AssigneeName: ptr("Sam"),
			Priority: ptr("urgent")}, nil); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			q    panel.TicketQuery
			want []string
		}{
			{"Open", panel.TicketQuery{Status: "open"}, []string{"t1", "t6", "t5", "t4", "t2"}},
			{"Closed", panel.TicketQuery{Status: "closed"}, []string{"t3"}},
			{"Category", panel.TicketQuery{Status: "open", Category: "technical"}, []string{"t4", "t2"}},
			{"Priority", panel.TicketQuery{Status: "open", Priority: "urgent"}, []string{"t4"}},
			{"Assignee", panel.TicketQuery{Status: "open", Assignee: "u_staff"}, []string{"t4"}},
			{"Unassigned", panel.TicketQuery{Status: "open", Assignee: "none"}, []string{"t1", "t6", "t5", "t2"}},
			{"WaitingOnCustomer", panel.TicketQuery{Status: "open", WaitingOn: "customer"}, []string{"t1"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, next, err := s.Queue(ctx, tt.q)
				if err != nil || next != "" || !equal(ids(got), tt.want) {
					t.Fatalf("got %v %q %v, want %v", ids(got), next, err, tt.want)
				}
			})
		}
		t.Run("FilteredPages", func(t *testing.T) {
			var got []string
			cursor := ""
			for range 5 {
				page, next, err := s.Queue(ctx, panel.TicketQuery{Status: "open", Assignee: "none", Cursor: cursor, Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(page)...)
				if cursor = next; cursor == "" {
					break
				}
			}
			if want := []string{"t1", "t6", "t5", "t2"}; !equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	})
	t.Run("CustomerReplyReopens", func(t *testing.T) {
		m := &panel.TicketMessage{ID: "m_c2", TicketID: "t3", AuthorID: "u_ann", Body: "still broken", CreatedAt: t0.Add(50 * time.Minute)}
		tk, err := s.AddMessage(ctx, m, true, nil)
		if err != nil || tk.Status != panel.TicketOpen || tk.WaitingOn != panel.WaitingOnStaff || !tk.UnreadFor(true) {
			t.Fatalf("got %+v %v", tk, err)
		}
		if got, _, _ := s.UserTickets(ctx, "u_ann", "closed", "", 10); len(got) != 0 {
			t.Fatalf("closed list: got %v", ids(got))
		}
	})
	t.Run("CannedReplies", func(t *testing.T) {
		for _, id := range []string{"c1", "c2"} {
			if err := s.PutCannedReply(ctx, &panel.CannedReply{ID: id, Title: "T " + id, Body: "B", UpdatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PutCannedReply(ctx, &panel.CannedReply{ID: "c1", Title: "renamed", Body: "B", UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCannedReply(ctx, "c2"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCannedReply(ctx, "c2"); panel.ErrorCode(err) != panel.ENOTFOUND {
			t.Fatalf("second delete: got %v", err)
		}
		got, err := s.CannedReplies(ctx)
		if err != nil || len(got) != 1 || got[0].Title != "renamed" {
			t.Fatalf("got %+v %v", got, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
