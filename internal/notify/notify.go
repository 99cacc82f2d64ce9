// Package notify sends vfpanel's notifications from the transactional
// outbox: customer mail over SMTP and staff alerts to Discord. The notify
// function feeds it the table's stream (INSERTs of outbox items); the jobs
// schedule runs Sweep for retries and anything the stream path missed.
//
// Exactly-once is the outbox's conditional claim: a message moves
// queued → sending (with a lease) → sent in DynamoDB, and only the caller
// whose claim succeeded sends. A re-delivered stream record, a second
// handler run or a concurrent sweep finds the message claimed or sent and
// sends nothing. The one gap is a crash between the SMTP/Discord send and
// recording it: the lease then expires and the message is sent again, with
// the same Message-ID header so mail clients can tell.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/vfpanel/vfpanel/internal/panel"
)

// Defaults of a Sender.
const (
	DefaultMaxAttempts = 6
	DefaultLease       = 2 * time.Minute
)

// DefaultBackoff waits 1 min, 5 min, 30 min, 2 h, then 6 h between attempts.
func DefaultBackoff(attempt int) time.Duration {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}
	return steps[min(max(attempt, 1), len(steps))-1]
}

// Sender delivers outbox messages.
type Sender struct {
	Outbox   panel.Outbox
	Renderer *Renderer
	Mail     panel.Mailer
	Staff    panel.StaffNotifier // nil: staff alerts are skipped (no Discord webhook set up)
	Hooks    panel.HookPoster    // nil: customer webhook notifications are skipped
	// StaffEmails also get, by mail, the staff kinds that need an answer
	// (panel.NotificationKind.StaffMail: support tickets).
	StaffEmails []string
	// UnsubscribeKey signs one-click unsubscribe links (the session key).
	UnsubscribeKey []byte
	PublicURL      string
	// IDFromPK maps a stream record's partition key to a message id, false
	// for items that are not outbox messages (dynamo.OutboxIDFromPK).
	IDFromPK    func(pk string) (string, bool)
	MaxAttempts int                             // DefaultMaxAttempts when 0
	Backoff     func(attempt int) time.Duration // DefaultBackoff when nil
	Lease       time.Duration                   // DefaultLease when 0
	Now         func() time.Time
	Log         *slog.Logger
}

// Outcome is what one Deliver did.
type Outcome string

// Outcomes of Deliver.
const (
	OutcomeSent    Outcome = "sent"
	OutcomeRetry   Outcome = "retry"   // attempt failed; queued for a later one
	OutcomeFailed  Outcome = "failed"  // attempt failed for the last time
	OutcomeSkipped Outcome = "skipped" // not sent on purpose
	OutcomeNone    Outcome = "none"    // not due, already sent, or claimed by another sender
)

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Deliver sends one message if it is due and nobody else has it. The error
// is only for storage trouble (the message's state could not be read or
// recorded); a failed send is recorded on the message and is not an error.
func (s *Sender) Deliver(ctx context.Context, id string) (Outcome, error) {
	lease := s.Lease
	if lease == 0 {
		lease = DefaultLease
	}
	d, err := s.Outbox.Claim(ctx, id, lease)
	switch panel.ErrorCode(err) {
	case "":
	case panel.ECONFLICT, panel.ENOTFOUND:
		return OutcomeNone, nil
	default:
		return "", fmt.Errorf("notify: claim %s: %w", id, err)
	}
	if !d.Kind.Staff() && !d.Kind.Essential() && d.UserID != "" {
		prefs, err := s.Outbox.Prefs(ctx, d.UserID)
		if err != nil {
			return "", s.release(ctx, d, err)
		}
		if prefs.NonEssentialOff {
			if err := s.Outbox.MarkSkipped(ctx, id, "The customer turned off non-essential mail."); err != nil {
				return "", fmt.Errorf("notify: mark %s skipped: %w", id, err)
			}
			return OutcomeSkipped, nil
		}
	}
	if d.Kind.Staff() && s.Staff == nil && !s.staffMail(d.Kind) || d.Kind.Hook() && s.Hooks == nil {
		if err := s.Outbox.MarkSkipped(ctx, id, "No webhook is set up for this notification."); err != nil {
			return "", fmt.Errorf("notify: mark %s skipped: %w", id, err)
		}
		return OutcomeSkipped, nil
	}
	subject, sendErr := s.send(ctx, d)
	if sendErr == nil {
		if err := s.record(ctx, func() error { return s.Outbox.MarkSent(ctx, id, subject) }); err != nil {
			return "", fmt.Errorf("notify: mark %s sent: %w", id, err)
		}
		s.log().Info("notification sent", "id", id, "kind", d.Kind, "attempt", d.Attempts)
		return OutcomeSent, nil
	}
	return s.failed(ctx, d, sendErr)
}

