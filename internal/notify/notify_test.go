package notify_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vfpanel/vfpanel/internal/ddbstream"
	"github.com/vfpanel/vfpanel/internal/discord"
	"github.com/vfpanel/vfpanel/internal/dynamo"
	"github.com/vfpanel/vfpanel/internal/dynamotest"
	"github.com/vfpanel/vfpanel/internal/mailpittest"
	"github.com/vfpanel/vfpanel/internal/notify"
	"github.com/vfpanel/vfpanel/internal/panel"
	simdiscord "github.com/vfpanel/vfpanel/internal/sim/discord"
	"github.com/vfpanel/vfpanel/internal/smtpmail"
)

const publicURL = "https://panel.acme.example"

var unsubKey = []byte("test-session-key-test-session-key")

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type env struct {
	store   dynamo.Store
	outbox  *dynamo.Outbox
	mailpit *mailpittest.Server
	mailer  *smtpmail.Mailer
	discord *simdiscord.Sim
	sender  *notify.Sender
	clk     *clock
	seq     int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := dynamotest.NewTable(t)
	clk := &clock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	st := dynamo.NewStore(db, table)
	st.Now = clk.Now
	mp := mailpittest.Shared(t)
	mailer, err := smtpmail.New(smtpmail.Settings{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none",
		From: "Acme Hosting <billing@acme.example>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sim := simdiscord.New()
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	dc := discord.New(srv.URL+sim.NewWebhook(), "vfpanel")
	dc.Sleep = func(context.Context, time.Duration) error { return nil }
	r, err := notify.NewRenderer(notify.Brand{Name: "Acme Hosting", Color: "#ff5500", PublicURL: publicURL})
	if err != nil {
		t.Fatal(err)
	}
	o := dynamo.NewOutbox(st)
	s := &notify.Sender{Outbox: o, Renderer: r, Mail: mailer, Staff: dc, UnsubscribeKey: unsubKey,
		PublicURL: publicURL, IDFromPK: dynamo.OutboxIDFromPK, Now: clk.Now}
	return &env{store: st, outbox: o, mailpit: mp, mailer: mailer, discord: sim, sender: s, clk: clk}
}

// recipient is an address no other test uses, so counts in the shared
// Mailpit are this test's own.
func recipient() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "ann-" + hex.EncodeToString(b[:]) + "@example.test"
}

// enqueue writes n the way an event does, in one transaction with the
// event's own item, and returns the stream record Lambda would deliver.
func (e *env) enqueue(t *testing.T, n panel.Notification) events.DynamoDBEventRecord {
	t.Helper()
	w, err := dynamo.OutboxPut(e.store.Table, n)
	if err != nil {
		t.Fatal(err)
	}
	cond := "attribute_not_exists(PK)"
	cause := types.TransactWriteItem{Put: &types.Put{TableName: &e.store.Table, Item: dynamo.Key("EVENT#"+n.ID, "META"),
		ConditionExpression: &cond}}
	if _, err := e.store.DB.TransactWriteItems(context.Background(), &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{cause, w}}); err != nil {
		t.Fatal(err)
	}
	e.seq++
	return events.DynamoDBEventRecord{EventName: "INSERT", EventSource: "aws:dynamodb",
		Change: events.DynamoDBStreamRecord{SequenceNumber: strings.Repeat("0", 20) + string(rune('0'+e.seq%10)) + n.ID,
			Keys: map[string]events.DynamoDBAttributeValue{"PK": events.NewStringAttribute(dynamo.OutboxPKPrefix + n.ID),
				"SK": events.NewStringAttribute("META")}, StreamViewType: "NEW_IMAGE"}}
}

