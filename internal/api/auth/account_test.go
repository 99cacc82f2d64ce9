package auth_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vfpanel/vfpanel/internal/api/auth"
	"github.com/vfpanel/vfpanel/internal/panel"
	"github.com/vfpanel/vfpanel/internal/virtfusion"
)

// post writes a ledger entry for the user behind email.
func (e *env) post(email, typ string, amount int64, ref string) {
	e.t.Helper()
	id := auth.UserID(e.auth0.Subject(email))
	_, _, err := e.ledger.Post(context.Background(), panel.Posting{UserID: id, Type: typ, AmountMinor: amount, Currency: "USD",
		Description: "test " + ref, Ref: ref, IdemKey: "test:" + ref, At: e.clock.Now()})
	if err != nil {
		e.t.Fatalf("post %s: %v", ref, err)
	}
}

func TestAccountExport(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.auth0.AddUser("ann@example.com", pw, "Ann")
	e.auth0.AddUser("bob@example.com", pw, "Bob")
	ann, bob := e.browser(), e.browser()
	ann.mustLogin("ann@example.com", pw)
	bob.mustLogin("bob@example.com", pw)
	e.post("ann@example.com", panel.EntryTopup, 500, "ann-topup")
	e.post("ann@example.com", panel.EntryAdjustment, -200, "ann-adjust")
	e.post("bob@example.com", panel.EntryTopup, 700, "bob-topup")
	cookie := ann.sessionCookie()

	r := ann.do("GET", "/api/account/export", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("export: got %d %q %s", r.status, r.header.Get("Content-Disposition"), r.raw)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"ProfileIsAnn", r.body["profile"].(map[string]any)["email"] == "ann@example.com"},
		{"LedgerHasBothEntries", len(r.body["ledger"].([]any)) == 2},
		{"HasAnnTopup", strings.Contains(r.raw, `"ann-topup"`)},
		{"HasAnnAdjustment", strings.Contains(r.raw, `"ann-adjust"`)},
		{"NotBobsLedger", !strings.Contains(r.raw, "bob-topup")},
		{"NotBobsProfile", !strings.Contains(r.raw, "bob@example.com")},
		{"Balance", r.body["balance"].(map[string]any)["balanceMinor"] == float64(300)},
		{"OneSession", len(r.body["sessions"].([]any)) == 1},
		{"NoSessionSecret", !strings.Contains(r.raw, cookie) && !strings.Contains(r.raw, auth.HashSessionID(cookie)) &&
			!strings.Contains(r.raw, ann.csrf)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Fatalf("export: %s", r.raw)
			}
		})
	}

	t.Run("ErrRateLimited", func(t *testing.T) {
		for i := 0; i < 4; i++ {
			if r := ann.do("GET", "/api/account/export", nil); r.status != 200 {
				t.Fatalf("export %d: got %d %s", i+2, r.status, r.raw)
			}
		}
		if r := ann.do("GET", "/api/account/export", nil); r.status != 429 {
			t.Fatalf("6th export: got %d %s", r.status, r.raw)
		}
	})
}

