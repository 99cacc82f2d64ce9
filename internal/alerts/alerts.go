// Package alerts evaluates customers' server alerts: CPU above a threshold
// for a while and traffic at 80 % / 100 % of the plan's limit (from the
// metrics sampler's run), and a server stopping without the customer
// asking (from VirtFusion's power webhooks).
//
// A rule fires once when its condition starts to hold (a breach). While
// the breach lasts it fires again only after its cool-down; a new breach
// within the cool-down of the last notification is not sent either, so a
// flapping server does not flood anyone. Traffic fires once per period and
// threshold. Each firing is one conditional write of the rule's state
// together with its notifications (email, and the customer's webhook when
// set) into the outbox, so overlapping runs never notify twice.
package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Users returns a panel user (ENOTFOUND). dynamo.Users implements it.
type Users interface {
	User(ctx context.Context, id string) (*panel.User, error)
}

// Evaluator evaluates and fires alert rules.
type Evaluator struct {
	Store panel.AlertStore
	Users Users
	// Traffic reads a server's current traffic period (one VirtFusion
	// call; LimitGB 0 is unmetered); nil: traffic rules are not evaluated.
	Traffic func(ctx context.Context, serverID int64) (panel.TrafficPeriod, error)
	Now     func() time.Time
}

func (e *Evaluator) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

// Reading is what one sample run saw of a server. Servers VirtFusion did
// not answer for are left out, so their rules keep their state.
type Reading struct {
	ServerID   int64
	Name       string
	Running    bool
	CPUPercent float64
}

// Stats count one evaluation.
type Stats struct {
	Rules, Fired, Failed int
}

// Sampled evaluates every enabled CPU rule against the run's readings and
// every traffic rule whose check is due, at time at.
func (e *Evaluator) Sampled(ctx context.Context, at time.Time, readings []Reading) (Stats, error) {
	rules, err := e.Store.AllAlertRules(ctx)
	if err != nil {
		return Stats{}, err
	}
	byServer := make(map[int64]Reading, len(readings))
	for _, r := range readings {
		byServer[r.ServerID] = r
	}
	var st Stats
	var errs []error
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		rd, seen := byServer[r.ServerID]
		if !seen {
			continue
		}
		var fire bool
		var detail string
		before := *r
		switch r.Kind {
		case panel.AlertCPU:
			fire, detail = cpu(r, rd, at)
		case panel.AlertTraffic:
			if e.Traffic == nil || !r.CheckedAt.IsZero() && at.Sub(r.CheckedAt) < panel.AlertTrafficCheckEvery {
				continue
			}
			t, terr := e.Traffic(ctx, r.ServerID)
			if terr != nil {
				slog.WarnContext(ctx, "alerts: traffic not read", "server", r.ServerID, "err", terr)
				continue
			}
			r.CheckedAt = at
			fire, detail = traffic(r, t)
		default:
			continue
		}
		st.Rules++
		if *r == before {
			continue
		}
		if err := e.save(ctx, r, fire, detail, rd.Name, at); err != nil {
			st.Failed++
			errs = append(errs, err)
			continue
		}
		if fire {
			st.Fired++
		}
	}
	return st, errors.Join(errs...)
}

// cpu updates a CPU rule from one reading and says whether it fires.
func cpu(r *panel.AlertRule, rd Reading, at time.Time) (bool, string) {
	above := rd.Running && rd.CPUPercent > float64(r.CPUPercent)
	if !above {
		r.BreachSince = time.Time{}
		return Decide(r, false, at), ""
	}
	if r.BreachSince.IsZero() {
		r.BreachSince = at
	}
	held := at.Sub(r.BreachSince)
	breaching := held >= time.Duration(r.Minutes)*time.Minute
	detail := fmt.Sprintf("CPU has been above %d %% for %d minutes (now %.0f %%).", r.CPUPercent, int(held.Minutes()), rd.CPUPercent)
	return Decide(r, breaching, at), detail
}

// traffic updates a traffic rule and says whether it fires: once per
// period and threshold, whatever the cool-down.
func traffic(r *panel.AlertRule, t panel.TrafficPeriod) (bool, string) {
	if t.LimitGB <= 0 {
		r.Firing = false
		return false, ""
	}
	limit := t.LimitGB << 30
	pct := float64(t.TotalBytes) * 100 / float64(limit)
	r.Firing = pct >= float64(r.TrafficPercent)
	key := t.Start.UTC().Format(time.RFC3339)
	if !r.Firing || r.FiredKey == key {
		return false, ""
	}
	r.FiredKey = key
	detail := fmt.Sprintf("Traffic this period is at %.0f %% of the limit (%s of %s); it resets %s.", pct,
		gb(t.TotalBytes), gb(limit), t.End.UTC().Format("2 Jan 2006"))
	if r.TrafficPercent >= 100 {
		detail += " Traffic over the limit may be throttled."
	}
	return true, detail
}

func gb(b int64) string { return strconv.FormatFloat(float64(b)/(1<<30), 'f', 1, 64) + " GB" }