func (e *env) handle(t *testing.T, recs ...events.DynamoDBEventRecord) events.DynamoDBEventResponse {
	t.Helper()
	resp, err := e.sender.HandleStream(context.Background(), events.DynamoDBEvent{Records: recs})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func (e *env) sweep(t *testing.T) notify.SweepStats {
	t.Helper()
	st, err := e.sender.Sweep(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (e *env) state(t *testing.T, id string) *panel.Delivery {
	t.Helper()
	d, err := e.outbox.Delivery(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func note(k panel.NotificationKind, cause, to string, data map[string]string, at time.Time) panel.Notification {
	n := panel.Notification{ID: panel.NotificationID(k, cause), Kind: k, Data: data, CreatedAt: at}
	if !k.Staff() {
		n.UserID, n.Email, n.Name = "u_"+strings.Split(to, "@")[0], to, "Ann"
	}
	return n
}

func topup(cause, to string, at time.Time) panel.Notification {
	return note(panel.NotifyTopupCredited, cause, to, map[string]string{"amount": "$25.00", "balance": "$30.00", "reference": cause}, at)
}

func TestEachCustomerEventSendsOneMail(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		kind    panel.NotificationKind
		data    map[string]string
		subject string
		facts   []string
	}{
		{panel.NotifyWelcome, nil, "Welcome to Acme Hosting", []string{publicURL + "/deploy"}},
		{panel.NotifyNewDevice, map[string]string{"ip": "203.0.113.9", "device": "Firefox on Linux", "at": "1 Dec 2026 10:00 UTC"}, "New sign-in to your Acme Hosting account", []string{"203.0.113.9"}},
		{panel.NotifyTopupCredited, map[string]string{"amount": "$25.00", "balance": "$30.00", "reference": "TP-1"}, "Top-up of $25.00 received", []string{"$30.00", "TP-1"}},
		{panel.NotifyRefundDebited, map[string]string{"amount": "$10.00", "balance": "$5.00", "reason": "PayPal refund"}, "$10.00 was debited from your balance", []string{"PayPal refund"}},
		{panel.NotifyOrderBuilt, map[string]string{"serverId": "42", "serverName": "web-1", "ip": "198.51.100.7", "username": "root", "login": "ssh-key"}, "Your server web-1 is ready", []string{"198.51.100.7", publicURL + "/servers/42"}},
		{panel.NotifyBuildFailed, map[string]string{"serverName": "web-2", "refund": "$1.20"}, "We could not build web-2", []string{"$1.20"}},
		{panel.NotifyLowBalance, map[string]string{"hours": "24", "balance": "$1.10", "runsOutAt": "2 Dec 2026 10:00 UTC"}, "Your balance runs out in about 24 hours", []string{"$1.10"}},
		{panel.NotifySuspended, map[string]string{"balance": "-$0.40", "deleteAt": "8 Dec 2026"}, "Your servers are suspended", []string{"8 Dec 2026"}},
		{panel.NotifyUnsuspended, map[string]string{"balance": "$20.00"}, "Your servers are running again", []string{"$20.00"}},
		{panel.NotifyDeletionScheduled, map[string]string{"balance": "-$2.00", "deleteAt": "8 Dec 2026"}, "Final notice: your servers will be deleted on 8 Dec 2026", []string{"-$2.00"}},
		{panel.NotifyDeleted, map[string]string{"serverName": "web-3", "reason": "unpaid balance"}, "Your server web-3 was deleted", []string{"unpaid balance"}},
		{panel.NotifyStatementReady, map[string]string{"month": "November 2026"}, "Your statement for November 2026", []string{publicURL + "/billing"}},
		{panel.NotifyTicketReply, map[string]string{"ticketId": "t_1", "subject": "Disk full", "author": "Sam", "excerpt": "We grew the disk."},
			"New reply to your ticket: Disk full", []string{"We grew the disk.", publicURL + "/support/t_1"}},
		{panel.NotifyTicketClosed, map[string]string{"ticketId": "t_1", "subject": "Disk full"}, "Ticket closed: Disk full",
			[]string{publicURL + "/support/t_1"}},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			to := recipient()
			n := note(c.kind, "evt1", to, c.data, e.clk.Now())
			rec := e.enqueue(t, n)
			// The stream delivers the record, then re-delivers it, and two
			// more invocations race on it.
			e.handle(t, rec)
			e.handle(t, rec)
			var wg sync.WaitGroup
			for range 2 {
				wg.Go(func() {
					_, _ = e.sender.HandleStream(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec}})
				})
			}
			wg.Wait()
			if st := e.sweep(t); st.Sent != 0 {
				t.Errorf("sweep sent %d more", st.Sent)
			}
			got := e.mailpit.To(t, to)
			if len(got) != 1 {
				t.Fatalf("got %d mails to %s, want 1", len(got), to)
			}
			m := e.mailpit.Message(t, got[0].ID)
			if m.Subject != c.subject || m.From.Address != "billing@acme.example" || m.To[0].Name != "Ann" {
				t.Errorf("got subject %q from %v to %v", m.Subject, m.From, m.To)
			}
			if m.MessageID != notify.MessageID(n.ID, publicURL) {
				t.Errorf("message id %q, want %q", m.MessageID, notify.MessageID(n.ID, publicURL))
			}
			for _, f := range c.facts {
				if !strings.Contains(m.Text, f) || !strings.Contains(m.HTML, f) {
					t.Errorf("mail lacks %q", f)
				}
			}
			if d := e.state(t, n.ID); d.State != panel.DeliverySent || d.Attempts != 1 || d.Subject != c.subject {
				t.Errorf("state %+v", d)
			}
		})
	}
}

