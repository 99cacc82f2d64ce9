package alerts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/alerts"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/panel"
)

type users struct{}

func (users) User(_ context.Context, id string) (*panel.User, error) {
	return &panel.User{ID: id, Email: id + "@example.com", Name: "Ada"}, nil
}

// env is an evaluator over DynamoDB Local with a clock the test moves.
type env struct {
	t      *testing.T
	now    time.Time
	store  *dynamo.Alerts
	outbox *dynamo.Outbox
	ev     *alerts.Evaluator
	sent   []string // outbox ids seen so far
}

func newEnv(t *testing.T) *env {
	db, table := dynamotest.NewTable(t)
	e := &env{t: t, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	st := dynamo.NewStore(db, table)
	st.Now = func() time.Time { return e.now }
	e.store, e.outbox = dynamo.NewAlerts(st), dynamo.NewOutbox(st)
	e.ev = &alerts.Evaluator{Store: e.store, Users: users{}, Now: func() time.Time { return e.now }}
	return e
}

func (e *env) mustRule(r panel.AlertRule) *panel.AlertRule {
	e.t.Helper()
	r.UserID, r.Enabled, r.CreatedAt = "u1", true, e.now
	if r.ID == "" {
		r.ID = string(r.Kind) + "1"
	}
	if err := e.store.CreateAlertRule(context.Background(), &r); err != nil {
		e.t.Fatal(err)
	}
	return &r
}

// fired returns the notification ids fired since the last call.
func (e *env) fired() []string {
	e.t.Helper()
	ids, err := e.outbox.Due(context.Background(), 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var fresh []string
	for _, id := range ids {
		seen := false
		for _, s := range e.sent {
			seen = seen || s == id
		}
		if !seen {
			fresh = append(fresh, id)
			e.sent = append(e.sent, id)
		}
	}
	return fresh
}

func TestDecide(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	// One rule with a 30-minute cool-down through a sequence of
	// evaluations: want says whether each one fires.
	steps := []struct {
		name      string
		min       int
		breaching bool
		want      bool
	}{
		{"OKFirstBreachFires", 0, true, true},
		{"OKSameBreachIsQuiet", 5, true, false},
		{"OKStillQuietBeforeCooldown", 25, true, false},
		{"OKFiresAgainAfterCooldown", 30, true, true},
		{"OKClears", 35, false, false},
		{"OKNewBreachInCooldownIsQuiet", 40, true, false},
		{"OKThatBreachFiresOnceCooled", 60, true, true},
		{"OKClearsAgain", 65, false, false},
		{"OKNewBreachAfterCooldownFires", 100, true, true},
	}
	r := &panel.AlertRule{Kind: panel.AlertCPU, CooldownMinutes: 30}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if got := alerts.Decide(r, s.breaching, at(s.min)); got != s.want {
				t.Errorf("minute %d: got fire=%v, want %v", s.min, got, s.want)
			}
			if r.Firing != s.breaching {
				t.Errorf("got firing=%v, want %v", r.Firing, s.breaching)
			}
		})
	}
}

// TestCPUAlert: CPU above the threshold for the rule's minutes fires once
// (email and webhook), stays quiet while the breach lasts, and fires again
// after the cool-down; a server at rest or stopped clears it.
func TestCPUAlert(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.mustRule(panel.AlertRule{ServerID: 7, Kind: panel.AlertCPU, CPUPercent: 80, Minutes: 10, CooldownMinutes: 60,
		Email: true, WebhookURL: "https://discord.com/api/webhooks/1/abc"})
	e.mustRule(panel.AlertRule{ID: "other", ServerID: 8, Kind: panel.AlertCPU, CPUPercent: 80, Minutes: 5, Email: true})
	sample := func(cpu float64, running bool) {
		t.Helper()
		if _, err := e.ev.Sampled(ctx, e.now, []alerts.Reading{{ServerID: 7, Name: "web-1", Running: running, CPUPercent: cpu},
			{ServerID: 8, Running: true, CPUPercent: 5}}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name    string
		advance time.Duration
		cpu     float64
		running bool
		fires   int
	}{
		{"OKAboveStartsBreach", 0, 95, true, 0},
		{"OKAboveNotYetLongEnough", 5 * time.Minute, 95, true, 0},
		{"OKAboveLongEnoughFiresMailAndHook", 5 * time.Minute, 90, true, 2},
		{"OKStillAboveIsDeduplicated", 5 * time.Minute, 99, true, 0},
		{"OKStillAboveInCooldown", 40 * time.Minute, 99, true, 0},
		{"OKStillAboveAfterCooldownFiresAgain", 20 * time.Minute, 99, true, 2},
		{"OKBelowClears", 5 * time.Minute, 10, true, 0},
		{"OKStoppedStaysClear", 5 * time.Minute, 99, false, 0},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.now = e.now.Add(s.advance)
			sample(s.cpu, s.running)
			got := e.fired()
			if len(got) != s.fires {
				t.Fatalf("got %v fired, want %d", got, s.fires)
			}
			for _, id := range got {
				if !strings.Contains(id, "cpu1.") {
					t.Errorf("got %s, want only rule cpu1 to fire", id)
				}
				d, err := e.outbox.Delivery(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if d.Kind == panel.NotifyServerAlert && (d.Email != "u1@example.com" || !strings.Contains(d.Data["detail"], "above 80 %")) {
					t.Errorf("got %+v", d)
				}
				if d.Kind == panel.NotifyHookServerAlert && d.Data[panel.HookURLFact] != "https://discord.com/api/webhooks/1/abc" {
					t.Errorf("got hook data %v", d.Data)
				}
			}
		})
	}
}