func TestAccountErase(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	for _, u := range []string{"ann@example.com", "rich@example.com", "srv@example.com"} {
		e.auth0.AddUser(u, pw, "Someone")
	}
	ann, rich, srv := e.browser(), e.browser(), e.browser()
	ann.mustLogin("ann@example.com", pw)
	rich.mustLogin("rich@example.com", pw)
	srv.mustLogin("srv@example.com", pw)
	annID, srvID := auth.UserID(e.auth0.Subject("ann@example.com")), auth.UserID(e.auth0.Subject("srv@example.com"))
	e.post("ann@example.com", panel.EntryTopup, 500, "ann-topup")
	e.post("ann@example.com", panel.EntryAdjustment, -500, "ann-refund")
	e.post("rich@example.com", panel.EntryTopup, 100, "rich-topup")
	if err := e.ledger.ImportServers(ctx, []*panel.BilledServer{{ServerID: 41, UserID: srvID, Name: "web-1", PackageID: 1,
		HourlyMinor: 1, Currency: "USD", ActiveSince: e.clock.Now(), BilledThrough: e.clock.Now()}}); err != nil {
		t.Fatal(err)
	}

	refusals := []struct {
		name    string
		b       *browser
		confirm string
		status  int
		message string
	}{
		{"ErrWrongEmail", ann, "other@example.com", 400, "email"},
		{"ErrEmpty", ann, "", 400, "email"},
		{"ErrActiveServer", srv, "srv@example.com", 409, "Delete your servers first"},
		{"ErrPositiveBalance", rich, "RICH@example.com", 409, "refunded"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.mutate("DELETE", "/api/account", map[string]string{"confirm": tt.confirm})
			if r.status != tt.status || !strings.Contains(r.raw, tt.message) {
				t.Fatalf("got %d %s, want %d with %q", r.status, r.raw, tt.status, tt.message)
			}
			if r := tt.b.do("GET", "/api/auth/me", nil); r.status != 200 {
				t.Fatalf("refused erase signed the caller out: %d", r.status)
			}
		})
	}
	for _, email := range []string{"srv@example.com", "rich@example.com"} {
		if !e.auth0.HasUser(email) {
			t.Fatalf("refused erase deleted the Auth0 user %s", email)
		}
	}

	other := e.browser() // a second session of ann's, and an API token
	other.mustLogin("ann@example.com", pw)
	token := ann.newToken("ci", "full", 30)
	if _, err := e.vfClient.GetUserByExtRelation(ctx, annID); err != nil {
		t.Fatalf("ann has no VirtFusion user before erase: %v", err)
	}

	r := ann.mutate("DELETE", "/api/account", map[string]string{"confirm": "Ann@Example.com"})
	if r.status != 204 {
		t.Fatalf("erase: got %d %s", r.status, r.raw)
	}
	checks := []struct {
		name string
		ok   func() bool
	}{
		{"Auth0UserGone", func() bool { return !e.auth0.HasUser("ann@example.com") }},
		{"VirtFusionUserGone", func() bool {
			_, err := e.vfClient.GetUserByExtRelation(ctx, annID)
			return virtfusion.IsNotFound(err)
		}},
		{"SessionRevoked", func() bool { return ann.do("GET", "/api/auth/me", nil).status == 401 }},
		{"OtherSessionRevoked", func() bool { return other.do("GET", "/api/auth/me", nil).status == 401 }},
		{"NoSessionsStored", func() bool { s, err := e.sessions.UserSessions(ctx, annID); return err == nil && len(s) == 0 }},
		{"TokenRevoked", func() bool { return callWith(e.handler, token, "GET", "/api/auth/me").Code == 401 }},
		{"ProfileTombstoned", func() bool {
			u, err := e.users.User(ctx, annID)
			return err == nil && u.Email == auth.ErasedEmail(annID) && u.Name != "Someone" && u.ID == annID
		}},
		{"EmailFreed", func() bool {
			_, err := e.users.UserByEmail(ctx, "ann@example.com")
			return panel.ErrorCode(err) == panel.ENOTFOUND
		}},
		{"LedgerKept", func() bool {
			l, _, err := e.ledger.Entries(ctx, annID, panel.EntryFilter{Limit: 10})
			return err == nil && len(l) == 2
		}},
		{"Audited", func() bool {
			a, _, err := e.deps.Audit.Activity(ctx, annID, "", 10)
			// The test clock stands still, so order among entries is not asserted.
			return err == nil && slices.ContainsFunc(a, func(x panel.AuditEntry) bool { return x.Action == "account.erase" })
		}},
		{"CannotSignIn", func() bool { return e.browser().login("ann@example.com", pw).status == 401 }},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok() {
				t.Fatal("failed")
			}
		})
	}

	// A retry after a partial failure: srv's server is gone and its Auth0
	// and VirtFusion users were deleted by an earlier attempt that failed
	// later on.
	t.Run("RetryAfterPartialFailure", func(t *testing.T) {
		if _, _, err := e.ledger.StopServer(ctx, 41, e.clock.Now(), "deleted"); err != nil {
			t.Fatal(err)
		}
		sub := e.auth0.Subject("srv@example.com")
		if err := e.deps.Deleter.DeleteUser(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if e.auth0.HasUser("srv@example.com") {
			t.Fatal("Auth0 user still there")
		}
		if err := e.deps.Deleter.DeleteUser(ctx, sub); err != nil {
			t.Fatalf("deleting a deleted Auth0 user: %v", err)
		}
		if err := e.vfClient.DeleteUserByExtRelation(ctx, srvID); err != nil {
			t.Fatal(err)
		}
		if r := srv.mutate("DELETE", "/api/account", map[string]string{"confirm": "srv@example.com"}); r.status != 204 {
			t.Fatalf("retried erase: got %d %s", r.status, r.raw)
		}
		if u, err := e.users.User(ctx, srvID); err != nil || u.Email != auth.ErasedEmail(srvID) {
			t.Fatalf("not tombstoned: %+v %v", u, err)
		}
	})
}
