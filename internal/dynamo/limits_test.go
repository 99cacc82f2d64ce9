package dynamo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// TestOverlongInputIsInvalid: values over DynamoDB's key limits reach
// DynamoDB Local, which answers ValidationException; that must be a 400
// (EINVALID), not "database not answering" (issue 12, item 12).
func TestOverlongInputIsInvalid(t *testing.T) {
	st, _ := newAcctStore(t)
	ctx := context.Background()
	huge := strings.Repeat("x", 100_000)
	tests := []struct {
		name string
		call func() error
	}{
		{"SessionID", func() error { _, err := dynamo.NewSessions(st).Session(ctx, huge); return err }},
		{"UserID", func() error { _, err := dynamo.NewUsers(st).User(ctx, huge); return err }},
		{"DeleteUserSession", func() error { return dynamo.NewSessions(st).DeleteUserSession(ctx, huge, huge) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panel.ErrorCode(tt.call()); got != panel.EINVALID {
				t.Errorf("got %q (%v), want %q", got, tt.call(), panel.EINVALID)
			}
		})
	}
}

// TestCursorsRefuseOldAndForged: cursors that are not ours are EINVALID
// before DynamoDB sees them, for each paged list.
func TestCursorsRefuseOldAndForged(t *testing.T) {
	st, _ := newAcctStore(t)
	ctx := context.Background()
	// The old users cursor was base64 JSON of any key map, sent as the start key.
	forged := []string{"eyJQSyI6IlVTRVIjeCIsIlgiOiJ5In0", strings.Repeat("QUFB", 5000), "YWJj\n", "2026"}
	for _, c := range forged {
		if _, _, err := dynamo.NewUsers(st).Users(ctx, c, 10); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("users %q: got %v", c[:min(len(c), 20)], err)
		}
		if _, _, err := dynamo.NewAuditLog(st).Activity(ctx, "u_1", c, 10); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("activity %q: got %v", c[:min(len(c), 20)], err)
		}
		if _, _, err := dynamo.NewLedger(st).Entries(ctx, "u_1", panel.EntryFilter{Cursor: c}); panel.ErrorCode(err) != panel.EINVALID {
			t.Errorf("ledger %q: got %v", c[:min(len(c), 20)], err)
		}
	}
}

// TestCursorsRoundTrip: every paged list accepts the cursors it hands out.
func TestCursorsRoundTrip(t *testing.T) {
	st, clk := newAcctStore(t)
	ctx := context.Background()
	ledger, audit := dynamo.NewLedger(st), dynamo.NewAuditLog(st)
	for i := range 5 {
		at := clk.t.Add(time.Duration(i) * time.Second)
		if _, _, err := ledger.Post(ctx, panel.Posting{UserID: "u_1", Type: panel.EntryAdjustment, AmountMinor: 100, Currency: "USD",
			Description: "Adjustment: test", Ref: "admin:a", Actor: "a", IdemKey: fmt.Sprintf("k%d", i), At: at}); err != nil {
			t.Fatal(err)
		}
		if err := audit.RecordAudit(ctx, panel.AuditEntry{UserID: "u_1", Actor: "u_1", Action: "server.power", Outcome: panel.OutcomeOK, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	pages := func(name string, page func(cursor string) (int, string, error)) {
		total, cursor := 0, ""
		for range 10 {
			n, next, err := page(cursor)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			total += n
			if next == "" {
				break
			}
			cursor = next
		}
		if total != 5 {
			t.Errorf("%s: got %d items over the pages, want 5", name, total)
		}
	}
	pages("ledger", func(c string) (int, string, error) {
		es, next, err := ledger.Entries(ctx, "u_1", panel.EntryFilter{Cursor: c, Limit: 2})
		return len(es), next, err
	})
	pages("activity", func(c string) (int, string, error) {
		es, next, err := audit.Activity(ctx, "u_1", c, 2)
		return len(es), next, err
	})
}