func TestEachStaffEventPostsOnce(t *testing.T) {
	e := newEnv(t)
	kinds := map[panel.NotificationKind]map[string]string{
		panel.NotifyStaffSignup:         {"email": "ann@example.com"},
		panel.NotifyStaffTopup:          {"email": "ann@example.com", "amount": "$25.00"},
		panel.NotifyStaffOrder:          {"email": "ann@example.com", "serverName": "web-1", "package": "S-1"},
		panel.NotifyStaffBuildFailed:    {"email": "ann@example.com", "serverName": "web-2", "error": "no capacity"},
		panel.NotifyStaffBillingError:   {"run": "2026-12-01T10", "errors": "3", "first": "timeout"},
		panel.NotifyStaffWebhookFailure: {"source": "paypal", "eventId": "WH-1", "error": "bad signature"},
	}
	var recs []events.DynamoDBEventRecord
	for k, data := range kinds {
		recs = append(recs, e.enqueue(t, note(k, "evt1", "", data, e.clk.Now())))
	}
	e.handle(t, recs...)
	e.handle(t, recs...)
	e.sweep(t)
	posts := e.discord.Posts()
	if len(posts) != len(kinds) {
		t.Fatalf("got %d posts, want %d", len(posts), len(kinds))
	}
	titles := map[string]bool{}
	for _, p := range posts {
		em := p.Body.Embeds[0]
		titles[em.Title] = true
		if em.Color == nil || *em.Color != 0xff5500 || em.Description == "" || len(em.Fields) == 0 {
			t.Errorf("embed %+v", em)
		}
	}
	for _, want := range []string{"New sign-up", "Top-up $25.00", "New order: web-1", "Build failed: web-2",
		"Billing run 2026-12-01T10: 3 errors", "Webhook failed: paypal"} {
		if !titles[want] {
			t.Errorf("no post titled %q", want)
		}
	}
}

// TestTicketStaffAlertsPostAndMail: a new ticket and a customer's reply
// reach staff on Discord (linking the ticket) and by mail to each staff
// address, once each however often the stream delivers them.
func TestTicketStaffAlertsPostAndMail(t *testing.T) {
	e := newEnv(t)
	sam, kim := recipient(), recipient()
	e.sender.StaffEmails = []string{sam, kim}
	data := map[string]string{"ticketId": "t_1", "subject": "Disk full", "email": "ann@example.com",
		"category": "technical", "priority": "high", "excerpt": "web-1 is full"}
	recs := []events.DynamoDBEventRecord{
		e.enqueue(t, note(panel.NotifyStaffTicketNew, "t_1", "", data, e.clk.Now())),
		e.enqueue(t, note(panel.NotifyStaffTicketReply, "m_2", "", map[string]string{"ticketId": "t_1",
			"subject": "Disk full", "email": "ann@example.com", "excerpt": "still full"}, e.clk.Now())),
	}
	e.handle(t, recs...)
	e.handle(t, recs...)
	e.sweep(t)
	posts := e.discord.Posts()
	if len(posts) != 2 {
		t.Fatalf("got %d Discord posts, want 2", len(posts))
	}
	for _, p := range posts {
		if em := p.Body.Embeds[0]; em.URL != publicURL+"/admin/tickets/t_1" {
			t.Errorf("embed url %q", em.URL)
		}
	}
	for _, to := range []string{sam, kim} {
		got := e.mailpit.To(t, to)
		if len(got) != 2 {
			t.Fatalf("got %d mails to %s, want 2", len(got), to)
		}
		subjects := map[string]bool{}
		for _, g := range got {
			m := e.mailpit.Message(t, g.ID)
			subjects[m.Subject] = true
			if !strings.Contains(m.Text, publicURL+"/admin/tickets/t_1") {
				t.Errorf("mail %q lacks the ticket link: %s", m.Subject, m.Text)
			}
		}
		if !subjects["New high technical ticket: Disk full"] || !subjects["Customer reply: Disk full"] {
			t.Errorf("subjects %v", subjects)
		}
	}
	t.Run("WithoutDiscordStillMails", func(t *testing.T) {
		e := newEnv(t)
		to := recipient()
		e.sender.Staff, e.sender.StaffEmails = nil, []string{to}
		n := note(panel.NotifyStaffTicketNew, "t_9", "", data, e.clk.Now())
		e.handle(t, e.enqueue(t, n))
		if d := e.state(t, n.ID); d.State != panel.DeliverySent || len(e.mailpit.To(t, to)) != 1 {
			t.Fatalf("got %+v and %d mails", d, len(e.mailpit.To(t, to)))
		}
	})
}

