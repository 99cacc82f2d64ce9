package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/vfpanel/vfpanel/internal/panel"
)

var testBrand = Brand{Name: "Acme Hosting", LogoURL: "https://acme.example/logo.png", Color: "#ff5500",
	PublicURL: "https://panel.acme.example"}

// sampleData is data for every kind, with the facts each mail must show.
var sampleData = map[panel.NotificationKind]struct {
	data    map[string]string
	subject string
	facts   []string
}{
	panel.NotifyWelcome:             {map[string]string{"verifyUrl": "https://panel.acme.example/verify?t=abc"}, "Welcome to Acme Hosting", []string{"https://panel.acme.example/verify?t=abc", "https://panel.acme.example/deploy"}},
	panel.NotifyExistingAccount:     {map[string]string{"at": "1 Dec 2026 10:00 UTC"}, "Someone tried to register with your email", []string{"1 Dec 2026 10:00 UTC", "https://panel.acme.example/login"}},
	panel.NotifyNewDevice:           {map[string]string{"ip": "203.0.113.9", "device": "Firefox on Linux", "at": "1 Dec 2026 10:00 UTC"}, "New sign-in to your Acme Hosting account", []string{"203.0.113.9", "Firefox on Linux"}},
	panel.NotifyTopupCredited:       {map[string]string{"amount": "$25.00", "balance": "$30.00", "reference": "TP-1"}, "Top-up of $25.00 received", []string{"$25.00", "$30.00", "TP-1"}},
	panel.NotifyRefundDebited:       {map[string]string{"amount": "$10.00", "balance": "$5.00", "reason": "PayPal refund"}, "$10.00 was debited from your balance", []string{"PayPal refund", "$5.00"}},
	panel.NotifyOrderBuilt:          {map[string]string{"serverId": "42", "serverName": "web-1", "ip": "198.51.100.7", "username": "root", "login": "ssh-key"}, "Your server web-1 is ready", []string{"198.51.100.7", "ssh root@198.51.100.7", "https://panel.acme.example/servers/42"}},
	panel.NotifyBuildFailed:         {map[string]string{"serverName": "web-2", "refund": "$1.20"}, "We could not build web-2", []string{"$1.20"}},
	panel.NotifyLowBalance:          {map[string]string{"hours": "72", "balance": "$3.10", "runsOutAt": "4 Dec 2026 09:00 UTC"}, "Your balance runs out in about 72 hours", []string{"$3.10", "4 Dec 2026 09:00 UTC"}},
	panel.NotifySuspended:           {map[string]string{"balance": "-$0.40", "deleteAt": "11 Dec 2026"}, "Your servers are suspended", []string{"-$0.40", "11 Dec 2026"}},
	panel.NotifyUnsuspended:         {map[string]string{"balance": "$20.00"}, "Your servers are running again", []string{"$20.00"}},
	panel.NotifyDeletionScheduled:   {map[string]string{"balance": "-$2.00", "deleteAt": "11 Dec 2026"}, "Final notice: your servers will be deleted on 11 Dec 2026", []string{"-$2.00"}},
	panel.NotifyDeleted:             {map[string]string{"serverName": "web-3", "reason": "unpaid balance"}, "Your server web-3 was deleted", []string{"unpaid balance"}},
	panel.NotifyStatementReady:      {map[string]string{"month": "November 2026"}, "Your statement for November 2026", []string{"https://panel.acme.example/billing"}},
	panel.NotifyServerAlert:         {map[string]string{"server": "web-1", "serverId": "42", "alert": "high CPU", "detail": "CPU has been above 80 % for 10 minutes."}, "Alert on web-1: high CPU", []string{"above 80 %", "https://panel.acme.example/servers/42"}},
	panel.NotifyHookServerAlert:     {map[string]string{"server": "web-1", "serverId": "42", "alert": "high CPU", "detail": "CPU has been above 80 %.", panel.HookURLFact: "https://hooks.example/secret"}, "Alert on web-1: high CPU", []string{"above 80 %", "https://panel.acme.example/servers/42"}},
	panel.NotifyAutoTopupFailed:     {map[string]string{"amount": "$20.00", "balance": "$1.50", "reason": "PayPal declined the payment."}, "Auto top-up of $20.00 failed", []string{"$20.00", "$1.50", "PayPal declined"}},
	panel.NotifyStaffSignup:         {map[string]string{"email": "ann@example.com"}, "New sign-up", []string{"ann@example.com signed up."}},
	panel.NotifyStaffTopup:          {map[string]string{"email": "ann@example.com", "amount": "$25.00"}, "Top-up $25.00", []string{"ann@example.com topped up $25.00."}},
	panel.NotifyStaffOrder:          {map[string]string{"email": "ann@example.com", "serverName": "web-1", "package": "S-1"}, "New order: web-1", []string{"S-1"}},
	panel.NotifyStaffBuildFailed:    {map[string]string{"email": "ann@example.com", "serverName": "web-2", "error": "no capacity"}, "Build failed: web-2", []string{"no capacity"}},
	panel.NotifyStaffBillingError:   {map[string]string{"run": "2026-12-01T10", "errors": "3", "first": "timeout"}, "Billing run 2026-12-01T10: 3 errors", []string{"timeout"}},
	panel.NotifyStaffWebhookFailure: {map[string]string{"source": "paypal", "eventId": "WH-1", "error": "bad signature"}, "Webhook failed: paypal", []string{"WH-1", "bad signature"}},
	panel.NotifyTicketReply: {map[string]string{"ticketId": "t_1", "subject": "Disk full", "author": "Sam", "excerpt": "We grew the disk."},
		"New reply to your ticket: Disk full", []string{"We grew the disk.", "https://panel.acme.example/support/t_1"}},
	panel.NotifyTicketClosed: {map[string]string{"ticketId": "t_1", "subject": "Disk full"}, "Ticket closed: Disk full",
		[]string{"https://panel.acme.example/support/t_1"}},
	panel.NotifyStaffTicketNew: {map[string]string{"ticketId": "t_1", "subject": "Disk full", "email": "ann@example.com",
		"category": "technical", "priority": "high", "excerpt": "web-1 is full"}, "New high technical ticket: Disk full",
		[]string{"web-1 is full", "https://panel.acme.example/admin/tickets/t_1"}},
	panel.NotifyStaffTicketReply: {map[string]string{"ticketId": "t_1", "subject": "Disk full", "email": "ann@example.com",
		"excerpt": "still full"}, "Customer reply: Disk full", []string{"still full", "https://panel.acme.example/admin/tickets/t_1"}},
}

