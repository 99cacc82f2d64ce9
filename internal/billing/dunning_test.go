package billing_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/billing"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/panel"
)

// dunningMail lists the ids of a customer's dunning mail, oldest first.
func (e *env) dunningMail(userID string) []string {
	e.t.Helper()
	list, _, err := e.outbox.History(ctx, userID, "", 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, d := range slices.Backward(list) {
		switch d.Kind {
		case panel.NotifyLowBalance, panel.NotifySuspended, panel.NotifyUnsuspended, panel.NotifyDeletionScheduled, panel.NotifyDeleted:
			ids = append(ids, d.ID)
		}
	}
	return ids
}

func TestDunningOverFakeClock(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 50000)
	p := e.customer("dora")
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	e.setClock(t0)
	e.fund(p.UserID, 800)
	if _, err := order(t, e, p, "k1", "web-1"); err != nil {
		t.Fatal(err)
	}
	sid := e.activeServers(p.UserID)[0]
	sidS := panelID(sid)
	uid := p.UserID
	// run runs the hourly billing twice at t (a repeated run changes nothing).
	run := func(at time.Time) {
		t.Helper()
		e.setClock(at)
		for range 2 {
			if _, err := e.svc.RunHourly(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	var want []string
	check := func(step string, add ...string) {
		t.Helper()
		want = append(want, add...)
		if got := e.dunningMail(uid); !slices.Equal(got, want) {
			t.Fatalf("%s: got mail %q, want %q", step, got, want)
		}
	}
	run(t0.Add(time.Hour + 5*time.Minute)) // 770 left: 77 h of runway
	check("plenty")
	run(t0.Add(9*time.Hour + 5*time.Minute)) // 690: under 72 h
	check("72h", "low-balance:"+uid+":0:72")
	run(t0.Add(20*time.Hour + 5*time.Minute))
	check("still 72h")
	run(t0.Add(60*time.Hour + 5*time.Minute)) // 190: under 24 h
	check("24h", "low-balance:"+uid+":0:24")
	suspendAt := t0.Add(85*time.Hour + 5*time.Minute) // -60
	run(suspendAt)
	check("suspended", "suspended:"+uid+":"+unix(suspendAt))
	v, err := e.svc.Balance(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	wantDelete := suspendAt.Add(billing.DefaultDunningGrace + billing.DefaultDunningFinalNotice)
	if !v.SuspendedAt.Equal(suspendAt) || !v.DeleteAfter.Equal(wantDelete) {
		t.Fatalf("balance view: suspended %v, delete after %v; want %v, %v", v.SuspendedAt, v.DeleteAfter, suspendAt, wantDelete)
	}
	run(suspendAt.Add(billing.DefaultDunningGrace - time.Hour))
	check("in grace")
	finalAt := suspendAt.Add(billing.DefaultDunningGrace + time.Hour)
	run(finalAt)
	check("final warning", "deletion-scheduled:"+uid+":"+unix(suspendAt))
	if got := e.vfServers(p); len(got) != 1 {
		t.Fatalf("got servers %v before the deletion date", got)
	}
	run(finalAt.Add(billing.DefaultDunningFinalNotice - time.Hour))
	check("final notice")
	run(finalAt.Add(billing.DefaultDunningFinalNotice + time.Hour))
	check("deleted", "deleted:"+sidS)
	if got := e.vfServers(p); len(got) != 0 {
		t.Fatalf("got VirtFusion servers %v, want none after deletion", got)
	}
	if got := e.activeServers(uid); len(got) != 0 {
		t.Fatalf("still billing %v", got)
	}
	acts, _, err := dynamo.NewAuditLog(e.store.Store).Activity(ctx, uid, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range slices.Backward(acts) {
		if strings.HasPrefix(string(a.Action), "billing.") {
			actions = append(actions, string(a.Action))
		}
	}
	wantActions := []string{"billing.dunning.low-balance", "billing.dunning.low-balance", "billing.dunning.suspended",
		"billing.dunning.deletion-scheduled", "billing.dunning.deleted", "billing.server_deleted_for_non_payment"}
	// Steps at one instant have no order among themselves in the log.
	slices.Sort(actions)
	slices.Sort(wantActions)
	if !slices.Equal(actions, wantActions) {
		t.Errorf("got audit %q, want %q", actions, wantActions)
	}
	before := e.balance(uid)
	run(finalAt.Add(billing.DefaultDunningFinalNotice + 30*time.Hour))
	check("after deletion")
	if got := e.balance(uid); got != before {
		t.Fatalf("balance moved from %d to %d after deletion: billing did not stop", before, got)
	}
}

func TestDunningUnsuspendAndWarnAgain(t *testing.T) {
	e := newEnv(t, envOpts{})
	setPrice(t, e, 10, 50000)
	p := e.customer("uma")
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	e.setClock(t0)
	e.fund(p.UserID, 1000)
	if _, err := order(t, e, p, "k1", "web-1"); err != nil {
		t.Fatal(err)
	}
	uid := p.UserID
	suspendAt := t0.Add(105*time.Hour + 5*time.Minute)
	for _, at := range []time.Time{t0.Add(30 * time.Hour), t0.Add(80 * time.Hour), suspendAt} {
		e.setClock(at)
		if _, err := e.svc.RunHourly(ctx); err != nil {
			t.Fatal(err)
		}
	}
	e.fund(uid, 2000) // tops up: the servers run again
	e.fund(uid, 100)
	got := e.dunningMail(uid)
	want := []string{"low-balance:" + uid + ":0:72", "low-balance:" + uid + ":0:24", "suspended:" + uid + ":" + unix(suspendAt),
		"unsuspended:" + uid + ":" + unix(suspendAt)}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if v, err := e.svc.Balance(ctx, uid); err != nil || !v.SuspendedAt.IsZero() || !v.DeleteAfter.IsZero() {
		t.Fatalf("balance view after top-up: %+v, %v", v, err)
	}
	// Running low again is a new period: warned again, under new ids.
	e.setClock(suspendAt.Add(150 * time.Hour))
	if _, err := e.svc.RunHourly(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.dunningMail(uid); len(got) != 5 || got[4] != "low-balance:"+uid+":1:72" {
		t.Fatalf("got %q, want a second 72 h warning", got)
	}
}

func unix(t time.Time) string { return panelID(t.Unix()) }