// release gives a claimed message back after a storage error, as a failed
// attempt, so it comes due again.
func (s *Sender) release(ctx context.Context, d *panel.Delivery, cause error) error {
	_, err := s.failed(ctx, d, cause)
	return errors.Join(fmt.Errorf("notify: %s: %w", d.ID, cause), err)
}

// failed records a failed attempt: retried after a backoff (or the
// channel's Retry-After), or final after the last attempt or a permanent
// refusal.
func (s *Sender) failed(ctx context.Context, d *panel.Delivery, sendErr error) (Outcome, error) {
	maxAttempts := s.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = DefaultMaxAttempts
	}
	backoff := s.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	final := d.Attempts >= maxAttempts || panel.ErrorCode(sendErr) == panel.EINVALID
	wait := backoff(d.Attempts)
	var pe *panel.Error
	if errors.As(sendErr, &pe) && pe.RetryAfter > 0 && time.Duration(pe.RetryAfter)*time.Second > wait {
		wait = time.Duration(pe.RetryAfter) * time.Second
	}
	reason := sendErr.Error()
	if len(reason) > 500 {
		reason = reason[:500]
	}
	err := s.record(ctx, func() error { return s.Outbox.MarkAttemptFailed(ctx, d.ID, reason, s.now().Add(wait), final) })
	if err != nil {
		return "", fmt.Errorf("notify: record failed attempt of %s: %w", d.ID, err)
	}
	s.log().Warn("notification attempt failed", "id", d.ID, "kind", d.Kind, "attempt", d.Attempts, "final", final,
		"retryIn", wait.String(), "err", sendErr)
	if final {
		return OutcomeFailed, nil
	}
	return OutcomeRetry, nil
}

// record retries a state write a few times: the send already happened,
// so losing the record would send the message again after the lease.
func (s *Sender) record(ctx context.Context, write func() error) error {
	var err error
	for i := range 3 {
		if err = write(); err == nil || panel.ErrorCode(err) == panel.ECONFLICT {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(i+1) * 100 * time.Millisecond):
		}
	}
	return err
}

func (s *Sender) send(ctx context.Context, d *panel.Delivery) (string, error) {
	unsubscribe := ""
	if !d.Kind.Staff() && !d.Kind.Essential() && d.UserID != "" && len(s.UnsubscribeKey) > 0 {
		unsubscribe = UnsubscribeURL(s.PublicURL, s.UnsubscribeKey, d.UserID)
	}
	r, err := s.Renderer.Render(&d.Notification, unsubscribe)
	if err != nil {
		return "", err
	}
	if d.Kind.Staff() {
		return r.Subject, s.sendStaff(ctx, d, r)
	}
	if d.Kind.Hook() {
		a := &panel.StaffAlert{Title: r.Subject, Description: r.Text, At: d.CreatedAt, URL: s.PublicURL, Color: s.color()}
		return r.Subject, s.Hooks.PostHook(ctx, d.Data[panel.HookURLFact], a)
	}
	e := &panel.Email{To: d.Email, ToName: d.Name, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		MessageID: MessageID(d.ID, s.PublicURL), Headers: map[string]string{"X-Vfpanel-Notification": d.ID}}
	if unsubscribe != "" {
		// RFC 2369 and RFC 8058 one-click unsubscribe.
		e.Headers["List-Unsubscribe"] = "<" + unsubscribe + ">"
		e.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
	}
	return r.Subject, s.Mail.SendMail(ctx, e)
}