func TestSMTPFailsThenRecovers(t *testing.T) {
	e := newEnv(t)
	to := recipient()
	n := topup("TP-fail", to, e.clk.Now())
	rec := e.enqueue(t, n)

	e.mailpit.FailSMTP(t, 451)
	defer e.mailpit.FailSMTP(t, 0)
	if resp := e.handle(t, rec); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("a recorded send failure was reported to Lambda: %+v", resp)
	}
	d := e.state(t, n.ID)
	if d.State != panel.DeliveryQueued || d.Attempts != 1 || !strings.Contains(d.LastError, "451") ||
		!d.NextAttemptAt.Equal(e.clk.Now().Add(time.Minute)) {
		t.Fatalf("after a 451: %+v", d)
	}
	// Re-delivery and a sweep before the backoff ends send nothing.
	e.handle(t, rec)
	if st := e.sweep(t); st.Due != 0 {
		t.Fatalf("due before backoff: %+v", st)
	}
	e.mailpit.FailSMTP(t, 0)
	e.clk.Add(time.Minute)
	if st := e.sweep(t); st.Sent != 1 {
		t.Fatalf("sweep after recovery: %+v", st)
	}
	e.handle(t, rec)
	e.sweep(t)
	if got := e.mailpit.To(t, to); len(got) != 1 {
		t.Fatalf("got %d mails, want 1", len(got))
	}
	if d := e.state(t, n.ID); d.State != panel.DeliverySent || d.Attempts != 2 {
		t.Errorf("state %+v", d)
	}
}

func TestSMTPDownThenBack(t *testing.T) {
	e := newEnv(t)
	port, err := mailpittest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	down, err := smtpmail.New(smtpmail.Settings{Host: "127.0.0.1", Port: port, TLS: "none", From: "billing@acme.example", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e.sender.Mail = down
	to := recipient()
	var recs []events.DynamoDBEventRecord
	for _, c := range []string{"A", "B", "C"} {
		recs = append(recs, e.enqueue(t, topup("TP-"+c, to, e.clk.Now())))
	}
	e.handle(t, recs...)
	e.clk.Add(time.Minute)
	if st := e.sweep(t); st.Retry != 3 {
		t.Fatalf("second attempt while down: %+v", st)
	}
	e.sender.Mail = e.mailer
	e.clk.Add(5 * time.Minute)
	if st := e.sweep(t); st.Sent != 3 {
		t.Fatalf("sweep when back: %+v", st)
	}
	e.clk.Add(time.Hour)
	e.handle(t, recs...)
	e.sweep(t)
	got := e.mailpit.To(t, to)
	if len(got) != 3 {
		t.Fatalf("got %d mails, want 3", len(got))
	}
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m.MessageID] {
			t.Errorf("sent twice: %s", m.MessageID)
		}
		seen[m.MessageID] = true
	}
}