// TestTrafficAlert: 80 % and 100 % each fire once per period; the traffic
// is read at most hourly per rule.
func TestTrafficAlert(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.mustRule(panel.AlertRule{ID: "t80", ServerID: 7, Kind: panel.AlertTraffic, TrafficPercent: 80, Email: true})
	e.mustRule(panel.AlertRule{ID: "t100", ServerID: 7, Kind: panel.AlertTraffic, TrafficPercent: 100, Email: true})
	used, reads := int64(0), 0
	period := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	e.ev.Traffic = func(context.Context, int64) (panel.TrafficPeriod, error) {
		reads++
		return panel.TrafficPeriod{TotalBytes: used, LimitGB: 100, Start: period, End: period.AddDate(0, 1, 0)}, nil
	}
	steps := []struct {
		name      string
		advance   time.Duration
		usedGB    int64
		newPeriod bool
		want      []string
		reads     int
	}{
		{"OKBelow", 0, 50, false, nil, 2},
		{"OKNotReadAgainWithinTheHour", 30 * time.Minute, 85, false, nil, 2},
		{"OKEightyFires", 30 * time.Minute, 85, false, []string{"t80."}, 4},
		{"OKEightyOncePerPeriod", time.Hour, 90, false, nil, 6},
		{"OKHundredFires", time.Hour, 101, false, []string{"t100."}, 8},
		{"OKNewPeriodBelow", time.Hour, 10, true, nil, 10},
		{"OKNewPeriodFiresAgain", time.Hour, 81, false, []string{"t80."}, 12},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.now = e.now.Add(s.advance)
			used = s.usedGB << 30
			if s.newPeriod {
				period = period.AddDate(0, 1, 0)
			}
			if _, err := e.ev.Sampled(ctx, e.now, []alerts.Reading{{ServerID: 7, Running: true}}); err != nil {
				t.Fatal(err)
			}
			got := e.fired()
			if len(got) != len(s.want) {
				t.Fatalf("got %v, want %v", got, s.want)
			}
			for i, w := range s.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("got %s, want %s…", got[i], w)
				}
			}
			if reads != s.reads {
				t.Errorf("got %d traffic reads, want %d", reads, s.reads)
			}
		})
	}
}

// TestStoppedAlert: a stop the customer did not ask for fires; one they
// asked for through the panel does not; the cool-down applies.
func TestStoppedAlert(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.mustRule(panel.AlertRule{ServerID: 7, Kind: panel.AlertStopped, Email: true, CooldownMinutes: 30})
	steps := []struct {
		name    string
		advance time.Duration
		expect  bool
		fires   int
	}{
		{"OKUnexpectedStopFires", 0, false, 1},
		{"OKAnotherWithinCooldownIsQuiet", 10 * time.Minute, false, 0},
		{"OKAskedForStopIsQuiet", 30 * time.Minute, true, 0},
		{"OKUnexpectedAfterCooldownFires", 10 * time.Minute, false, 1},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.now = e.now.Add(s.advance)
			if s.expect {
				if err := e.ev.ExpectStop(ctx, 7); err != nil {
					t.Fatal(err)
				}
				e.now = e.now.Add(time.Minute)
			}
			st, err := e.ev.Stopped(ctx, 7, "web-1", e.now)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.fired(); len(got) != s.fires || st.Fired != s.fires {
				t.Errorf("got %v (stats %+v), want %d", got, st, s.fires)
			}
		})
	}
}

// TestOverlappingRunsFireOnce: two evaluations racing on the same stored
// state fire one notification.
func TestOverlappingRunsFireOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.mustRule(panel.AlertRule{ServerID: 7, Kind: panel.AlertStopped, Email: true})
	a, err := e.store.AlertRules(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := e.store.AlertRules(ctx, 7)
	// Both copies carry the same version: the second save must conflict.
	a[0].LastFiredAt = e.now
	if err := e.store.SaveAlertState(ctx, a[0], nil); err != nil {
		t.Fatal(err)
	}
	b[0].LastFiredAt = e.now
	if err := e.store.SaveAlertState(ctx, b[0], nil); panel.ErrorCode(err) != panel.ECONFLICT {
		t.Errorf("got %v, want conflict", err)
	}
}