func (s *Sender) staffMail(k panel.NotificationKind) bool {
	return k.StaffMail() && len(s.StaffEmails) > 0
}

// sendStaff posts a staff alert to Discord and, for kinds that need an
// answer, mails it to each staff address (plain text, a Message-ID per
// address so a retry is recognisable as the same mail).
func (s *Sender) sendStaff(ctx context.Context, d *panel.Delivery, r *Rendered) error {
	if s.Staff != nil {
		if err := s.Staff.NotifyStaff(ctx, s.alert(d, r)); err != nil {
			return err
		}
	}
	if !s.staffMail(d.Kind) {
		return nil
	}
	for _, to := range s.StaffEmails {
		e := &panel.Email{To: to, Subject: r.Subject, Text: r.Text, MessageID: MessageID(d.ID+":"+to, s.PublicURL),
			Headers: map[string]string{"X-Vfpanel-Notification": d.ID}}
		if err := s.Mail.SendMail(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sender) alert(d *panel.Delivery, r *Rendered) *panel.StaffAlert {
	a := &panel.StaffAlert{Title: r.Subject, Description: r.Text, At: d.CreatedAt, URL: s.PublicURL + "/admin"}
	switch {
	case d.Data["ticketId"] != "":
		a.URL = s.PublicURL + "/admin/tickets/" + url.PathEscape(d.Data["ticketId"])
	case d.UserID != "":
		a.URL = s.PublicURL + "/admin/users/" + url.PathEscape(d.UserID)
	}
	a.Color = s.color()
	keys := make([]string, 0, len(d.Data))
	for k := range d.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a.Fields = append(a.Fields, panel.StaffField{Name: k, Value: d.Data[k]})
	}
	return a
}

// color is the brand colour as 0xRRGGBB (0 when not set).
func (s *Sender) color() int {
	c, err := strconv.ParseUint(strings.TrimPrefix(s.Renderer.brand.Color, "#"), 16, 32)
	if err != nil {
		return 0
	}
	return int(c)
}

// MessageID is the Message-ID of a notification's mail: the same on every
// attempt, and free of the characters a message id may contain.
func MessageID(id, publicURL string) string {
	sum := sha256.Sum256([]byte(id))
	host := "vfpanel.invalid"
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "notify." + hex.EncodeToString(sum[:16]) + "@" + host
}

// HandleStream is the notify function's handler: it delivers the message
// of each INSERT of an outbox item and reports as batch item failures only
// the records whose state could not be read or recorded, so Lambda retries
// just those (a failed send is recorded and retried by Sweep instead).
func (s *Sender) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	var resp events.DynamoDBEventResponse
	for _, rec := range ev.Records {
		if rec.EventName != string(events.DynamoDBOperationTypeInsert) {
			continue
		}
		pk, ok := rec.Change.Keys["PK"]
		if !ok || pk.DataType() != events.DataTypeString {
			continue
		}
		id, ok := s.IDFromPK(pk.String())
		if !ok {
			continue
		}
		if _, err := s.Deliver(ctx, id); err != nil {
			s.log().Error("notification not delivered", "id", id, "err", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return resp, nil
}

// SweepStats count what one Sweep did.
type SweepStats struct {
	Due, Sent, Retry, Failed, Skipped, None int
}

// Sweep delivers up to limit messages whose next attempt or lease is due.
func (s *Sender) Sweep(ctx context.Context, limit int) (SweepStats, error) {
	var st SweepStats
	ids, err := s.Outbox.Due(ctx, limit)
	if err != nil {
		return st, err
	}
	st.Due = len(ids)
	var errs []error
	for _, id := range ids {
		out, err := s.Deliver(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch out {
		case OutcomeSent:
			st.Sent++
		case OutcomeRetry:
			st.Retry++
		case OutcomeFailed:
			st.Failed++
		case OutcomeSkipped:
			st.Skipped++
		default:
			st.None++
		}
	}
	return st, errors.Join(errs...)
}
