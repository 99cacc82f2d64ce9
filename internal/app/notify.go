package app

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/vfpanel/vfpanel/internal/api/notifications"

	"github.com/vfpanel/vfpanel/internal/betterstack"
	"github.com/vfpanel/vfpanel/internal/discord"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/hookpost"
	"github.com/vfpanel/vfpanel/internal/httpx"
	"github.com/vfpanel/vfpanel/internal/jobs"
	"github.com/vfpanel/vfpanel/internal/notify"
	"github.com/vfpanel/vfpanel/internal/routes"
	"github.com/vfpanel/vfpanel/internal/smtpmail"
)

// NotifySender builds the outbox sender from the configuration: SMTP mail,
// Discord for staff alerts when a webhook URL is set, the company's brand,
// and the session key for unsubscribe links.
func NotifySender(d *Deps) (*notify.Sender, error) {
	c := d.Config
	mailer, err := smtpmail.New(smtpmail.Settings{Host: c.SMTPHost, Port: c.SMTPPort, TLS: c.SMTPTLS,
		User: c.SMTPUser, Password: c.SMTPPassword, From: c.MailFrom})
	if err != nil {
		return nil, err
	}
	r, err := notify.NewRenderer(notify.Brand{Name: c.CompanyName, LogoURL: c.CompanyLogoURL, Color: c.CompanyColor,
		PublicURL: c.PublicURL})
	if err != nil {
		return nil, err
	}
	s := &notify.Sender{Outbox: dynamo.NewOutbox(d.Store), Renderer: r, Mail: mailer,
		UnsubscribeKey: []byte(c.SessionKey), PublicURL: c.PublicURL, IDFromPK: dynamo.OutboxIDFromPK,
		Now: d.Store.Clock, Hooks: hookpost.New(c.CompanyName, c.Stage == "local")}
	// Support tickets also reach the bootstrap admins by mail.
	s.StaffEmails = c.AdminEmails
	if c.DiscordWebhookURL != "" {
		s.Staff = discord.New(c.DiscordWebhookURL, c.CompanyName)
	}
	return s, nil
}

// Notify builds the notify function's handler: the table's stream,
// filtered to INSERTs of outbox items, in; batch item failures out.
func Notify(d *Deps) (StreamHandler, error) {
	s, err := NotifySender(d)
	if err != nil {
		return nil, err
	}
	return WithHeartbeat(s.HandleStream, betterstack.Heartbeat{URL: d.Config.NotifyHeartbeatURL}), nil
}

// Heartbeat is an uptime monitor's heartbeat (betterstack.Heartbeat).
type Heartbeat = jobs.Heartbeat

// WithHeartbeat beats hb after each batch handled in full (no error, no
// item left to retry), so the monitor hears of a notify function that
// keeps failing. An unreachable heartbeat is only logged.
func WithHeartbeat(h StreamHandler, hb Heartbeat) StreamHandler {
	return func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		resp, err := h(ctx, ev)
		if err == nil && len(resp.BatchItemFailures) == 0 {
			if e := hb.Beat(ctx); e != nil {
				slog.WarnContext(ctx, "notify: heartbeat not delivered", "err", e)
			}
		}
		return resp, err
	}
}

// NotifySweepBatch is how many due messages one sweep handles.
const NotifySweepBatch = 200

// NotifySweep delivers messages whose retry is due; each jobs run calls it.
func NotifySweep(ctx context.Context, s *notify.Sender) error {
	st, err := s.Sweep(ctx, NotifySweepBatch)
	slog.Info("notify sweep", "due", st.Due, "sent", st.Sent, "retry", st.Retry, "failed", st.Failed,
		"skipped", st.Skipped, "none", st.None, "err", err)
	return err
}

// notificationHandlers returns the notifications handlers (preferences,
// mail history, unsubscribe, admins' failed list) that the route table
// gives function.
func notificationHandlers(d *Deps, function string) httpx.Handlers {
	all := notifications.Handlers(notifications.Deps{Outbox: dynamo.NewOutbox(d.Store),
		UnsubscribeKey: []byte(d.Config.SessionKey), CompanyName: d.Config.CompanyName})
	out := httpx.Handlers{}
	for _, rt := range routes.ForFunction(function) {
		if h, ok := all[rt.Pattern()]; ok {
			out[rt.Pattern()] = h
		}
	}
	return out
}

// withHandlers adds more to hs (the patterns are distinct by the route table).
func withHandlers(hs httpx.Handlers, more httpx.Handlers) httpx.Handlers {
	for p, h := range more {
		hs[p] = h
	}
	return hs
}