func TestGivesUpThenAdminRetry(t *testing.T) {
	e := newEnv(t)
	e.sender.MaxAttempts = 2
	to := recipient()
	n := topup("TP-gu", to, e.clk.Now())
	rec := e.enqueue(t, n)
	e.mailpit.FailSMTP(t, 451)
	defer e.mailpit.FailSMTP(t, 0)
	e.handle(t, rec)
	e.clk.Add(time.Minute)
	if st := e.sweep(t); st.Failed != 1 {
		t.Fatalf("last attempt: %+v", st)
	}
	failed, _, err := e.outbox.Failed(context.Background(), "", 10)
	if err != nil || len(failed) != 1 || failed[0].ID != n.ID || !strings.Contains(failed[0].LastError, "451") {
		t.Fatalf("failed list %+v %v", failed, err)
	}
	e.mailpit.FailSMTP(t, 0)
	e.clk.Add(24 * time.Hour)
	if st := e.sweep(t); st.Due != 0 {
		t.Fatalf("a failed message came due: %+v", st)
	}
	if err := e.outbox.Retry(context.Background(), n.ID); err != nil {
		t.Fatal(err)
	}
	if st := e.sweep(t); st.Sent != 1 {
		t.Fatalf("after retry: %+v", st)
	}
	if got := e.mailpit.To(t, to); len(got) != 1 {
		t.Fatalf("got %d mails, want 1", len(got))
	}
}

func TestPermanentRejectFailsAtOnce(t *testing.T) {
	e := newEnv(t)
	n := topup("TP-550", recipient(), e.clk.Now())
	rec := e.enqueue(t, n)
	e.mailpit.FailSMTP(t, 550)
	defer e.mailpit.FailSMTP(t, 0)
	e.handle(t, rec)
	if d := e.state(t, n.ID); d.State != panel.DeliveryFailed || d.Attempts != 1 {
		t.Fatalf("got %+v", d)
	}
}

func TestPreferencesAndUnsubscribe(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	t.Run("NonEssentialCarriesOneClickUnsubscribe", func(t *testing.T) {
		to := recipient()
		n := topup("TP-u", to, e.clk.Now())
		e.handle(t, e.enqueue(t, n))
		got := e.mailpit.To(t, to)
		if len(got) != 1 {
			t.Fatalf("got %d mails", len(got))
		}
		h := e.mailpit.Headers(t, got[0].ID)
		if len(h["List-Unsubscribe-Post"]) != 1 || h["List-Unsubscribe-Post"][0] != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %v", h["List-Unsubscribe-Post"])
		}
		if len(h["List-Unsubscribe"]) != 1 {
			t.Fatalf("List-Unsubscribe %v", h["List-Unsubscribe"])
		}
		u, err := url.Parse(strings.Trim(h["List-Unsubscribe"][0], "<>"))
		if err != nil || !strings.HasPrefix(u.String(), publicURL+notify.UnsubscribePath) ||
			u.Query().Get("u") != n.UserID || !notify.VerifyUnsubscribe(unsubKey, n.UserID, u.Query().Get("t")) {
			t.Errorf("unsubscribe link %q does not verify", h["List-Unsubscribe"][0])
		}
	})
	t.Run("OptedOutGetsOnlyEssentialMail", func(t *testing.T) {
		to := recipient()
		nonEssential := topup("TP-o", to, e.clk.Now())
		essential := note(panel.NotifyLowBalance, "72h-1", to, map[string]string{"hours": "72", "balance": "$3.00", "runsOutAt": "4 Dec"}, e.clk.Now())
		if err := e.outbox.SetPrefs(ctx, nonEssential.UserID, panel.NotificationPrefs{NonEssentialOff: true}); err != nil {
			t.Fatal(err)
		}
		e.handle(t, e.enqueue(t, nonEssential), e.enqueue(t, essential))
		got := e.mailpit.To(t, to)
		if len(got) != 1 || got[0].Subject != "Your balance runs out in about 72 hours" {
			t.Fatalf("got %+v, want only the low-balance mail", got)
		}
		if h := e.mailpit.Headers(t, got[0].ID); len(h["List-Unsubscribe"]) != 0 {
			t.Errorf("essential mail has List-Unsubscribe")
		}
		if d := e.state(t, nonEssential.ID); d.State != panel.DeliverySkipped {
			t.Errorf("opted-out mail state %q, want skipped", d.State)
		}
	})
}