func sample(k panel.NotificationKind, cause string) *panel.Notification {
	n := &panel.Notification{ID: panel.NotificationID(k, cause), Kind: k, Data: sampleData[k].data,
		CreatedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	if !k.Staff() {
		n.UserID, n.Email, n.Name = "u_ann", "ann@example.com", "Ann"
	}
	return n
}

func TestRenderEveryKind(t *testing.T) {
	r, err := NewRenderer(testBrand)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range panel.NotificationKinds {
		t.Run(string(k), func(t *testing.T) {
			s, ok := sampleData[k]
			if !ok {
				t.Fatalf("no sample data for %s", k)
			}
			got, err := r.Render(sample(k, "1"), "")
			if err != nil {
				t.Fatal(err)
			}
			if got.Subject != s.subject {
				t.Errorf("subject: got %q, want %q", got.Subject, s.subject)
			}
			for _, f := range s.facts {
				if !strings.Contains(got.Text, f) {
					t.Errorf("text lacks %q:\n%s", f, got.Text)
				}
				if !k.Plain() && !strings.Contains(got.HTML, f) {
					t.Errorf("html lacks %q", f)
				}
			}
			if strings.Contains(got.Text+got.HTML, "<no value>") {
				t.Errorf("missing value rendered")
			}
			if strings.Contains(got.Text, "hooks.example/secret") {
				t.Errorf("the webhook URL was rendered")
			}
			if k.Plain() {
				if got.HTML != "" {
					t.Errorf("staff kind rendered html")
				}
				return
			}
			for _, want := range []string{"Hello Ann", "Acme Hosting", "https://panel.acme.example"} {
				if !strings.Contains(got.Text, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			for _, want := range []string{`src="https://acme.example/logo.png"`, "#ff5500", "<title>" + s.subject} {
				if !strings.Contains(got.HTML, strings.ReplaceAll(want, "$", "$")) {
					t.Errorf("html lacks %q", want)
				}
			}
		})
	}
}

func TestRender(t *testing.T) {
	r, err := NewRenderer(testBrand)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrMissingRequiredData", func(t *testing.T) {
		n := sample(panel.NotifyTopupCredited, "1")
		n.Data = map[string]string{"amount": "$1.00"}
		if _, err := r.Render(n, ""); panel.ErrorCode(err) != panel.EINVALID {
			t.Fatalf("got %v, want invalid", err)
		}
	})
	t.Run("HTMLEscapesData", func(t *testing.T) {
		n := sample(panel.NotifyDeleted, "1")
		n.Name = `<b>Ann</b>`
		n.Data = map[string]string{"serverName": `<script>alert(1)</script>`, "reason": "x"}
		got, err := r.Render(n, "")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(got.HTML, "<script>") || strings.Contains(got.HTML, "<b>Ann") {
			t.Errorf("html not escaped")
		}
	})
	t.Run("PasswordOnlyForPasswordLogin", func(t *testing.T) {
		n := sample(panel.NotifyOrderBuilt, "1")
		n.Data = map[string]string{"serverId": "1", "serverName": "a", "ip": "192.0.2.1", "username": "root", "login": "ssh-key", "password": "s3cret"}
		got, _ := r.Render(n, "")
		if strings.Contains(got.Text+got.HTML, "s3cret") {
			t.Errorf("password shown with ssh-key login")
		}
		n.Data["login"] = "password"
		got, _ = r.Render(n, "")
		if !strings.Contains(got.Text, "Password: s3cret") || !strings.Contains(got.HTML, "s3cret") {
			t.Errorf("password missing with password login")
		}
	})
	t.Run("UnsubscribeLink", func(t *testing.T) {
		got, _ := r.Render(sample(panel.NotifyTopupCredited, "1"), "https://panel.acme.example/api/notifications/unsubscribe?t=x&u=u_ann")
		if !strings.Contains(got.Text, "Unsubscribe from non-essential mail: https://panel.acme.example/api/notifications/unsubscribe?t=x&u=u_ann") ||
			!strings.Contains(got.HTML, `href="https://panel.acme.example/api/notifications/unsubscribe?t=x&amp;u=u_ann"`) {
			t.Errorf("unsubscribe link missing:\n%s", got.Text)
		}
	})
	t.Run("NoLogoShowsName", func(t *testing.T) {
		b := testBrand
		b.LogoURL = ""
		r2, _ := NewRenderer(b)
		got, _ := r2.Render(sample(panel.NotifyWelcome, "1"), "")
		if strings.Contains(got.HTML, "<img") || !strings.Contains(got.HTML, ">Acme Hosting</strong>") {
			t.Errorf("got %s", got.HTML)
		}
	})
}

func TestUnsubscribeToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := UnsubscribeToken(key, "u_ann")
	tests := []struct {
		name      string
		key       []byte
		user, tok string
		want      bool
	}{
		{"OK", key, "u_ann", tok, true},
		{"ErrOtherUser", key, "u_bob", tok, false},
		{"ErrOtherKey", []byte("another key another key another k"), "u_ann", tok, false},
		{"ErrTampered", key, "u_ann", tok[:len(tok)-1] + "A", tok[len(tok)-1:] == "A"},
		{"ErrEmptyKey", nil, "u_ann", UnsubscribeToken(nil, "u_ann"), false},
		{"ErrEmpty", key, "u_ann", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyUnsubscribe(tt.key, tt.user, tt.tok); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzRender renders mail with arbitrary data: it must never panic, and
// the HTML part must never carry a raw tag from the data.
func FuzzRender(f *testing.F) {
	r, err := NewRenderer(testBrand)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Ann", "web-1", "unpaid")
	f.Add("<img src=x onerror=alert(1)>", "{{.}}", "\x00\xff")
	f.Fuzz(func(t *testing.T, name, server, reason string) {
		n := sample(panel.NotifyDeleted, "1")
		n.Name, n.Data = name, map[string]string{"serverName": server, "reason": reason}
		got, err := r.Render(n, "")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(server, "<") && strings.Contains(got.HTML, "<strong>"+server+"</strong>") {
			t.Fatalf("raw data in html: %q", server)
		}
	})
}
