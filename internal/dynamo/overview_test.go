package dynamo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestOverview: the admin overview counts users (all, and this month's),
// this month's denied payments, recent failed builds and open or pending
// tickets, and leaves out what is older or of another kind.
func TestOverview(t *testing.T) {
	st, clk := newAcctStore(t)
	ctx := context.Background()
	now := clk.t // 2026-11-22 10:00 UTC
	l := dynamo.NewLedger(st)
	users := dynamo.NewUsers(st)
	for i, created := range []time.Time{now.AddDate(0, -2, 0), now.AddDate(0, -1, 0), now.AddDate(0, 0, -3), now.Add(-time.Hour)} {
		id := fmt.Sprintf("u_ov%d", i)
		if _, _, err := users.ClaimLink(ctx, &panel.User{ID: id, Email: id + "@example.com", Name: id, Role: panel.RoleCustomer, CreatedAt: created}, "tok", now, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	for i, tp := range []struct {
		status string
		at     time.Time
	}{{panel.TopupDenied, now.Add(-time.Hour)}, {panel.TopupDenied, now.AddDate(0, -1, 0)}, {panel.TopupCreated, now.Add(-time.Hour)}} {
		if err := l.CreateTopup(ctx, &panel.Topup{ID: fmt.Sprintf("tp_ov%d", i), UserID: "u_ov0", OrderID: fmt.Sprintf("O-%d", i),
			AmountMinor: 500, Currency: "USD", CreatedAt: tp.at}); err != nil {
			t.Fatal(err)
		}
		if tp.status == panel.TopupCreated {
			continue
		}
		if err := l.MarkTopup(ctx, fmt.Sprintf("tp_ov%d", i), tp.status, fmt.Sprintf("CAP-OV-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	audit := dynamo.NewAuditLog(st)
	for i, e := range []panel.AuditEntry{
		{Action: panel.ActServerBuildFailed, Outcome: panel.OutcomeError, At: now.Add(-2 * time.Hour)},
		{Action: panel.ActServerBuildFailed, Outcome: panel.OutcomeError, At: now.AddDate(0, 0, -10)}, // too old
		{Action: panel.ActServerBuilt, Outcome: panel.OutcomeOK, At: now.Add(-time.Hour)},
	} {
		e.UserID, e.Actor, e.Target, e.ID = "u_ov0", panel.ActorSystem, "server:1", fmt.Sprintf("a_ov%d", i)
		if err := audit.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tickets := dynamo.NewTickets(st)
	for i, status := range []string{panel.TicketOpen, panel.TicketPending, panel.TicketClosed} {
		tk, m := newTicket(fmt.Sprintf("tk_ov%d", i), "u_ov0", "billing", now.Add(-time.Hour))
		tk.Status = status
		if err := tickets.CreateTicket(ctx, tk, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := l.Post(ctx, panel.Posting{UserID: "u_ov0", Type: panel.EntryTopup, AmountMinor: 2500, Currency: "USD", Description: "top-up", IdemKey: "ov-topup", At: now}); err != nil {
		t.Fatal(err)
	}
	o, err := l.Overview(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	want := panel.AdminOverview{Month: "2026-11", Users: 4, NewUsers: 2, FailedPayments: 1, FailedBuilds: 1, BuildDays: 7, OpenTickets: 2}
	got := *o
	got.Revenue = panel.MonthRevenue{}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if o.Revenue.Month != "2026-11" || o.Revenue.CreditsMinor != 2500 {
		t.Fatalf("revenue %+v, want this month's 25.00 of credits", o.Revenue)
	}
}