// Decide applies the once-per-breach and cool-down rules to r at now,
// given whether the condition holds, and reports whether r fires (setting
// LastFiredAt then).
func Decide(r *panel.AlertRule, breaching bool, now time.Time) bool {
	if !breaching {
		r.Firing = false
		return false
	}
	cooled := r.LastFiredAt.IsZero() || now.Sub(r.LastFiredAt) >= r.Cooldown()
	r.Firing = true
	if !cooled {
		return false
	}
	r.LastFiredAt = now
	return true
}

// Stopped handles a server's stop reported by VirtFusion at at: its
// enabled stopped rules fire unless the customer asked the panel for the
// stop within panel.AlertStopExpectedFor.
func (e *Evaluator) Stopped(ctx context.Context, serverID int64, name string, at time.Time) (Stats, error) {
	rules, err := e.Store.AlertRules(ctx, serverID)
	if err != nil {
		return Stats{}, err
	}
	var st Stats
	var errs []error
	for _, r := range rules {
		if !r.Enabled || r.Kind != panel.AlertStopped {
			continue
		}
		st.Rules++
		expected := !r.ExpectStopUntil.IsZero() && !at.After(r.ExpectStopUntil)
		r.ExpectStopUntil = time.Time{}
		fire := !expected && Decide(r, true, at)
		r.Firing = false // an event, not a lasting condition
		detail := "The server stopped without a shutdown from this panel (a crash, an out-of-memory kill, or a stop from inside the server)."
		if err := e.save(ctx, r, fire, detail, name, at); err != nil {
			st.Failed++
			errs = append(errs, err)
			continue
		}
		if fire {
			st.Fired++
		}
	}
	return st, errors.Join(errs...)
}

// ExpectStop records that the customer asked the panel to stop the
// server, so the stop that follows does not alert.
func (e *Evaluator) ExpectStop(ctx context.Context, serverID int64) error {
	rules, err := e.Store.AlertRules(ctx, serverID)
	if err != nil {
		return err
	}
	until := e.now().Add(panel.AlertStopExpectedFor)
	var errs []error
	for _, r := range rules {
		if r.Kind != panel.AlertStopped || !r.Enabled {
			continue
		}
		r.ExpectStopUntil = until
		if err := e.Store.SaveAlertState(ctx, r, nil); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// save stores r's state with, when it fires, its notifications. A rule
// another run changed meanwhile is left to that run.
func (e *Evaluator) save(ctx context.Context, r *panel.AlertRule, fire bool, detail, name string, at time.Time) error {
	var out []panel.Notification
	if fire {
		r.LastDetail = detail
		var err error
		if out, err = e.notifications(ctx, r, detail, name, at); err != nil {
			return err
		}
	}
	err := e.Store.SaveAlertState(ctx, r, out)
	if panel.ErrorCode(err) == panel.ECONFLICT {
		slog.InfoContext(ctx, "alerts: rule changed meanwhile; left to the other run", "rule", r.ID)
		return nil
	}
	if err == nil && fire {
		slog.InfoContext(ctx, "alerts: fired", "rule", r.ID, "server", r.ServerID, "kind", r.Kind)
	}
	return err
}

// Titles of each kind's notification.
var titles = map[panel.AlertKind]string{
	panel.AlertCPU:     "high CPU",
	panel.AlertTraffic: "traffic",
	panel.AlertStopped: "server stopped",
}

// notifications builds a firing's messages: ids derive from the rule and
// the firing time, so a repeated write is refused by the outbox.
func (e *Evaluator) notifications(ctx context.Context, r *panel.AlertRule, detail, name string, at time.Time) ([]panel.Notification, error) {
	if name == "" {
		name = "server " + strconv.FormatInt(r.ServerID, 10)
	}
	title := titles[r.Kind]
	if r.Kind == panel.AlertTraffic {
		title = fmt.Sprintf("traffic at %d %%", r.TrafficPercent)
	}
	cause := r.ID + "." + strconv.FormatInt(at.Unix(), 10)
	data := func() map[string]string {
		return map[string]string{"server": name, "serverId": strconv.FormatInt(r.ServerID, 10), "alert": title, "detail": detail}
	}
	var out []panel.Notification
	if r.Email {
		u, err := e.Users.User(ctx, r.UserID)
		if err != nil {
			return nil, fmt.Errorf("alerts: owner of rule %s: %w", r.ID, err)
		}
		out = append(out, panel.Notification{ID: panel.NotificationID(panel.NotifyServerAlert, cause), Kind: panel.NotifyServerAlert,
			UserID: r.UserID, Email: u.Email, Name: u.Name, Data: data(), CreatedAt: at})
	}
	if r.WebhookURL != "" {
		d := data()
		d[panel.HookURLFact] = r.WebhookURL
		out = append(out, panel.Notification{ID: panel.NotificationID(panel.NotifyHookServerAlert, cause),
			Kind: panel.NotifyHookServerAlert, UserID: r.UserID, Data: d, CreatedAt: at})
	}
	return out, nil
}