// Discord's 429 body asks the client to wait retry_after seconds
// (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit);
// longer than the client waits inline, the outbox schedules the retry then.
func TestStaffRateLimitedRetriesAfter(t *testing.T) {
	e := newEnv(t)
	n := note(panel.NotifyStaffSignup, "u1", "", map[string]string{"email": "ann@example.com"}, e.clk.Now())
	rec := e.enqueue(t, n)
	e.discord.RateLimitNext(1, 90.2)
	e.handle(t, rec)
	d := e.state(t, n.ID)
	if d.State != panel.DeliveryQueued || !d.NextAttemptAt.Equal(e.clk.Now().Add(91*time.Second)) {
		t.Fatalf("after 429: %+v", d)
	}
	e.clk.Add(90 * time.Second)
	if st := e.sweep(t); st.Due != 0 {
		t.Fatalf("due before retry_after: %+v", st)
	}
	e.clk.Add(time.Second)
	if st := e.sweep(t); st.Sent != 1 {
		t.Fatalf("after retry_after: %+v", st)
	}
	e.handle(t, rec)
	if n := len(e.discord.Posts()); n != 1 {
		t.Fatalf("got %d posts, want 1", n)
	}
}

func TestStaffWithoutDiscordIsSkipped(t *testing.T) {
	e := newEnv(t)
	e.sender.Staff = nil
	n := note(panel.NotifyStaffTopup, "t1", "", map[string]string{"email": "a@example.com", "amount": "$5.00"}, e.clk.Now())
	e.handle(t, e.enqueue(t, n))
	if d := e.state(t, n.ID); d.State != panel.DeliverySkipped {
		t.Fatalf("got %+v", d)
	}
}

// failingClaims makes Claim fail with a storage error for one message.
type failingClaims struct {
	panel.Outbox
	id string
}

func (f failingClaims) Claim(ctx context.Context, id string, lease time.Duration) (*panel.Delivery, error) {
	if id == f.id {
		return nil, panel.Errorf(panel.EUNAVAILABLE, "The database is not answering.")
	}
	return f.Outbox.Claim(ctx, id, lease)
}

func TestBatchItemFailuresOnlyForStorageErrors(t *testing.T) {
	e := newEnv(t)
	to := recipient()
	ok, bad := topup("TP-ok", to, e.clk.Now()), topup("TP-bad", to, e.clk.Now())
	recOK, recBad := e.enqueue(t, ok), e.enqueue(t, bad)
	other := events.DynamoDBEventRecord{EventName: "MODIFY", Change: events.DynamoDBStreamRecord{SequenceNumber: "9",
		Keys: map[string]events.DynamoDBAttributeValue{"PK": events.NewStringAttribute(dynamo.OutboxPKPrefix + ok.ID)}}}
	e.sender.Outbox = failingClaims{Outbox: e.outbox, id: bad.ID}
	resp := e.handle(t, recOK, recBad, other)
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != recBad.Change.SequenceNumber {
		t.Fatalf("got %+v, want only %s", resp.BatchItemFailures, recBad.Change.SequenceNumber)
	}
	// Lambda retries the failed record; the store answers again.
	e.sender.Outbox = e.outbox
	if resp := e.handle(t, recBad); len(resp.BatchItemFailures) != 0 {
		t.Fatalf("retry: %+v", resp)
	}
	if got := e.mailpit.To(t, to); len(got) != 2 {
		t.Fatalf("got %d mails, want 2", len(got))
	}
}

// TestThroughDynamoDBLocalStream runs the path make dev will use: the
// outbox write, DynamoDB Local's stream, the reader, the handler, Mailpit.
func TestThroughDynamoDBLocalStream(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	arn, err := ddbstream.EnableStream(ctx, e.store.DB, e.store.Table)
	if err != nil {
		t.Fatal(err)
	}
	streams, err := ddbstream.NewClient(ctx, "us-east-1", dynamotest.Endpoint(t))
	if err != nil {
		t.Fatal(err)
	}
	rd := &ddbstream.Reader{Streams: streams, StreamARN: arn, Filter: ddbstream.InsertsWithPrefix(dynamo.OutboxPKPrefix),
		Handler: e.sender.HandleStream, Poll: 50 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- rd.Run(ctx) }()
	to := recipient()
	e.enqueue(t, topup("TP-stream", to, e.clk.Now()))
	deadline := time.Now().Add(15 * time.Second)
	for len(e.mailpit.To(t, to)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no mail came through the stream")
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	<-done
	if got := e.mailpit.To(t, to); len(got) != 1 || got[0].Subject != "Top-up of $25.00 received" {
		t.Fatalf("got %+v", got)
	}
}
